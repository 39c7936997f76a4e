"""Search boxes in Chromium: a CS rep in Chinese finds the customer by part of its name on the
intake form, the contact box then offers only that customer's contacts; a keeper filters the
stock ledger by typing a part code. No page shows FAB's "__None"."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from playwright.sync_api import expect

from app.extensions import db
from app.models import Category, Channel, Contact, Customer, Severity, Ticket
from app.models.parts import Part
from app.models.stock import StockMovement

from .screens import choose, fill_text, messages, save_form, saving


def _labels(app, *members) -> list[str]:
    with app.test_request_context(), force_locale("zh_Hans"):
        return [str(m.label) for m in members]


def _box(page, name):
    return page.locator(f"select#{name} + .select2 .select2-selection")


def _customer_with_contacts(app) -> tuple[Customer, list[str]]:
    """A demo customer with at least two contacts; its contacts' names."""
    with app.app_context():
        cid = db.session.scalar(sa.select(Contact.customer_id).group_by(Contact.customer_id)
                                .having(sa.func.count() >= 2).order_by(Contact.customer_id))
        customer = db.session.get(Customer, cid)
        mine = db.session.scalars(sa.select(Contact.name).where(Contact.customer_id == cid)).all()
        db.session.expunge(customer)
        db.session.remove()
    return customer, mine


def test_cs_intake_in_chinese_customer_first_then_its_contacts(live_server, open_page, shot):
    app = live_server.app
    customer, contacts = _customer_with_contacts(app)
    cs = open_page("cs", locale="zh_Hans")
    cs.goto(live_server("/ticketview/add"))
    assert "__None" not in cs.content()
    # the contact box waits for the customer
    expect(cs.locator("select#contact")).to_be_disabled()
    expect(_box(cs, "contact")).to_contain_text("请先选择客户")

    # nothing found reads Chinese
    _box(cs, "customer").click()
    search = cs.locator(".select2-container--open .select2-search__field")
    search.fill("没有这个客户zz")
    expect(cs.locator(".select2-results__message")).to_have_text("未找到结果")
    # part of the name finds it; at most a page of matches, never the whole table
    part = customer.name[1:4] if len(customer.name) > 4 else customer.name
    search.fill(part)
    option = cs.locator(".select2-results__option", has_text=customer.name).first
    expect(option).to_be_visible()
    assert cs.locator(".select2-results__option").count() <= 21
    shot(cs, "lookup-customer-typed-zh")
    option.click()
    expect(_box(cs, "customer")).to_contain_text(customer.name)
    expect(cs.locator("select#contact")).to_be_enabled()

    # the contact box offers that customer's contacts only
    _box(cs, "contact").click()
    results = cs.locator(".select2-container--open li.select2-results__option:not(.loading-results)")
    expect(results.first).to_be_visible()
    offered = [t.split(" · ")[0] for t in results.all_inner_texts()]
    assert offered and set(offered) <= set(contacts), (offered, contacts)
    shot(cs, "lookup-contacts-of-customer-zh")
    results.first.click()
    chosen_contact = _box(cs, "contact").inner_text()

    channel, category, severity = _labels(app, Channel.phone, Category.hardware, Severity.general)
    choose(cs, "channel", channel)
    choose(cs, "category", category)
    choose(cs, "severity", severity)
    fill_text(cs, "title", "接收站无法开机")
    fill_text(cs, "description", "客户来电：接收站断电后无法开机")
    assert "__None" not in cs.locator("form").inner_text()
    shot(cs, "lookup-intake-filled-zh")
    save_form(cs)
    assert "/ticketview/show/" in cs.url, messages(cs)
    with app.app_context():
        ticket = db.session.scalars(sa.select(Ticket).where(Ticket.title == "接收站无法开机")).one()
        assert ticket.customer_id == customer.id
        assert ticket.contact is not None and ticket.contact.customer_id == customer.id
        assert ticket.contact.name in chosen_contact
        db.session.remove()


def test_changing_the_customer_empties_the_contact(live_server, open_page):
    app = live_server.app
    customer, contacts = _customer_with_contacts(app)
    cs = open_page("cs", locale="zh_Hans")
    cs.goto(live_server("/ticketview/add"))
    choose(cs, "customer", customer.name)
    _box(cs, "contact").click()
    cs.locator(".select2-container--open li.select2-results__option:not(.loading-results)").first.click()
    assert cs.locator("select#contact").input_value() != ""
    expect(_box(cs, "contact")).not_to_contain_text("请先选择客户")
    with app.app_context():
        other = db.session.scalar(sa.select(Customer.name).where(Customer.id != customer.id).order_by(Customer.id))
        db.session.remove()
    choose(cs, "customer", other)
    assert cs.locator("select#contact").input_value() == ""


