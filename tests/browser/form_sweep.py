"""Every date and date-time box of every edit and add form, typed into with the keyboard: the
sweeps, the edit forms' dealt among test_date_fields.py and test_date_fields_part2.py … _part4.py
(tests/shards.py `part`: files that pytest-xdist's two workers run side by side, where one file
took a minute on one of them).

The forms are enumerated from the application (every ModelView whose edit form holds a date or
a timestamp), each visited as a login whose role may edit there. A typed value must be saved and
shown back exactly as typed, in local time, on the edit form and on the record page.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from flask_appbuilder import ModelView

from app import clock
from app.security.policy import grants
from app.security.roles import CS, DEPARTMENT_ROLES, FIELD, KEEPER, MANAGER, TECH
from tests.shards import mine, share

from .dates import type_into

PARTS = 4  # test files the edit forms' sweep is dealt among
LOGIN = {MANAGER: "manager", TECH: "tech", FIELD: "field1", CS: "cs", KEEPER: "keeper"}
SHOWN_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def _kind(datamodel, column: str) -> str | None:
    if column not in datamodel.list_columns:
        return None
    if datamodel.is_datetime(column):
        return "datetime"
    return "date" if datamodel.is_date(column) else None


def _login_for(view_name: str, permission: str) -> str | None:
    for role in DEPARTMENT_ROLES:
        if (view_name, permission) in grants(role):
            return LOGIN[role]
    return None


def _edit_forms(app, action: str = "edit") -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(view name, route, login, [(column, kind)]) for every edit (or add) form with a date box."""
    found = []
    with app.test_request_context():
        for view in app.appbuilder.baseviews:
            if not isinstance(view, ModelView) or action in (view.exclude_route_methods or ()):
                continue
            if action == "add" and type(view).add is not ModelView.add:
                continue  # a page of its own (requisition slip, upload…), not FAB's form: its journey types there
            form = view.edit_form if action == "edit" else view.add_form
            columns = [(c, k) for c in form()._fields if (k := _kind(view.datamodel, c))]
            login = _login_for(type(view).__name__, f"can_{action}")
            if columns and login:
                found.append((type(view).__name__, view.route_base, login, columns))
    return found


def _next_value(shown: str, kind: str, days: int = 1) -> str:
    """A different value of the same kind: `days` earlier (every box alike keeps start ≤ end rules)."""
    if kind == "date":
        day = date.fromisoformat(shown) if shown else clock.today_local()
        return (day - timedelta(days=days)).isoformat()
    if shown:
        moment = datetime.strptime(shown[:16], "%Y-%m-%d %H:%M")
    else:
        moment = clock.now_local().replace(tzinfo=None, second=0, microsecond=0) - timedelta(hours=3)
    return (moment - timedelta(days=days, minutes=7)).strftime("%Y-%m-%d %H:%M")


class Pages:
    """One logged-in page per login for the whole test (a person keeps their tab)."""

    def __init__(self, open_page):
        self.open_page, self.pages = open_page, {}

    def __call__(self, login: str):
        if login not in self.pages:
            self.pages[login] = self.open_page(login)
        return self.pages[login]


def every_edit_form_takes_typed_dates_and_shows_them_back(open_page, live_server, shot, part: int) -> None:
    """The edit forms' part `part` of PARTS: each date typed in is saved and shown back as typed."""
    forms = _edit_forms(live_server.app)
    assert len(forms) >= 20, forms
    forms = mine(forms, (part, PARTS))  # CI: half on each database, then this file's part (tests/shards.py)
    if not forms:
        pytest.skip("a sharded run checks its half of the sweep in part 1")
    pages = Pages(open_page)
    problems, edited, display, refused = [], [], [], []
    for view_name, route, login, columns in forms:
        page = pages(login)
        page.goto(live_server(f"{route}/list/"))
        link = page.locator("table a[href*='/edit/']").first
        if not link.count():
            continue  # nothing this login may edit is on file
        edit_url = live_server(link.get_attribute("href"))
        for days in (1, -1):  # a day earlier; if a rule of the record refuses that, a day later
            page.goto(edit_url)
            typed = {}
            for column, kind in columns:
                box = page.locator(f"input#{column}[data-picker='{kind}']")
                if not box.count():
                    problems.append(f"{view_name}.{column}: no {kind} box on the edit form")
                    continue
                if box.is_disabled() or not box.is_visible():
                    continue
                typed[column] = _next_value(box.input_value(), kind, days)
                type_into(page, f"input#{column}", typed[column])
                assert box.input_value() == typed[column], f"{view_name}.{column}: Tab changed the text"
            with page.expect_navigation():
                page.locator("form button[type=submit], form input[type=submit]").first.click()
            errors = page.locator(".alert-danger").all_inner_texts()
            if "/edit/" not in page.url and not errors:
                break
            unread = [e for e in errors if "Could not read" in e]
            if unread or days == -1:
                (problems if unread else refused).append(f"{view_name} as {login}: not saved: {errors or page.url}")
        else:
            continue
        page.goto(edit_url)
        for column, value in typed.items():
            shown = page.locator(f"input#{column}").input_value()
            if shown != value:
                problems.append(f"{view_name}.{column}: typed {value!r}, edit form shows {shown!r}")
        page.goto(edit_url.replace("/edit/", "/show/"))
        body = page.locator("body").inner_text()
        for column, value in typed.items():
            if value not in body:
                display.append(f"{view_name}.{column}: {value!r} not on the record page")
        edited.append(view_name)
        if view_name == "RepairRecordView":
            shot(page, "repair-record-after-edit-en")
    assert not problems, problems
    assert len(edited) >= 15 // share((part, PARTS)), f"only {edited} had an editable record; refused by their rules: {refused}"
    assert not display, display
    print(f"edited {len(edited)} forms; refused by their rules both ways: {refused}")


def every_add_form_takes_typed_dates(open_page, live_server) -> None:
    """Each date box of each add form keeps what is typed into it (Tab, the calendar, the page's
    scripts); saving and reading back is the edit forms' sweep above and the journeys'."""
    forms = _edit_forms(live_server.app, "add")
    assert len(forms) >= 20, forms
    forms = mine(forms)  # CI: half on each database (tests/shards.py)
    declared = {type(v).__name__: set(getattr(type(v), "add_columns", None) or ())
                for v in live_server.app.appbuilder.baseviews}
    pages, problems = Pages(open_page), []
    for view_name, route, login, columns in forms:
        page = pages(login)
        page.goto(live_server(f"{route}/add"))
        for column, kind in columns:
            box = page.locator(f"input#{column}[data-picker='{kind}']")
            if not box.count():
                if column in declared[view_name]:  # (FAB's default form leaves out the audit columns)
                    problems.append(f"{view_name}.{column}: no {kind} box on the add form")
                continue
            if box.is_disabled() or not box.is_visible():
                continue
            value = _next_value(box.input_value(), kind, 2)
            type_into(page, f"input#{column}", value)
            if box.input_value() != value:
                problems.append(f"{view_name}.{column}: typed {value!r}, the box shows {box.input_value()!r}")
    assert not problems, problems
