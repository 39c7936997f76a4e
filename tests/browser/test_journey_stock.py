"""The parts keeper's day on the stock screens: issue an approved requisition, receive a delivery,
be refused an issue of more than is on hand (nothing written), log the faulty part brought back.

The slip itself is raised by the field engineer (their journey, test_journey_field.py): here it
is prepared through the service layer; the tech engineer approves it on its page.
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import g
from playwright.sync_api import expect

from app.extensions import db
from app.models import Ticket, TicketStatus
from app.models.parts import Part, Warehouse
from app.models.stock import StockBalance, StockMovement
from app.services import parts as parts_service

from .screens import choose, messages, saving

STORE = "县城备件库"


def _slip_for_field1(app) -> dict:
    """field1 asks two of a part that must come back when replaced, for one of their open tickets."""
    with app.test_request_context():
        g.user = app.appbuilder.sm.find_user(username="field1")
        store = db.session.scalar(sa.select(Warehouse).where(Warehouse.name == STORE))
        part = db.session.scalars(
            sa.select(Part).join(StockBalance, StockBalance.part_id == Part.id)
            .where(StockBalance.warehouse_id == store.id, StockBalance.qty >= 5, Part.expects_return.is_(True))
            .order_by(Part.code)).first()
        ticket = db.session.scalars(sa.select(Ticket).where(
            Ticket.status == TicketStatus.in_progress, Ticket.assignee.has(user_id=g.user.id))).first()
        req = parts_service.create_requisition(None, store.id, [(part.id, 2)], ticket_id=ticket.id,
                                               purpose="现场更换故障电源模块")
        db.session.commit()
        slip = {"id": req.id, "number": req.number, "part_id": part.id, "code": part.code}
        db.session.remove()
    return slip


def _card(page, live_server, part_id: int) -> tuple[int, int]:
    """(on hand in the store, lines on the card) as the stock card shows them."""
    page.goto(live_server(f"/stock/card/{part_id}"))
    badge = page.locator(".label", has_text=f"{STORE}:").inner_text()
    on_hand = int(re.search(rf"{STORE}: (-?\d+) /", badge).group(1))
    return on_hand, page.locator("table tbody tr").count()


def _ledger_rows(app, part_id: int) -> int:
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement)
                                  .where(StockMovement.part_id == part_id))
        db.session.remove()
    return count


def test_keeper_issues_receives_refuses_and_logs_the_faulty_part(open_page, live_server, shot):
    slip = _slip_for_field1(live_server.app)

    # the tech engineer approves the slip on its page
    tech = open_page("tech")
    tech.goto(live_server(f"/requisitionview/show/{slip['id']}"))
    with saving(tech):
        tech.get_by_role("button", name="Approve").click()
    expect(tech.locator("h3 .label")).to_have_text("Approved")

    keeper = open_page("keeper")
    keeper.goto(live_server("/"))
    shot(keeper, "home-keeper-en")
    on_hand, lines = _card(keeper, live_server, slip["part_id"])

    # --- issue the approved slip ------------------------------------------------------------
    keeper.goto(live_server("/requisitionview/list/"))
    with saving(keeper):
        keeper.locator("table tr", has_text=slip["number"]).locator("a[href*='/requisitionview/show/']").first.click()
    expect(keeper.locator("input[name^=qty_]")).to_have_value("2")
    with saving(keeper):
        keeper.get_by_role("button", name="Issue", exact=True).click()
    assert "Issued 1 line(s)." in messages(keeper)
    expect(keeper.locator("h3 .label")).to_have_text("Issued")
    after_issue, lines_after = _card(keeper, live_server, slip["part_id"])
    assert (after_issue, lines_after) == (on_hand - 2, lines + 1)
    newest = keeper.locator("table tbody tr").last
    expect(newest).to_contain_text(slip["number"])
    expect(newest.locator("td").nth(6)).to_have_text("2")  # qty out
    shot(keeper, "stock-card-en")

    # --- receive a delivery -------------------------------------------------------------------
    keeper.goto(live_server("/stock_post/"))
    shot(keeper, "stock-post-en")
    keeper.goto(live_server("/stock_post/receive"))
    choose(keeper, "part", slip["code"])
    keeper.select_option("#warehouse", label=STORE)
    keeper.fill("#qty", "10")
    keeper.fill("#unit_cost", "86.50")
    keeper.fill("#reference", "送货单-20261201-07")
    with saving(keeper):
        keeper.get_by_role("button", name="Post").click()
    assert f"Received 10; on hand {after_issue + 10}." in messages(keeper)
    received, lines_received = _card(keeper, live_server, slip["part_id"])
    assert (received, lines_received) == (after_issue + 10, lines_after + 1)
    expect(keeper.locator("table tbody tr").last).to_contain_text("送货单-20261201-07")

    # --- an issue of more than is on hand is refused, nothing written ---------------------------
    ledger = _ledger_rows(live_server.app, slip["part_id"])
    keeper.goto(live_server("/stock_post/issue"))
    choose(keeper, "part", slip["code"])
    keeper.select_option("#warehouse", label=STORE)
    keeper.fill("#qty", str(received + 1))
    keeper.fill("#reference", "临时领用")
    with saving(keeper):
        keeper.get_by_role("button", name="Post").click()
    refusal = " ".join(messages(keeper))
    assert f"Only {received} on hand; cannot take {received + 1}." in refusal
    expect(keeper.locator("#qty")).to_have_value(str(received + 1))  # the input is kept
    shot(keeper, "stock-refused-en")
    assert _card(keeper, live_server, slip["part_id"]) == (received, lines_received)
    assert _ledger_rows(live_server.app, slip["part_id"]) == ledger

    # --- the faulty part comes back from the field ----------------------------------------------
    keeper.goto(live_server("/defectivereturnview/list/"))
    with saving(keeper):
        keeper.locator("table tr", has_text=slip["number"]).locator("a[href*='/defectivereturnview/show/']").first.click()
    expect(keeper.locator("h3 .label")).to_have_text("Owed by engineer")
    keeper.fill("input[name=serial_number]", "PSU-A-2291")
    keeper.fill("input[name=condition]", "烧毁，外壳完好")
    with saving(keeper):
        keeper.get_by_role("button", name="Received").click()
    assert "Faulty part received." in messages(keeper)
    expect(keeper.locator("h3 .label")).to_have_text("Received")
    expect(keeper.locator(".container-fluid")).to_contain_text("PSU-A-2291")
