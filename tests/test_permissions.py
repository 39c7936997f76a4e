"""The permission matrix, cell by cell, built FROM the policy table.

Every POLICY resource × every role (plus Admin and anonymous) × every action of
the screen (list / show / add / edit / delete) and of the REST API (get list,
get item, info, post, put, delete) is one test. Rows added to POLICY by other
areas are covered without touching this file; their records come from
tests/factories.py (registry, else the generic factory).
"""
from __future__ import annotations

import pytest
from flask_appbuilder import ModelRestApi, ModelView

from app.extensions import db
from app.security import policy
from app.security.matrix import render, row_restricted
from app.security.roles import ADMIN, CS, DEPARTMENT_ROLES, FIELD, KEEPER, MANAGER, TECH
from app.security.cli import DOC_PATH
from tests.conftest import csrf_token
from tests.factories import exists, make_record, wipe_with_delete

LOGIN_OF = {ADMIN: "admin", MANAGER: "manager", TECH: "tech", FIELD: "field1", CS: "cs", KEEPER: "keeper"}
ANON = "anonymous"
PRINCIPALS = [ADMIN, *DEPARTMENT_ROLES, ANON]
HTML_ACTIONS = {"list": "can_list", "show": "can_show", "add": "can_add", "edit": "can_edit",
                "delete": "can_delete"}
API_ACTIONS = {"get_list": "can_get", "get": "can_get", "info": "can_info", "post": "can_post",
               "put": "can_put", "delete": "can_delete"}
NEEDS_ROW = {"show", "edit", "delete", "get", "put"}


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Overrides conftest's wipe for this module (same tables, faster statement)."""
    yield
    wipe_with_delete(app)


def _cells(actions):
    return [
        pytest.param(resource, role, action, id=f"{resource}-{role.replace(' ', '_')}-{action}")
        for resource in sorted(policy.POLICY) for role in PRINCIPALS for action in actions
    ]


def _view(app, name):
    for view in app.appbuilder.baseviews:
        if view.class_permission_name == name:
            return view
    pytest.fail(f"{name} is in POLICY but not registered (app/views/__init__.py)")


def _policy_allows(resource: str, role: str, perm: str, view) -> bool:
    """What the policy table declares, limited to what the view really exposes."""
    if perm not in (view.base_permissions or ()):
        return False
    if role == ADMIN:
        return True
    if role == ANON:
        return False
    lvl = policy.level(resource, role)
    table = policy.VIEW_PERMS if isinstance(view, ModelView) else policy.API_PERMS
    return lvl != policy.NONE and perm in table[lvl]


def _other_rows_only(role: str, view) -> bool:
    """A field engineer acting on a row that is not theirs: 404, not the row."""
    return role == FIELD and row_restricted(view)


@pytest.mark.parametrize("resource,role,action", _cells(HTML_ACTIONS))
def test_screen_permission(app, client, as_user, resource, role, action):
    view = _view(app, policy.view_name(resource))
    model = view.datamodel.obj
    with app.app_context():
        pk = make_record(resource, model) if action in NEEDS_ROW else None
    allowed = _policy_allows(resource, role, HTML_ACTIONS[action], view)
    if role != ANON:
        as_user(LOGIN_OF[role])
    base = view.route_base
    url = {"list": f"{base}/list/", "show": f"{base}/show/{pk}", "add": f"{base}/add",
           "edit": f"{base}/edit/{pk}", "delete": f"{base}/delete/{pk}"}[action]
    token = csrf_token(client, "/login/" if role == ANON else "/resetmypassword/form")

    if action == "delete":
        # GET never deletes, whoever asks.
        client.get(url)
        with app.app_context():
            assert exists(model, pk), "GET on a delete route removed the row"
        resp = client.post(url, data={"csrf_token": token})
    else:
        resp = client.get(url)

    if role == ANON:
        assert resp.status_code == 302 and "/login/" in resp.headers["Location"], resp.status_code
    elif not allowed:
        assert resp.status_code == 403, f"{role} should be refused {action} on {resource}: {resp.status_code}"
        if action in ("add", "edit"):
            # Posting the form (with a valid CSRF token) is refused too.
            assert client.post(url, data={"csrf_token": token}).status_code == 403
    elif action in NEEDS_ROW and _other_rows_only(role, view):
        assert resp.status_code in (404, 302), resp.status_code
    elif action == "delete":
        assert resp.status_code == 302, resp.status_code
    else:
        assert resp.status_code == 200, f"{role} should be able to {action} {resource}: {resp.status_code}"
    if action == "delete":
        with app.app_context():
            gone = not exists(model, pk)
        assert gone == (allowed and role != ANON and not _other_rows_only(role, view))


