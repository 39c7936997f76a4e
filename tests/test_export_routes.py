"""Every export route: granted exactly where the list is, and it works for every role that may list."""
from __future__ import annotations

import io

import openpyxl
import pytest
from flask_appbuilder import ModelRestApi

from app.extensions import db
from app.security import policy
from app.security.roles import ADMIN, DEPARTMENT_ROLES, FIELD
from tests.conftest import api_headers, login
from tests.factories import make_record
from tests.shards import mine, shard

LOGIN_OF = {ADMIN: "admin", "Manager": "manager", "Tech Engineer": "tech", FIELD: "field1",
            "Customer Service": "cs", "Parts Keeper": "keeper"}
ROLES = [ADMIN, *DEPARTMENT_ROLES]


def _export_views(app):
    out = []
    for view in app.appbuilder.baseviews:
        if not hasattr(view, "export_xlsx"):
            continue
        api = isinstance(view, ModelRestApi)
        endpoint = f"{view.endpoint}.export_xlsx" if not api else f"{view.__class__.__name__}.export_xlsx"
        rule = next((r for r in app.url_map.iter_rules() if r.endpoint == endpoint), None)
        if rule is not None:
            out.append((view, api, rule.rule))
    return out


def _may_list(role, view, api) -> bool:
    perm = "can_get" if api else "can_list"
    if perm not in (view.base_permissions or ()):
        return False
    return role == ADMIN or (view.class_permission_name, perm) in policy.grants(role)


@pytest.fixture
def rows(app, staff):
    """One record of every policy resource, so every list and export has something to write."""
    with app.app_context():
        for resource in sorted(policy.POLICY):
            view = next((v for v in app.appbuilder.baseviews
                         if v.class_permission_name == policy.view_name(resource)), None)
            if view is not None:
                try:
                    make_record(resource, view.datamodel.obj)
                except StopIteration:  # made already by another record's factory (service levels)
                    db.session.rollback()


def test_every_export_route_is_granted_exactly_where_its_list_is(app):
    sm = app.appbuilder.sm
    wrong = []
    for view, api, url in _export_views(app):
        name = view.class_permission_name
        if "can_export" not in (view.base_permissions or ()):
            wrong.append(f"{url}: nobody may export ({name} has no can_export)")
        for role in DEPARTMENT_ROLES:
            listed = (name, "can_get" if api else "can_list") in sm.grants(role)
            exported = (name, "can_export") in sm.grants(role)
            if listed != exported:
                wrong.append(f"{url} {role}: list {listed}, export {exported}")
    assert not wrong, "\n".join(wrong)


def test_every_resource_and_screen_list_exports_for_every_role_that_may_list_it(app, rows):
    failures, checked = [], 0
    clients = {}
    for role in ROLES:
        client = app.test_client()
        assert login(client, LOGIN_OF[role]).status_code == 302
        clients[role] = (client, api_headers(app.test_client(), LOGIN_OF[role]))
    for view, api, url in mine(_export_views(app)):  # each list once per CI (tests/shards.py)
        for role in ROLES:
            if not _may_list(role, view, api):
                continue
            client, headers = clients[role]
            resp = client.get(url, headers=headers if api else {})
            checked += 1
            if resp.status_code != 200:
                failures.append(f"{role} {url}: {resp.status_code} {resp.get_data()[:120]!r}")
                continue
            book = openpyxl.load_workbook(io.BytesIO(resp.data), read_only=True)
            if book.worksheets[0].max_row < 1:
                failures.append(f"{role} {url}: empty workbook")
    assert checked > 100 // shard()[1]
    assert not failures, f"{len(failures)} of {checked}:\n" + "\n".join(failures)


def test_repair_record_export_with_engineers_works(app, client, rows):
    headers = api_headers(client, "manager")
    resp = client.get("/api/v1/repair_record/export.xlsx", headers=headers)
    assert resp.status_code == 200
