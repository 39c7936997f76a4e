"""Every date and date-time filter of every list, typed into with the keyboard.

The lists are enumerated from the application (every ModelView with a date or timestamp among
its search columns), each visited as a login whose role may list there. A filter that is ignored,
misread or read in UTC instead of local time fails here: "after 2099" must empty every list, and on
the ticket list a filter one minute either side of a ticket's local receive time must take it in
or leave it out.
"""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from flask_appbuilder import ModelView
from playwright.sync_api import Page, expect

from app import clock
from app.extensions import db
from app.models import Ticket
from app.security.policy import grants
from app.security.roles import CS, DEPARTMENT_ROLES, FIELD, KEEPER, MANAGER, TECH
from tests.shards import mine, shard

from .dates import add_filter

LOGIN = {MANAGER: "manager", TECH: "tech", FIELD: "field1", CS: "cs", KEEPER: "keeper"}
FUTURE = {"datetime": "2099-01-01 00:00", "date": "2099-01-01"}


def _date_filters(app) -> list[tuple[str, str, str, str, str]]:
    """(view name, route, login, column, kind) for every date / date-time list filter."""
    found = []
    with app.test_request_context():
        for view in app.appbuilder.baseviews:
            if not isinstance(view, ModelView) or "list" in (view.exclude_route_methods or ()):
                continue
            login = next((LOGIN[r] for r in DEPARTMENT_ROLES if (type(view).__name__, "can_list") in grants(r)), None)
            for column in view.search_columns if login else ():
                dm = view.datamodel
                kind = "datetime" if dm.is_datetime(column) else "date" if dm.is_date(column) else None
                if kind:
                    found.append((type(view).__name__, view.route_base, login, column, kind))
    return found


def _count(page: Page) -> int:
    """Rows the list reports (FAB's "Record Count"), 0 for "No records found"; past the screens' counting
    limit ("more than 10,000") one more than the limit."""
    text = page.locator("body").inner_text()
    match = re.search(r"Record Count:\s*(more than\s*)?([\d,]+)", text)
    if match:
        return int(match.group(2).replace(",", "")) + (1 if match.group(1) else 0)
    assert "No records found" in text, f"{page.url}: neither a count nor 'No records found'"
    return 0


def _submit(page: Page, value: str) -> int:
    with page.expect_navigation():
        page.locator("#filter_form button[type=submit]").click()
    kept = [box.input_value() for box in page.locator("#filter_form table.filters input[data-picker]").all()]
    assert value in kept, f"the page came back without the filter as typed: {value!r} not in {kept}"
    return _count(page)


def _search(page: Page, column: str, operation: str, value: str) -> int:
    add_filter(page, column, operation, value)
    box = page.locator("#filter_form table.filters tr").last.locator("input[data-picker]")
    assert box.input_value() == value, f"{column}: the filter box changed {value!r} to {box.input_value()!r}"
    return _submit(page, value)


def test_every_date_filter_is_applied_as_typed(open_page, live_server):
    filters = _date_filters(live_server.app)
    assert len(filters) >= 20, filters
    pages, problems, checked, totals = {}, [], 0, {}
    filters = mine(filters)  # CI: half on each database (tests/shards.py)
    for view_name, route, login, column, kind in filters:
        page = pages.get(login) or pages.setdefault(login, open_page(login))
        page.goto(live_server(f"{route}/list/"))
        if view_name not in totals:
            totals[view_name] = _count(page)
        if not totals[view_name]:
            continue
        print(f"{view_name}.{column} ({kind}) as {login}", flush=True)  # shown when a step fails
        after_future = _search(page, column, "Greater than", FUTURE[kind])
        if after_future != 0:  # an ignored or misread filter keeps rows
            problems.append(f"{view_name}.{column} > {FUTURE[kind]}: {after_future} of {totals[view_name]} rows, "
                            "expected none")
        checked += 1
    assert not problems, problems
    assert checked >= 15 // shard()[1], f"only {checked} date filters had rows to filter"


def test_ticket_filter_reads_local_time_to_the_minute(open_page, live_server, shot):
    with live_server.app.app_context():
        ticket = db.session.scalars(sa.select(Ticket).order_by(Ticket.received_at.desc())).first()
        number, received = ticket.number, clock.to_local(ticket.received_at).replace(tzinfo=None)
        db.session.remove()
    page = open_page("manager")
    before = (received - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
    after = (received + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")

    page.goto(live_server("/ticketview/list/"))
    _search(page, "received_at", "Greater than", before)
    expect(page.locator("table.table-bordered")).to_contain_text(number)
    shot(page, "ticket-list-filtered-en")

    page.goto(live_server("/ticketview/list/"))
    _search(page, "received_at", "Greater than", after)
    expect(page.locator("body")).not_to_contain_text(number)

    page.goto(live_server("/ticketview/list/"))
    _search(page, "received_at", "Smaller than", after)
    expect(page.locator("table.table-bordered")).to_contain_text(number)
