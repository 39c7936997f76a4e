"""Every list of the app — each screen's list page and each API's list — costs a few SQL statements
on the demo department, whatever its page size, sort or page: the count, the page's ids, the rows
and a batch per related kind shown, plus the login's own lookups. A list that loads a related row
per line, or joins what it does not show, fails here.
"""
from __future__ import annotations

import pytest
from flask import url_for
from flask_appbuilder import ModelRestApi, ModelView

from app.extensions import db
from tests.conftest import api_headers, count_queries, login
from tests.shards import mine

MAX_STATEMENTS = 8
# FAB's own screens of logins, roles and permissions: their filter forms list every role,
# permission and login (one statement each); constant in page size, but above the bound
FAB_SCREENS = {"ServiceUserDBModelView": 9, "ServiceRoleModelView": 10, "ServicePermissionViewModelView": 9}


def _html_lists(app) -> list[tuple[str, str, list[str]]]:
    """(view name, list URL, offered sorts) of every registered ModelView with a list page."""
    found = []
    with app.test_request_context():
        for view in app.appbuilder.baseviews:
            if isinstance(view, ModelView) and f"{view.endpoint}.list" in app.view_functions:
                found.append((type(view).__name__, url_for(f"{view.endpoint}.list"), list(view.order_columns)))
    return found


def _api_lists(app) -> list[tuple[str, str, list[str]]]:
    """(API name, list URL, offered sorts) of every registered ModelRestApi."""
    return [(type(api).__name__, f"/api/v1/{api.resource_name}/", list(api.order_columns))
            for api in app.appbuilder.baseviews if isinstance(api, ModelRestApi)]


def _counted(app, client, url: str, **kwargs) -> tuple[int, list[str]]:
    with app.app_context(), count_queries(db.engine) as statements:
        resp = client.get(url, **kwargs)
    assert resp.status_code == 200, (url, resp.status_code)
    return len(statements), statements


def _show(statements: list[str]) -> str:
    return "\n".join(s.replace("\n", " ")[:300] for s in statements)


@pytest.fixture(scope="module")
def admin_web(demo):
    web = demo.test_client()
    assert login(web, "admin").status_code == 302
    return web


def test_every_list_page_costs_a_few_statements_whatever_its_size_sort_or_depth(demo, admin_web):
    lists = _html_lists(demo)
    assert len(lists) > 40, [name for name, _, _ in lists]  # every screen of the department
    for name, url, sorts in lists:
        bound = FAB_SCREENS.get(name, MAX_STATEMENTS)
        admin_web.get(url)  # warm up: the login's session
        small, _ = _counted(demo, admin_web, f"{url}?psize_{name}=10")
        big, statements = _counted(demo, admin_web, f"{url}?psize_{name}=100")
        assert small == big, (name, small, big, _show(statements))
        assert big <= bound, (name, big, _show(statements))
        deep, statements = _counted(demo, admin_web, f"{url}?psize_{name}=10&page_{name}=3")
        assert deep <= bound, (name, "page 3", deep, _show(statements))
        for column in mine(sorts):  # CI: half the sorts on each database (tests/shards.py)
            for direction in ("asc", "desc"):
                n, statements = _counted(demo, admin_web, f"{url}?_oc_{name}={column}&_od_{name}={direction}")
                assert n <= bound, (name, column, direction, n, _show(statements))


def test_every_api_list_costs_a_few_statements_whatever_its_size_sort_or_depth(demo):
    client = demo.test_client()
    headers = api_headers(client, "admin")
    lists = _api_lists(demo)
    assert len(lists) > 40, [name for name, _, _ in lists]
    for name, url, sorts in lists:
        small, _ = _counted(demo, client, f"{url}?q=(page_size:10)", headers=headers)
        big, statements = _counted(demo, client, f"{url}?q=(page_size:100)", headers=headers)
        assert small == big, (name, small, big, _show(statements))
        assert big <= MAX_STATEMENTS, (name, big, _show(statements))
        deep, statements = _counted(demo, client, f"{url}?q=(page:3,page_size:10)", headers=headers)
        assert deep <= MAX_STATEMENTS, (name, "page 3", deep, _show(statements))
        for column in mine(sorts):  # CI: half the sorts on each database (tests/shards.py)
            for direction in ("asc", "desc"):
                n, statements = _counted(demo, client, f"{url}?q=(order_column:{column},order_direction:{direction})",
                                         headers=headers)
                assert n <= MAX_STATEMENTS, (name, column, direction, n, _show(statements))
