"""A ticket's life through the screens: CS takes an emergency call, the tech engineer assigns it
and writes the solution plan, the field engineer starts work on site, records the repair with
arrival, departure and the customer's sign-off typed in, raises a requisition for the part, cannot
open another engineer's ticket by URL, and reports it resolved; CS closes it with the customer's
survey; another customer is not satisfied and CS reopens theirs.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import User
from playwright.sync_api import expect

from app import clock
from app.extensions import db
from app.models import HandlingMode, Requisition, Severity, Staff, Ticket, TicketStatus
from app.models.parts import Part, Warehouse
from app.models.stock import StockBalance
from app.services import sla

from .dates import type_into
from .screens import DATETIME, choose, fill_form, fill_text, messages, record_field, save_form, saving

CUSTOMER = "北岭乡林业站"
STORE = "县城备件库"
NUMBER = re.compile(r"^SR-(\d{4})-\d{6}$")


def _shown_time(text: str, near_now: bool = False) -> datetime:
    """A date-time as the screens print it: `YYYY-MM-DD HH:mm` in APP_TIMEZONE."""
    assert DATETIME.match(text), f"not a local YYYY-MM-DD HH:mm date-time: {text!r}"
    shown = datetime.strptime(text, "%Y-%m-%d %H:%M")
    if near_now:
        local_now = clock.now_local().replace(tzinfo=None)
        assert abs(shown - local_now) <= timedelta(minutes=10), f"{text!r} is not the local time now ({local_now:%Y-%m-%d %H:%M})"
    return shown


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


def _local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _stocked_part(app) -> str:
    """A part the county store holds a few of (the engineer knows its code from the catalogue)."""
    with app.app_context():
        store = db.session.scalar(sa.select(Warehouse).where(Warehouse.name == STORE))
        code = db.session.scalars(
            sa.select(Part.code).join(StockBalance, StockBalance.part_id == Part.id)
            .where(StockBalance.warehouse_id == store.id, StockBalance.qty >= 3).order_by(Part.code)).first()
        db.session.remove()
    return code


def _someone_elses_ticket(app, login: str) -> int:
    with app.app_context():
        me = db.session.scalar(sa.select(Staff.id).join(User, Staff.user_id == User.id).where(User.username == login))
        ticket_id = db.session.scalar(sa.select(Ticket.id).where(Ticket.assignee_id.is_not(None), Ticket.assignee_id != me)
                                      .order_by(Ticket.id))
        db.session.remove()
    return ticket_id


def _on_site_visit(field, live_server, ticket_id: int, number: str, shot) -> None:
    """field1 starts work on site, records the repair signed by the customer, asks for a part."""
    field.goto(live_server(f"/ticketview/show/{ticket_id}"))
    _move(field, "Start work", handling_mode="On site", note="已联系客户，出发前往现场")
    assert record_field(field, "Status") == "In progress"
    assert record_field(field, "Remote or on site") == "On site"

    arrived = clock.now_local().replace(tzinfo=None, second=0, microsecond=0)
    signed, departed = arrived + timedelta(minutes=95), arrived + timedelta(minutes=110)
    with saving(field):
        field.get_by_role("link", name="Add repair record").click()
    assert f"_flt_0_ticket={ticket_id}" in field.url  # the form belongs to this ticket (FAB fills it in)
    if "张伟" not in field.locator("select#engineers + .select2").inner_text():
        choose(field, "engineers", "张伟")
    type_into(field, "#arrived_at", _local(arrived))
    type_into(field, "#departed_at", _local(departed))
    fill_text(field, "work_done", "更换接收机电源模块，系统恢复，数据补传正常")
    fill_text(field, "parts_replaced", "电源模块 x1")
    choose(field, "result", "Fixed")
    fill_text(field, "customer_signer", "王主任")
    type_into(field, "#signed_at", _local(signed))
    shot(field, "repair-record-typed-en")
    save_form(field)
    assert not [m for m in messages(field) if "error" in m.lower() or "not a valid" in m.lower()], messages(field)

    field.goto(live_server(f"/ticketview/show/{ticket_id}"))
    repairs = field.locator(".ticket-repairs")
    expect(repairs).to_contain_text("王主任")
    row = repairs.locator("tr", has_text="王主任")
    expect(row.locator("td").nth(0)).to_have_text(_local(arrived))
    expect(row.locator("td").nth(1)).to_have_text(_local(departed))
    expect(row.locator("td").nth(6)).to_contain_text(_local(signed))

    # the part for the follow-up: a requisition raised from the ticket page
    code = _stocked_part(live_server.app)
    with saving(field):
        field.locator("a.request-parts").click()
    expect(field.locator("select#ticket + .select2")).to_contain_text(number)  # the link's ticket, chosen
    field.select_option("#warehouse", label=STORE)
    fill_text(field, "purpose", "备用电源模块")
    choose(field, "part_0", code)  # a search box: the code typed, the part picked
    field.locator("input[name=qty_0]").fill("1")
    shot(field, "requisition-typed-en")
    with saving(field):
        field.get_by_role("button", name="Request").click()
    assert "/requisitionview/show/" in field.url, messages(field)
    expect(field.locator(".container-fluid")).to_contain_text(code)
    with live_server.app.app_context():
        slip = db.session.scalars(sa.select(Requisition).where(Requisition.ticket_id == ticket_id)).one()
        assert slip.engineer.username == "field1" and [ln.qty_requested for ln in slip.lines] == [1]
        db.session.remove()
    shot(field, "requisition-raised-en")

    # another engineer's ticket is not theirs to open, even by its address
    other = _someone_elses_ticket(live_server.app, "field1")
    answer = field.goto(live_server(f"/ticketview/show/{other}"))
    assert answer.status in (403, 404) or "/ticketview/show/" not in field.url, (answer.status, field.url)
    expect(field.locator("body")).not_to_contain_text("Respond by")


def test_emergency_call_to_closed_ticket(open_page, live_server, shot):
    # --- CS takes the call ----------------------------------------------------------------------
    cs = open_page("cs")
    cs.goto(live_server("/"))
    cs.get_by_role("link", name="Requests", exact=True).click()
    with saving(cs):
        cs.locator(".navbar .dropdown-menu a[href='/ticketview/list/']").click()
    shot(cs, "tickets-en")
    with saving(cs):
        cs.locator("a[href*='/ticketview/add']").first.click()
    expect(cs.locator("#title")).to_be_visible()
    fill_form(cs, {"customer": CUSTOMER, "channel": "Phone", "category": "System fault", "severity": "Emergency"},
              {"title": "卫星接收站数据中断", "description": "客户来电：接收站自凌晨起无法下传数据，影响当日监测任务",
               "place": "北岭乡林业站机房"})
    shot(cs, "ticket-intake-en")
    save_form(cs)
    assert not [m for m in messages(cs) if "error" in m.lower()], messages(cs)

    # the rep lands on the new ticket's own page, the message naming its number for the caller
    ticket_id = _ticket_page_id(cs)
    number = record_field(cs, "Ticket no.")
    assert NUMBER.match(number), number
    assert messages(cs) == [f"Ticket {number} 卫星接收站数据中断 saved."]
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
    # and it heads the list (newest first)
    cs.goto(live_server("/ticketview/list/"))
    row = cs.locator("table tr", has_text="卫星接收站数据中断").first
    expect(row.locator(f"a[href$='/ticketview/show/{ticket_id}']").first).to_be_visible()

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

    # --- on site: field1 starts work, records the repair, asks for a part; reports it resolved --
    field = open_page("field1")
    _on_site_visit(field, live_server, ticket_id, number, shot)
    field.goto(live_server(f"/ticketview/show/{ticket_id}"))
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


def _score(page, name: str, score: str) -> None:
    box = page.locator(f"#{name}")
    tag = box.evaluate("e => e.tagName")
    if tag == "SELECT":
        choose(page, name, score)
    elif tag == "DIV":  # the row of 1–5 buttons
        box.locator("label", has_text=score).click()
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
