"""Every date and date-time filter of every list, typed into with the keyboard: the sweep, dealt
among test_list_filters.py and test_list_filters_part2.py … _part4.py (tests/shards.py `part`: files
that pytest-xdist's two workers run side by side, where one file took a minute on one of them).

The lists are enumerated from the application (every ModelView with a date or timestamp among
its search columns), each visited as a login whose role may list there. A filter that is ignored,
misread or read in UTC instead of local time fails here: "after 2099" must empty every list (and on
the ticket list, test_list_filters.py, a filter one minute either side of a ticket's local receive
time must take it in or leave it out).
"""
from __future__ import annotations

import re

import pytest
from flask_appbuilder import ModelView
from playwright.sync_api import Page

from app.security.policy import grants
from app.security.roles import CS, DEPARTMENT_ROLES, FIELD, KEEPER, MANAGER, TECH
from tests.shards import mine, share

from .dates import add_filter

PARTS = 4  # test files the sweep is dealt among
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


def search(page: Page, column: str, operation: str, value: str) -> int:
    """Rows the list shows once the filter `column operation value` is typed in and applied."""
    add_filter(page, column, operation, value)
    box = page.locator("#filter_form table.filters tr").last.locator("input[data-picker]")
    assert box.input_value() == value, f"{column}: the filter box changed {value!r} to {box.input_value()!r}"
    return _submit(page, value)


def every_date_filter_is_applied_as_typed(open_page, live_server, part: int) -> None:
    """The sweep's part `part` of PARTS: "after 2099" empties each list it filters."""
    filters = _date_filters(live_server.app)
    assert len(filters) >= 20, filters
    pages, problems, checked, totals = {}, [], 0, {}
    filters = mine(filters, (part, PARTS))  # CI: half on each database, then this file's part (tests/shards.py)
    if not filters:
        pytest.skip("a sharded run checks its half of the sweep in part 1")
    for view_name, route, login, column, kind in filters:
        page = pages.get(login) or pages.setdefault(login, open_page(login))
        page.goto(live_server(f"{route}/list/"))
        if view_name not in totals:
            totals[view_name] = _count(page)
        if not totals[view_name]:
            continue
        print(f"{view_name}.{column} ({kind}) as {login}", flush=True)  # shown when a step fails
        after_future = search(page, column, "Greater than", FUTURE[kind])
        if after_future != 0:  # an ignored or misread filter keeps rows
            problems.append(f"{view_name}.{column} > {FUTURE[kind]}: {after_future} of {totals[view_name]} rows, "
                            "expected none")
        checked += 1
    assert not problems, problems
    assert checked >= 15 // share((part, PARTS)), f"only {checked} date filters had rows to filter"

