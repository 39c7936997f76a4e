"""Every list of the app — each screen's list page and each API's list — costs a few SQL statements
on the demo department, whatever its page size, sort or page: the count, the page's ids, the rows
and a batch per related kind shown, plus the login's own lookups. A list that loads a related row
per line, or joins what it does not show, fails here. The screens' sweep is dealt among
test_list_statements.py and test_list_statements_part2.py (tests/shards.py `part`: files that
pytest-xdist's two workers run side by side).
"""
from __future__ import annotations

from flask import url_for
from flask_appbuilder import ModelRestApi, ModelView

from app.extensions import db
from tests.conftest import count_queries, login
from tests.shards import dealt, mine

PARTS = 2  # test files the screens' sweep is dealt among
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


def api_lists(app) -> list[tuple[str, str, list[str]]]:
    """(API name, list URL, offered sorts) of every registered ModelRestApi."""
    return [(type(api).__name__, f"/api/v1/{api.resource_name}/", list(api.order_columns))
            for api in app.appbuilder.baseviews if isinstance(api, ModelRestApi)]


def counted(app, client, url: str, **kwargs) -> tuple[int, list[str]]:
    with app.app_context(), count_queries(db.engine) as statements:
        resp = client.get(url, **kwargs)
    assert resp.status_code == 200, (url, resp.status_code)
    return len(statements), statements


def show(statements: list[str]) -> str:
    return "\n".join(s.replace("\n", " ")[:300] for s in statements)


def every_list_page_costs_a_few_statements(demo, part: int) -> None:
    """The screens' part `part` of PARTS: each list page at two sizes, page 3 and every sort."""
    admin_web = demo.test_client()
    assert login(admin_web, "admin").status_code == 302
    lists = _html_lists(demo)
    assert len(lists) > 40, [name for name, _, _ in lists]  # every screen of the department
    for name, url, sorts in dealt(lists, (part, PARTS)):
        bound = FAB_SCREENS.get(name, MAX_STATEMENTS)
        admin_web.get(url)  # warm up: the login's session
        small, _ = counted(demo, admin_web, f"{url}?psize_{name}=10")
        big, statements = counted(demo, admin_web, f"{url}?psize_{name}=100")
        assert small == big, (name, small, big, show(statements))
        assert big <= bound, (name, big, show(statements))
        deep, statements = counted(demo, admin_web, f"{url}?psize_{name}=10&page_{name}=3")
        assert deep <= bound, (name, "page 3", deep, show(statements))
        for column in mine(sorts):  # CI: half the sorts on each database (tests/shards.py)
            for direction in ("asc", "desc"):
                n, statements = counted(demo, admin_web, f"{url}?_oc_{name}={column}&_od_{name}={direction}")
                assert n <= bound, (name, column, direction, n, show(statements))

