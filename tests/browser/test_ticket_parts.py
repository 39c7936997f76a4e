"""The parts story on the ticket page, in 简体中文: the field engineer sees the slip issued for the
ticket and hands back each faulty unit with its own serial number; the keeper finds it there."""
from __future__ import annotations

from flask import g
from playwright.sync_api import expect

from app.extensions import db
from app.models import DefectiveReturn
from app.services import parts as parts_service

from .screens import messages, saving
from .test_journey_stock import _slip_for_field1


def _approved_and_issued(app, slip: dict) -> tuple[int, list[int]]:
    """The tech engineer approves, the keeper issues (their screens are the stock journey's)."""
    with app.test_request_context():
        sm = app.appbuilder.sm
        g.user = sm.find_user(username="tech")
        parts_service.decide_requisition(slip["id"], True)
        g.user = sm.find_user(username="keeper")
        req = db.session.get(parts_service.Requisition, slip["id"])
        parts_service.issue_requisition(req.id, {line.id: line.qty_requested for line in req.lines})
        db.session.commit()
        ticket = req.ticket_id
        units = [u.id for u in db.session.query(DefectiveReturn).filter_by(requisition_id=req.id).order_by(DefectiveReturn.id)]
        db.session.remove()
    return ticket, units


def test_engineer_hands_back_each_faulty_unit_from_the_ticket_page(open_page, live_server, shot):
    slip = _slip_for_field1(live_server.app)
    ticket, units = _approved_and_issued(live_server.app, slip)
    assert len(units) == 2  # two issued: two faulty units owed, one line each

    field1 = open_page("field1", locale="zh_Hans")
    field1.goto(live_server(f"/ticketview/show/{ticket}"))
    story = field1.locator("table.ticket-parts")
    expect(story).to_contain_text(slip["number"])
    expect(story).to_contain_text(slip["code"])
    first, second = units

    def unit_row(pk):  # this slip's units (the ticket may have others from earlier journeys)
        return field1.locator("table.ticket-faulty-units tr", has=field1.locator(f"a[href$='/defectivereturnview/show/{pk}']"))

    for pk in units:
        expect(unit_row(pk)).to_have_class("unit-owed")
    form = field1.locator("form.hand-back-form")
    expect(form).to_contain_text("每件一行")
    form.locator(f"#unit-{first}").check()
    form.locator(f"input[name=serial_{first}]").fill("PSU-2291")
    form.locator(f"input[name=condition_{first}]").fill("烧毁")
    form.locator(f"#unit-{second}").check()
    form.locator(f"input[name=serial_{second}]").fill("PSU-2291")
    with saving(field1):
        form.get_by_role("button", name="交回勾选的坏件").click()
    # the same serial twice: refused, nothing handed back
    assert any("序列号 PSU-2291 填写了两次" in m for m in messages(field1)), messages(field1)
    for pk in units:
        expect(unit_row(pk)).to_have_class("unit-owed")

    form.locator(f"#unit-{first}").check()
    form.locator(f"input[name=serial_{first}]").fill("PSU-2291")
    form.locator(f"input[name=condition_{first}]").fill("烧毁")
    form.locator(f"#unit-{second}").check()
    form.locator(f"input[name=serial_{second}]").fill("PSU-2292")
    with saving(field1):
        form.get_by_role("button", name="交回勾选的坏件").click()
    assert any("已交回 2 件坏件" in m for m in messages(field1)), messages(field1)
    for pk, serial in ((first, "PSU-2291"), (second, "PSU-2292")):
        expect(unit_row(pk)).to_have_class("unit-handed_back")
        expect(unit_row(pk)).to_contain_text(serial)
        expect(unit_row(pk)).to_contain_text("已交回")
    expect(field1.locator(f"#unit-{first}")).to_have_count(0)  # nothing of this slip left to hand back
    field1.locator("table.ticket-parts").scroll_into_view_if_needed()
    shot(field1, "ticket-parts-zh_Hans")

    # the keeper opens the unit: the engineer's serial is there, ready to log the receipt
    keeper = open_page("keeper", locale="zh_Hans")
    keeper.goto(live_server(f"/defectivereturnview/show/{first}"))
    expect(keeper.locator("h3 .label")).to_have_text("已交回")
    expect(keeper.locator("form.receive input[name=serial_number]")).to_have_value("PSU-2291")
    with saving(keeper):
        keeper.locator("form.receive button").click()
    expect(keeper.locator("h3 .label")).to_have_text("已收到")
