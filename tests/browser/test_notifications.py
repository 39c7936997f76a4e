"""In Chromium: the bell counts what is new and the list marks it read; a customer answers the
survey link on a phone-sized screen, and the Manager hears of a low score."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Notification, SatisfactionSurvey, Staff, Ticket, TicketStatus


def _bell(page) -> int:
    badge = page.locator("#notification-bell .notification-count")
    return int(badge.inner_text()) if badge.count() else 0


def test_the_bell_counts_new_notices_and_the_list_marks_them_read(open_page, live_server, shot):
    engineer = open_page("field2")
    engineer.goto(live_server("/notifications/list/"))
    if engineer.locator(".notifications-read-all").count():
        with engineer.expect_navigation():
            engineer.click(".notifications-read-all")  # start from nothing unread
    assert _bell(engineer) == 0

    # the manager assigns a new ticket to field2 on the ticket page
    with live_server.app.app_context():
        pk = db.session.scalar(sa.select(Ticket.id).where(Ticket.status == TicketStatus.new).order_by(Ticket.id))
        engineer_id = db.session.scalar(sa.select(Staff.id).where(Staff.user.has(username="field2")))
        db.session.remove()
    manager = open_page("manager")
    manager.goto(live_server(f"/ticketview/show/{pk}"))
    form = manager.locator("form.ticket-move", has=manager.locator("select[name=assignee]"))
    form.locator("select[name=assignee]").select_option(value=str(engineer_id))
    with manager.expect_navigation():
        form.locator("button[type=submit]").click()
    assert manager.locator(".ticket-notified").count() >= 1  # the timeline says who was told

    engineer.goto(live_server("/"))
    assert _bell(engineer) == 1
    shot(engineer, "notifications-bell-en")
    engineer.click("#notification-bell a")
    row = engineer.locator("tr.notification-unread").first
    assert "assigned to you" in row.inner_text()
    shot(engineer, "notifications-list-en")
    with engineer.expect_navigation():
        row.locator(".notification-open").click()
    assert f"/ticketview/show/{pk}" in engineer.url
    assert _bell(engineer) == 0


def test_a_customer_answers_the_survey_on_a_phone(open_page, live_server, shot):
    # the rep closes a ticket the customer confirmed and copies its survey link from the ticket page
    with live_server.app.app_context():
        pk = db.session.scalar(sa.select(Ticket.id).where(
            Ticket.status == TicketStatus.awaiting_confirmation,
            sa.or_(Ticket.handling_mode.is_(None), Ticket.handling_mode != "onsite")).order_by(Ticket.id))
    rep = open_page("cs")
    rep.goto(live_server(f"/ticketview/show/{pk}"))
    with rep.expect_navigation():
        rep.locator("form.ticket-move", has=rep.locator("input[name=to][value=closed]")).locator(
            "button[type=submit]").click()
    link = rep.locator("#survey-url").input_value()
    assert "/survey/" in link
    shot(rep, "ticket-survey-link-en")
    path = "/survey/" + link.rsplit("/survey/", 1)[1]

    phone = open_page(None, locale="zh_Hans", width=375, height=740)
    phone.goto(live_server(path))
    assert phone.locator("h3").inner_text() == "您对我们的服务满意吗？"
    # fits the screen: nothing wider than the phone
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "survey-phone-zh_Hans")
    phone.click("button[type=submit]")  # nothing chosen: told what is missing
    assert phone.locator(".alert-danger").count() == 1
    for col, score in (("timeliness", 2), ("effectiveness", 4), ("attitude", 5)):
        phone.locator(f"input[name={col}][value='{score}'] + span").click()
    phone.fill("textarea[name=comment]", "响应有点慢")
    phone.click("button[type=submit]")
    phone.wait_for_selector(".survey-thanks")
    shot(phone, "survey-phone-thanks-zh_Hans")
    with live_server.app.app_context():
        saved = db.session.scalar(sa.select(SatisfactionSurvey).where(SatisfactionSurvey.ticket_id == pk))
        assert (saved.timeliness, saved.effectiveness, saved.attitude, saved.comment) == (2, 4, 5, "响应有点慢")
        told = db.session.scalars(sa.select(Notification).where(
            Notification.kind == "survey_received", Notification.record_id == pk)).unique().all()
        assert {n.user.username for n in told} == {"cs", "manager"}  # a low score: the manager too
        db.session.remove()
    phone.goto(live_server(path))
    assert phone.locator(".survey-gone").count() == 1  # single use
