"""A manager ticks three tickets on the ticket list and assigns them all to field1 in one step."""
from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import Customer, Staff, Ticket
from app.services.tickets import intake


def _three_new_tickets(app) -> tuple[list[int], list[str], int, str]:
    with app.app_context():
        customer = db.session.scalars(sa.select(Customer).order_by(Customer.id)).first()
        made = []
        for n in range(3):
            t = Ticket(customer_id=customer.id, channel="phone", category="hardware", severity="general",
                       title=f"批量派工演示{n}", description="浏览器测试")
            intake(t, None)
            db.session.add(t)
            made.append(t)
        db.session.commit()
        field1 = db.session.scalars(sa.select(Staff).where(Staff.user.has(username="field1"))).one()
        out = [t.id for t in made], [t.number for t in made], field1.id, field1.name
        db.session.remove()
    return out


def test_manager_assigns_three_ticked_tickets_to_field1(open_page, live_server, shot):
    ids, numbers, field1, name = _three_new_tickets(live_server.app)
    page = open_page("manager", locale="zh_Hans")
    page.goto(live_server("/ticketview/list/"))
    for pk in ids:
        page.locator(f'input.action_check[value="{pk}"]').check()
    page.get_by_role("button", name="操作").click()
    page.locator("a.bulk_assign_action_menu_item").click()
    expect(page).to_have_url(re.compile(r"/ticketview/bulk-assign"))
    form = page.locator("form.bulk-assign-form")
    for number in numbers:
        expect(form).to_contain_text(number)
    page.select_option("#bulk-assignee", str(field1))
    shot(page, "ticket-bulk-assign-form-zh")
    form.locator("button[type=submit]").click()
    flash = page.locator(".alert-success")
    expect(flash).to_contain_text("已将 3 张工单派给")
    for number in numbers:
        expect(flash).to_contain_text(number)
    with live_server.app.app_context():
        rows = db.session.scalars(sa.select(Ticket).where(Ticket.id.in_(ids))).all()
        assert {(t.status.value, t.assignee_id) for t in rows} == {("assigned", field1)}
        db.session.remove()
    shot(page, "ticket-bulk-assigned-zh")
    assert name in flash.inner_text()


def test_manager_marks_two_tickets_duplicates_of_a_third(open_page, live_server, shot):
    ids, numbers, _field1, _name = _three_new_tickets(live_server.app)
    page = open_page("manager", locale="zh_Hans")
    page.goto(live_server("/ticketview/list/"))
    for pk in ids:
        page.locator(f'input.action_check[value="{pk}"]').check()
    page.get_by_role("button", name="操作").click()
    page.locator("a.mark_duplicates_action_menu_item").click()
    expect(page).to_have_url(re.compile(r"/ticketview/duplicates"))
    page.locator(f"#original-{ids[0]}").check()
    page.locator("form.duplicates-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text(f"已将 2 张工单标记为 {numbers[0]} 的重复工单")
    page.goto(live_server(f"/ticketview/show/{ids[0]}"))
    links = page.locator(".ticket-links")
    expect(links).to_contain_text(numbers[1])
    expect(links).to_contain_text("被重复于")
    shot(page, "ticket-duplicates-zh")