@pytest.mark.parametrize("resource,role,action", _cells(API_ACTIONS))
def test_api_permission(app, client, api, resource, role, action):
    view = _view(app, policy.api_name(resource))
    model = view.datamodel.obj
    with app.app_context():
        pk = make_record(resource, model) if action in NEEDS_ROW | {"delete"} else None
    perm = API_ACTIONS[action]
    allowed = _policy_allows(resource, role, perm, view)
    exposed = perm in (view.base_permissions or ())
    headers = {} if role == ANON else api(LOGIN_OF[role])
    base = f"/api/v1/{view.resource_name}"
    method, url = {"get_list": ("get", f"{base}/"), "get": ("get", f"{base}/{pk}"),
                   "info": ("get", f"{base}/_info"), "post": ("post", f"{base}/"),
                   "put": ("put", f"{base}/{pk}"), "delete": ("delete", f"{base}/{pk}")}[action]
    kwargs = {"json": {}} if method in ("post", "put") else {}
    resp = getattr(client, method)(url, headers=headers, **kwargs)

    if not exposed:
        assert resp.status_code in (403, 404, 405) or (role == ANON and resp.status_code == 401), \
            resp.status_code
    elif role == ANON:
        assert resp.status_code == 401, resp.status_code
    elif not allowed:
        assert resp.status_code == 403, f"{role} should be refused {action} on {resource}: {resp.status_code}"
        assert resp.json == {"message": "Forbidden"}
    elif action in ("get", "put", "delete") and _other_rows_only(role, view):
        assert resp.status_code == 404, resp.status_code
    elif action == "post":
        # An empty body is bad input, but the permission let it through to validation.
        assert resp.status_code not in (401, 403, 405), resp.status_code
        assert resp.status_code < 500
    else:
        assert resp.status_code == 200, f"{role} should be able to {action} {resource}: {resp.status_code}"
    if action == "delete":
        with app.app_context():
            gone = not exists(model, pk)
        assert gone == (allowed and not _other_rows_only(role, view))


def test_every_model_view_and_api_has_a_policy_row(app):
    """Nothing escapes the matrix: each of the app's model screens and APIs is in POLICY or EXTRA."""
    extra = {view for pairs in policy.EXTRA.values() for view, _ in pairs}
    in_policy = {policy.view_name(r) for r in policy.POLICY} | {policy.api_name(r) for r in policy.POLICY}
    missing = [
        view.class_permission_name for view in app.appbuilder.baseviews
        if type(view).__module__.startswith("app.views") and isinstance(view, (ModelView, ModelRestApi))
        and view.class_permission_name not in in_policy | extra
    ]
    assert missing == [], f"add these to app/security/policy.py: {missing}"


def test_grants_in_fab_tables_match_the_policy(app):
    """`sync_role_permissions` wrote exactly the effective grants into FAB's role tables."""
    sm = app.appbuilder.sm
    with app.app_context():
        for role_name in DEPARTMENT_ROLES:
            role = sm.find_role(role_name)
            stored = {(pv.view_menu.name, pv.permission.name) for pv in role.permissions}
            assert stored == set(sm.grants(role_name)), role_name


def test_nobody_but_admin_manages_users_and_roles(app, client, as_user):
    for login in ("manager", "tech", "field1", "cs", "keeper"):
        client.get("/logout/")
        as_user(login)
        for url in ("/users/list/", "/roles/list/", "/users/add"):
            assert client.get(url).status_code == 403, (login, url)
    client.get("/logout/")
    as_user("admin")
    assert client.get("/users/list/").status_code == 200


def test_permissions_doc_is_up_to_date(app):
    """docs/PERMISSIONS.md is generated; regenerate with `flask permissions-doc` when this fails."""
    with app.app_context():
        text = render(app.appbuilder)
    assert DOC_PATH.read_text(encoding="utf-8") == text, "run `make permissions-doc`"


def test_permissions_doc_cli_check(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["permissions-doc", "--check"])
    assert result.exit_code == 0, result.output


def test_csrf_form_post_without_token_is_refused(app, client, as_user):
    as_user("manager")
    view = _view(app, "CustomerView")
    with app.app_context():
        before = db.session.query(view.datamodel.obj).count()
    resp = client.post(f"{view.route_base}/add", data={"code": "X1", "name": "No token", "region": "R"})
    assert resp.status_code == 400
    with app.app_context():
        assert db.session.query(view.datamodel.obj).count() == before
