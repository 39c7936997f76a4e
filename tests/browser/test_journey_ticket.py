"""A ticket's life through the screens: CS takes an emergency call, the tech engineer assigns it
and writes the solution plan, the field engineer reports it resolved, CS closes it with the
customer's survey; another customer is not satisfied and CS reopens theirs.

The on-site visit in the middle (start work, a repair record signed by the customer) is the
field engineer's own journey (test_journey_field.py); here it is prepared through the service
layer, as the engineer would have left it.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import g
from playwright.sync_api import expect

from app import clock
from app.extensions import db
from app.models import HandlingMode, RepairRecord, Severity, Staff, Ticket, TicketStatus
from app.models.ticket_work import RepairResult
from app.services import sla
from app.services import tickets as ticket_service

from .screens import DATETIME, choose, fill_text, messages, record_field, save_form, saving

CUSTOMER = "北岭乡林业站"
NUMBER = re.compile(r"^SR-(\d{4})-\d{6}$")


# Date-times shown with seconds or in UTC: the local-time work of the screens is still to land.
# Collected instead of failing at once so the rest of the journey is checked; the test ends
# as an expected failure naming them, and passes as soon as the screens show local time.
_not_local: list[str] = []


def _shown_time(text: str, near_now: bool = False) -> datetime:
    """A date-time as the screens print it: `YYYY-MM-DD HH:mm` in APP_TIMEZONE."""
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?", text), f"not a date-time: {text!r}"
    if not DATETIME.match(text):
        _not_local.append(f"{text!r} is not YYYY-MM-DD HH:mm")
    shown = datetime.strptime(text[:16], "%Y-%m-%d %H:%M")
    if near_now:
        local_now = clock.now_local().replace(tzinfo=None)
        if abs(shown - local_now) > timedelta(minutes=10):
            _not_local.append(f"{text!r} is not the local time now ({local_now:%Y-%m-%d %H:%M})")
    return shown


def _local_times_checked() -> None:
    if _not_local:
        pytest.xfail("date-times on the ticket page are not local YYYY-MM-DD HH:mm yet: " + "; ".join(_not_local))


def _ticket_page_id(page) -> int:
    return int(re.search(r"/ticketview/show/(\d+)", page.url).group(1))


def _move(page, heading: str, **fields) -> None:
    """Fill and send one of the "Next step" forms of a ticket page."""
    form = page.locator("form.ticket-move", has=page.locator("h4", has_text=heading))
    for name, value in fields.items():
        box = form.locator(f"[name={name}]")
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(label=value)
        else:
            box.fill(value)
    with saving(page):
        form.get_by_role("button").click()


def _field_engineer_did_the_visit(app, ticket_id: int, engineer_login: str) -> None:
    """Start work on site and a repair record signed by the customer, as field1 leaves them."""
    with app.test_request_context():
        g.user = app.appbuilder.sm.find_user(username=engineer_login)
        ticket = db.session.get(Ticket, ticket_id)
        engineer = db.session.scalar(sa.select(Staff).where(Staff.user_id == g.user.id))
        ticket_service.transition(ticket, "in_progress", g.user, handling_mode="onsite")
        now = clock.now_utc()
        db.session.add(RepairRecord(
            ticket=ticket, engineers=[engineer], arrived_at=now - timedelta(hours=2),
            departed_at=now - timedelta(minutes=20), work_done="更换接收机电源模块，系统恢复",
            result=RepairResult.fixed, customer_signer="王主任", signed_at=now - timedelta(minutes=25)))
        db.session.commit()
        db.session.remove()


def test_emergency_call_to_closed_ticket(open_page, live_server, shot):
    # --- CS takes the call ----------------------------------------------------------------------
    cs = open_page("cs")
    cs.goto(live_server("/"))
    cs.get_by_role("link", name="Service requests").click()
    with saving(cs):
        cs.locator(".navbar .dropdown-menu a[href='/ticketview/list/']").click()
    shot(cs, "tickets-en")
    with saving(cs):
        cs.locator("a[href*='/ticketview/add']").first.click()
    expect(cs.locator("#title")).to_be_visible()
    choose(cs, "customer", CUSTOMER)
    choose(cs, "channel", "Phone")
    choose(cs, "category", "System fault")
    choose(cs, "severity", "Emergency")
    fill_text(cs, "title", "卫星接收站数据中断")
    fill_text(cs, "description", "客户来电：接收站自凌晨起无法下传数据，影响当日监测任务")
    fill_text(cs, "place", "北岭乡林业站机房")
    shot(cs, "ticket-intake-en")
    save_form(cs)
    assert not [m for m in messages(cs) if "error" in m.lower()], messages(cs)

    # the new ticket heads the list (newest first); the rep opens it
    cs.goto(live_server("/ticketview/list/"))
    row = cs.locator("table tr", has_text="卫星接收站数据中断").first
    with saving(cs):
        row.locator("a[href*='/ticketview/show/']").first.click()
    ticket_id = _ticket_page_id(cs)
    number = record_field(cs, "Ticket no.")
    assert NUMBER.match(number), number
    assert record_field(cs, "Status") == "New"
    assert record_field(cs, "Severity") == "Emergency"
    with live_server.app.app_context():
        received = _shown_time(record_field(cs, "Received at"), near_now=True)
    respond_by = _shown_time(record_field(cs, "Respond by"))
    resolve_by = _shown_time(record_field(cs, "Resolve by"))
    with live_server.app.app_context():
        levels = sla.levels_for(Severity.emergency)
    assert respond_by - received == timedelta(minutes=levels.respond_minutes)
    assert resolve_by - received == timedelta(minutes=levels.resolve_minutes)
    assert NUMBER.match(number).group(1) == f"{received.year}"
    shot(cs, "ticket-new-en")

    # --- the tech engineer assigns it and writes the solution plan ------------------------------
    tech = open_page("tech")
    tech.goto(live_server(f"/ticketview/show/{ticket_id}"))
    _move(tech, "Assign", assignee="张伟 (Field Engineer)", note="紧急：请立即联系客户并上门")
    assert f"Ticket {number} is now: Assigned" in " ".join(messages(tech))
    assert record_field(tech, "Assignee") == "张伟"
    expect(tech.locator(".ticket-timeline")).to_contain_text("紧急：请立即联系客户并上门")

    with saving(tech):
        tech.get_by_role("link", name="Write the solution plan").click()
    fill_text(tech, "consulted_experts", "遥感中心 赵工（接收系统专家）电话会诊")
    fill_text(tech, "steps", "1. 远程检查链路 2. 现场更换电源模块 3. 补传数据")
    choose(tech, "owner", "张伟")
    fill_text(tech, "milestones", "2 小时内到场，4 小时内恢复")
    save_form(tech)
    tech.goto(live_server(f"/ticketview/show/{ticket_id}"))
    plan = tech.locator(".panel", has_text="Solution plan").last
    expect(plan).to_contain_text("遥感中心 赵工")
    expect(plan).to_contain_text("现场更换电源模块")

    # --- on site (the field engineer's journey), then field1 reports it resolved ----------------
    _field_engineer_did_the_visit(live_server.app, ticket_id, "field1")
    field = open_page("field1")
    field.goto(live_server(f"/ticketview/show/{ticket_id}"))
    expect(field.locator(".ticket-repairs")).to_contain_text("王主任")
    _move(field, "Resolved: ask the customer to confirm", resolution="更换电源模块，数据已补传",
          root_cause="电源模块老化", prevention="纳入季度巡检检查项", note="请客服回访确认")
    assert record_field(field, "Status") == "Awaiting customer confirmation"
    shot(field, "ticket-page-en")

    # --- CS calls the customer: confirmed, closed, survey recorded -------------------------------
    cs.goto(live_server(f"/ticketview/show/{ticket_id}"))
    _move(cs, "Customer confirmed: close", note="客户确认已恢复")
    assert record_field(cs, "Status") == "Closed"
    _shown_time(record_field(cs, "Closed at"))
    with saving(cs):
        cs.get_by_role("link", name="Record the survey").click()
    for name, score in (("timeliness", "5"), ("effectiveness", "4"), ("attitude", "5")):
        _score(cs, name, score)
    fill_text(cs, "comment", "响应很快，工程师专业")
    save_form(cs)
    cs.goto(live_server(f"/ticketview/show/{ticket_id}"))
    expect(cs.locator(".ticket-survey")).to_contain_text("Timeliness: 5")
    expect(cs.locator(".ticket-survey")).to_contain_text("响应很快")
    _local_times_checked()


def _score(page, name: str, score: str) -> None:
    box = page.locator(f"#{name}")
    if box.evaluate("e => e.tagName") == "SELECT":
        choose(page, name, score)
    else:
        box.fill(score)


def test_customer_not_satisfied_reopens(open_page, live_server):
    """CS calls back on a resolved ticket; the customer says it still fails: reopened."""
    with live_server.app.app_context():
        waiting = db.session.scalars(sa.select(Ticket).where(
            Ticket.status == TicketStatus.awaiting_confirmation,
            Ticket.handling_mode == HandlingMode.remote).order_by(Ticket.id)).first()
        ticket_id, reopened_before = waiting.id, waiting.reopen_count
        db.session.remove()
    cs = open_page("cs")
    cs.goto(live_server(f"/ticketview/show/{ticket_id}"))
    _move(cs, "Customer not satisfied: reopen", note="客户反映问题仍然存在")
    assert record_field(cs, "Status") == "In progress"
    assert record_field(cs, "Reopened") == str(reopened_before + 1)
    expect(cs.locator(".ticket-timeline")).to_contain_text("客户反映问题仍然存在")