def test_keeper_filters_the_ledger_by_typing_a_part_code(live_server, open_page, shot):
    app = live_server.app
    with app.app_context():
        part = db.session.scalars(sa.select(Part).join(StockMovement, StockMovement.part_id == Part.id)
                                  .order_by(Part.code)).first()
        code, name, pk = part.code, part.name, part.id
        db.session.remove()
    keeper = open_page("keeper", locale="zh_Hans")
    keeper.goto(live_server("/stockmovementview/list/"))
    panel = keeper.locator("#filter_form")
    if not panel.is_visible():
        keeper.locator("a.accordion-toggle").first.click()
        expect(panel).to_be_visible()
    rows = panel.locator("table.filters tr")
    for _attempt in range(3):  # a click while the panel still unfolds can miss the menu
        panel.get_by_role("button").filter(has=keeper.locator(".caret")).first.click()
        panel.locator("a.filter[name='part_id']").click()
        try:
            expect(rows).to_have_count(1, timeout=5_000)
            break
        except AssertionError:
            continue
    row = rows.last
    expect(row.locator(".filter-op + .select2")).to_contain_text("是")  # "is", not "id equal to"
    row.locator("select.lookup-box + .select2 .select2-selection").click()
    keeper.locator(".select2-container--open .select2-search__field").fill(code)
    option = keeper.locator(".select2-results__option", has_text=code).first
    expect(option).to_be_visible()
    option.click()
    shot(keeper, "lookup-ledger-filter-typed-zh")
    with saving(keeper):
        keeper.locator("#filter_form button[type=submit]").click()
    assert f"part_id={pk}" in keeper.url
    # the filter shows the part by its code and name again, not its id
    expect(keeper.locator("#filter_form select.lookup-box + .select2")).to_contain_text(code)
    rows = keeper.locator("table.table tbody tr")
    expect(rows.first).to_contain_text(name)
    assert "__None" not in keeper.content()
    shot(keeper, "lookup-ledger-filtered-zh")


def test_complaint_form_offers_the_tickets_of_its_customer(live_server, open_page, shot):
    app = live_server.app
    with app.app_context():
        cid = db.session.scalar(sa.select(Ticket.customer_id).order_by(Ticket.id))
        name = db.session.get(Customer, cid).name
        numbers = set(db.session.scalars(sa.select(Ticket.number).where(Ticket.customer_id == cid)))
        db.session.remove()
    cs = open_page("cs", locale="zh_Hans")
    cs.goto(live_server("/complaintview/add"))
    expect(cs.locator("select#ticket")).to_be_disabled()
    choose(cs, "customer", name)
    expect(cs.locator("select#ticket")).to_be_enabled()
    _box(cs, "ticket").click()
    results = cs.locator(".select2-container--open li.select2-results__option:not(.loading-results)")
    expect(results.first).to_be_visible()
    offered = {t.split(" · ")[0] for t in results.all_inner_texts()}
    assert offered and offered <= numbers, (offered, numbers)
    shot(cs, "lookup-complaint-tickets-zh")
    cs.keyboard.press("Escape")
    assert "__None" not in cs.locator("form").inner_text()


def test_ticket_list_customer_filter_reads_the_name(live_server, open_page):
    app = live_server.app
    with app.app_context():
        customer = db.session.scalar(sa.select(Customer).join(Ticket, Ticket.customer_id == Customer.id)
                                     .order_by(Customer.id))
        cid, name = customer.id, customer.name
        db.session.remove()
    manager = open_page("manager", locale="zh_Hans")
    manager.goto(live_server(f"/ticketview/list/?_flt_0_customer_id={cid}"))
    panel = manager.locator("#filter_form")
    if not panel.is_visible():
        manager.locator("a.accordion-toggle").first.click()
    row = panel.locator("table.filters tr").last
    expect(row.locator(".filter-op + .select2")).to_contain_text("是")
    expect(row.locator("select.lookup-box + .select2")).to_contain_text(name)
    expect(manager.locator("table.table tbody tr").first).to_contain_text(name)


def test_keeper_filters_requisitions_by_ticket_without_a_ticket_list(live_server, open_page):
    """The keeper may not list tickets; the requisition list's ticket filter still reads and finds
    the tickets of his requisitions (no "results could not be loaded")."""
    from app.models import Requisition

    app = live_server.app
    with app.app_context():
        ticket = db.session.scalar(sa.select(Ticket).join(Requisition, Requisition.ticket_id == Ticket.id)
                                   .order_by(Ticket.id))
        pk, number = ticket.id, ticket.number
        db.session.remove()
    keeper = open_page("keeper", locale="zh_Hans")
    keeper.goto(live_server(f"/requisitionview/list/?_flt_0_ticket_id={pk}"))
    panel = keeper.locator("#filter_form")
    if not panel.is_visible():
        keeper.locator("a.accordion-toggle").first.click()
    row = panel.locator("table.filters tr").last
    expect(row.locator("select.lookup-box + .select2")).to_contain_text(number)
    row.locator("select.lookup-box + .select2 .select2-selection").click()
    keeper.locator(".select2-container--open .select2-search__field").fill(number)
    option = keeper.locator(".select2-results__option", has_text=number).first
    expect(option).to_be_visible()
    expect(keeper.locator(".select2-results__message")).to_have_count(0)
    expect(keeper.locator("table.table tbody tr").first).to_contain_text(number)
