"""The permission matrix, cell by cell, built FROM the policy table.

Every POLICY resource × every role (plus Admin and anonymous) × every action of
the screen (list / show / add / edit / delete) and of the REST API (get list,
get item, info, post, put, delete) is asserted. One test per resource and
surface checks all its cells against records made once for that test (a fresh
record for each delete), and reports every failing cell by name. Rows added to
POLICY by other areas are covered without touching this file; their records
come from tests/factories.py (registry, else the generic factory).
"""
from __future__ import annotations

import functools

import pytest
import sqlalchemy as sa
from flask_appbuilder import ModelRestApi, ModelView

from app.extensions import db
from app.models.sessions import LoginSession
from app.security import policy
from app.security.cli import DOC_PATH
from app.security.matrix import render, row_restricted
from app.security.roles import ADMIN, CS, DEPARTMENT_ROLES, FIELD, KEEPER, MANAGER, TECH
from app.security.sync import in_sync
from tests.conftest import api_headers, csrf_token, login
from tests.factories import exists, make_record

LOGIN_OF = {ADMIN: "admin", MANAGER: "manager", TECH: "tech", FIELD: "field1", CS: "cs", KEEPER: "keeper"}
ANON = "anonymous"
PRINCIPALS = [ADMIN, *DEPARTMENT_ROLES, ANON]
HTML_ACTIONS = {"list": "can_list", "show": "can_show", "add": "can_add", "edit": "can_edit",
                "delete": "can_delete"}
API_ACTIONS = {"get_list": "can_get", "get": "can_get", "info": "can_info", "post": "can_post",
               "put": "can_put", "delete": "can_delete"}
NEEDS_ROW = {"show", "edit", "delete", "get", "put"}
RESOURCES = sorted(policy.POLICY)
_grants = functools.cache(policy.grants)


def _view(app, name):
    for view in app.appbuilder.baseviews:
        if view.class_permission_name == name:
            return view
    return None


_URLS = {}  # the app's URL map, bound once by the fixture below


@pytest.fixture(autouse=True)
def _url_map(app):
    if not _URLS:
        _URLS["adapter"] = app.url_map.bind("localhost")


def _has_route(url: str, method: str) -> bool:
    """Whether the screen answers this URL and method at all (read-only registers have no add/edit/delete)."""
    from werkzeug.exceptions import HTTPException

    try:
        _URLS["adapter"].match(url, method=method)
    except HTTPException:
        return False
    return True


def _exposed(view, action: str, perm: str) -> bool:
    """Whether the view offers the permission that guards the action."""
    return perm in (view.base_permissions or ())


def _policy_allows(resource: str, role: str, perm: str, view, action: str = "") -> bool:
    """What the policy table declares, limited to what the view really exposes."""
    if not _exposed(view, action, perm):
        return False
    if role == ADMIN:
        return True
    if role == ANON:
        return False
    # the level's permissions, plus what EXTRA grants (e.g. engineers edit the tickets they work on)
    return (view.class_permission_name, perm) in _grants(role)


def _other_rows_only(role: str, view) -> bool:
    """A field engineer acting on a row that is not theirs: 404, not the row."""
    return role == FIELD and row_restricted(view)


class Cells:
    """Collects the outcome of every cell; the test fails listing each wrong one."""

    def __init__(self, resource: str, surface: str):
        self.resource, self.surface, self.failures, self.count = resource, surface, [], 0

    def check(self, role: str, action: str, ok: bool, message: str) -> None:
        self.count += 1
        if not ok:
            self.failures.append(f"{self.resource} {self.surface} {role} {action}: {message}")

    def assert_all(self, expected: int) -> None:
        assert self.count == expected, f"{self.count} cells checked, {expected} expected"
        assert not self.failures, f"{len(self.failures)} wrong cells:\n" + "\n".join(self.failures)


def _new_row(app, resource, model) -> str:
    with app.app_context():
        return make_record(resource, model)


class Victim:
    """The row the delete cells try to delete: kept by every refusal, made again after a deletion."""

    def __init__(self, app, resource, model):
        self.app, self.resource, self.model, self.current = app, resource, model, None

    def pk(self) -> str:
        if self.current is not None:
            with self.app.app_context():
                if not exists(self.model, self.current):
                    self.current = None
        if self.current is None:
            self.current = _new_row(self.app, self.resource, self.model)
        return self.current


@pytest.fixture(scope="module")
def screen_clients(app) -> dict:
    """A test client per principal, logged in once through the form; with its CSRF token."""
    out = {}
    for role in PRINCIPALS:
        client = app.test_client()
        if role == ANON:
            out[role] = (client, csrf_token(client, "/login/"))
            continue
        resp = login(client, LOGIN_OF[role])
        assert resp.status_code == 302, (role, resp.status_code)
        out[role] = (client, csrf_token(client, "/resetmypassword/form"))
    with app.app_context():
        app.config["_PERMISSION_TEST_SESSIONS"] = [
            {c.key: getattr(row, c.key) for c in LoginSession.__table__.columns}
            for row in db.session.scalars(sa.select(LoginSession))]
    return out


@pytest.fixture(scope="module")
def api_clients(app) -> tuple:
    """One client and a JWT per principal (the token outlives the per-test wipe)."""
    client = app.test_client()
    return client, {role: {} if role == ANON else api_headers(client, LOGIN_OF[role]) for role in PRINCIPALS}


@pytest.fixture
def logged_in(app, screen_clients):
    """The per-test wipe empties login_session: put the module's login sessions back."""
    with app.app_context():
        db.session.execute(sa.delete(LoginSession))
        db.session.execute(sa.insert(LoginSession), app.config["_PERMISSION_TEST_SESSIONS"])
        db.session.commit()
    return screen_clients


def _screen_cell(app, cells, resource, view, role, action, client, token, pk) -> None:
    model = view.datamodel.obj
    allowed = _policy_allows(resource, role, HTML_ACTIONS[action], view, action)
    own_only = action in NEEDS_ROW and _other_rows_only(role, view)
    base = view.route_base
    url = {"list": f"{base}/list/", "show": f"{base}/show/{pk}", "add": f"{base}/add",
           "edit": f"{base}/edit/{pk}", "delete": f"{base}/delete/{pk}"}[action]
    exposed = _has_route(url, "POST" if action == "delete" else "GET")
    check = lambda ok, msg: cells.check(role, action, ok, msg)  # noqa: E731
    if action == "delete":
        client.get(url)
        with app.app_context():
            check(exists(model, pk), "GET on a delete route removed the row")
        resp = client.post(url, data={"csrf_token": token})
    else:
        resp = client.get(url)
    code = resp.status_code
    if not exposed:
        # No such route on this screen (a read-only register): nothing to permit or refuse.
        check(code in (404, 405), f"no {action} route, got {code}")
    elif role == ANON:
        check(code == 302 and "/login/" in resp.headers.get("Location", ""), f"anonymous got {code}")
    elif not allowed:
        check(code == 403, f"should be refused, got {code}")
        if action in ("add", "edit"):
            posted = client.post(url, data={"csrf_token": token}).status_code
            check(posted == 403, f"form post should be refused, got {posted}")
    elif own_only:
        check(code in (404, 302), f"another engineer's row: expected 404/302, got {code}")
    elif action == "delete":
        check(code == 302, f"delete should redirect, got {code}")
    else:
        check(code == 200, f"should be allowed, got {code}")
    if action == "delete":
        with app.app_context():
            gone = not exists(model, pk)
        want = allowed and role != ANON and not own_only
        check(gone == want, f"row {'deleted' if gone else 'kept'}, expected {'deleted' if want else 'kept'}")


@pytest.mark.parametrize("resource", RESOURCES)
def test_screen_permissions(app, logged_in, resource):
    """Every principal × list / show / add / edit / delete on the resource's screen."""
    view = _view(app, policy.view_name(resource))
    cells = Cells(resource, "screen")
    clients = logged_in
    if view is None:
        # No screen for this resource (API only): no role reaches one, whatever the level.
        api = _view(app, policy.api_name(resource))
        assert api is not None, f"{resource} is in POLICY but has neither screen nor API"
        route = "/" + policy.view_name(resource).lower()
        for role, (client, _) in clients.items():
            for action in HTML_ACTIONS:
                code = client.get(f"{route}/{action}/1" if action in NEEDS_ROW else f"{route}/{action}/").status_code
                cells.check(role, action, code == 404, f"no screen is registered, got {code}")
        cells.assert_all(len(PRINCIPALS) * len(HTML_ACTIONS))
        return
    model = view.datamodel.obj
    pk, victim = _new_row(app, resource, model), Victim(app, resource, model)
    for role, (client, token) in clients.items():
        for action in HTML_ACTIONS:
            row = victim.pk() if action == "delete" else pk
            _screen_cell(app, cells, resource, view, role, action, client, token, row)
    cells.assert_all(len(PRINCIPALS) * len(HTML_ACTIONS) + _extra_screen_checks(resource, view))


def _extra_screen_checks(resource, view) -> int:
    """Cells that make more than one check: delete (GET, status, row), refused add/edit (post)."""
    n = 0
    for role in PRINCIPALS:
        n += 2  # delete: GET kept the row, row kept/deleted
        if role != ANON:
            n += sum(1 for a, url in (("add", f"{view.route_base}/add"), ("edit", f"{view.route_base}/edit/1"))
                     if _has_route(url, "GET") and not _policy_allows(resource, role, HTML_ACTIONS[a], view, a))
    return n


def _api_cell(app, cells, resource, view, role, action, client, headers, pk) -> None:
    model = view.datamodel.obj
    perm = API_ACTIONS[action]
    allowed = _policy_allows(resource, role, perm, view, action)
    own_only = action in ("get", "put", "delete") and _other_rows_only(role, view)
    base = f"/api/v1/{view.resource_name}"
    method, url = {"get_list": ("get", f"{base}/"), "get": ("get", f"{base}/{pk}"),
                   "info": ("get", f"{base}/_info"), "post": ("post", f"{base}/"),
                   "put": ("put", f"{base}/{pk}"), "delete": ("delete", f"{base}/{pk}")}[action]
    exposed = _exposed(view, action, perm) and _has_route(url, method.upper())
    kwargs = {"json": {}} if method in ("post", "put") else {}
    resp = getattr(client, method)(url, headers=headers, **kwargs)
    code = resp.status_code
    check = lambda ok, msg: cells.check(role, action, ok, msg)  # noqa: E731
    if not exposed:
        check(code in (403, 404, 405) or (role == ANON and code == 401), f"not exposed, got {code}")
    elif role == ANON:
        check(code == 401, f"anonymous got {code}")
    elif not allowed:
        check(code == 403 and resp.json == {"message": "Forbidden"}, f"should be refused, got {code} {resp.json}")
    elif own_only:
        check(code == 404, f"another engineer's row: expected 404, got {code}")
    elif action == "post":
        # An empty body is bad input, but the permission let it through to validation.
        check(code not in (401, 403, 405) and code < 500, f"should reach validation, got {code}")
    else:
        check(code == 200, f"should be allowed, got {code}")
    if action == "delete":
        with app.app_context():
            gone = not exists(model, pk)
        want = allowed and not own_only
        check(gone == want, f"row {'deleted' if gone else 'kept'}, expected {'deleted' if want else 'kept'}")


@pytest.mark.parametrize("resource", RESOURCES)
def test_api_permissions(app, api_clients, resource):
    """Every principal × get list / get / info / post / put / delete on the resource's API."""
    view = _view(app, policy.api_name(resource))
    assert view is not None, f"{policy.api_name(resource)} is in POLICY but not registered"
    model = view.datamodel.obj
    client, headers = api_clients
    cells = Cells(resource, "API")
    pk, victim = _new_row(app, resource, model), Victim(app, resource, model)
    for role in PRINCIPALS:
        for action in API_ACTIONS:
            row = victim.pk() if action == "delete" else pk
            _api_cell(app, cells, resource, view, role, action, client, headers[role], row)
    cells.assert_all(len(PRINCIPALS) * (len(API_ACTIONS) + 1))


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
    for name in ("manager", "tech", "field1", "cs", "keeper"):
        client.get("/logout/")
        as_user(name)
        for url in ("/users/list/", "/roles/list/", "/users/add"):
            assert client.get(url).status_code == 403, (name, url)
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


# --- cells that must never be allowed: written by hand, not derived from POLICY -------------
DEPARTMENT_LOGINS = ("manager", "tech", "field1", "cs", "keeper")
NEVER = [
    # (logins, method, url, what it would mean)
    (("keeper",), "get", "/api/v1/appraisal/", "the parts keeper reads appraisals"),
    (("keeper",), "get", "/api/v1/appraisal/export.xlsx", "the parts keeper exports appraisals"),
    (("keeper", "field1", "tech", "cs"), "get", "/appraisalview/list/", "anyone but the manager reads appraisals"),
    (("field1",), "post", "/api/v1/stock/receive", "a field engineer receives stock"),
    (("field1",), "post", "/api/v1/stock/issue", "a field engineer issues stock"),
    (("field1",), "post", "/api/v1/stock/transfer", "a field engineer transfers stock"),
    (("field1", "manager", "cs"), "post", "/api/v1/stock/reverse/1", "anyone but the keeper reverses a posting"),
    (("field1", "cs", "manager"), "get", "/stockpostview/list/", "anyone but the keeper opens stock posting"),
    (("field1",), "post", "/api/v1/requisition/1/approve", "a field engineer approves a requisition"),
    (("keeper", "tech", "field1"), "post", "/api/v1/purchase_request/1/approve", "anyone but the manager approves a purchase"),
    (("tech", "field1", "cs", "keeper"), "get", "/api/v1/audit_log/", "anyone but the manager reads the audit trail"),
    (("manager",), "post", "/api/v1/audit_log/", "anyone writes the audit trail"),
    (("manager",), "delete", "/api/v1/audit_log/1", "anyone deletes an audit entry"),
    (("cs", "tech", "field1", "keeper"), "get", "/api/v1/budget/", "anyone but the manager reads the budget"),
    (("cs", "tech", "field1", "keeper"), "get", "/api/v1/expense/", "anyone but the manager reads expenses"),
    (("keeper",), "get", "/api/v1/ticket/", "the parts keeper reads service requests"),
    (("field1", "tech", "cs", "manager"), "delete", "/api/v1/ticket/1", "anyone deletes a service request"),
    (("cs", "keeper"), "get", "/api/v1/fault_analysis/", "service or stores read fault analyses"),
    (("field1", "keeper"), "get", "/api/v1/callback_record/", "an engineer or the keeper reads callbacks"),
    (DEPARTMENT_LOGINS, "get", "/users/list/", "anyone but Admin manages logins"),
    (DEPARTMENT_LOGINS, "get", "/users/add", "anyone but Admin adds a login"),
    (DEPARTMENT_LOGINS, "get", "/users/edit/1", "anyone but Admin edits a login"),
    (DEPARTMENT_LOGINS, "get", "/resetpassword/form?pk=1", "anyone but Admin resets another's password"),
    (DEPARTMENT_LOGINS, "get", "/roles/list/", "anyone but Admin manages roles"),
    (DEPARTMENT_LOGINS, "get", "/roles/edit/1", "anyone but Admin edits a role's permissions"),
]
# The same cells as (role, view, permission) pairs the role's grants must never hold.
NEVER_GRANTED = [
    (KEEPER, "AppraisalApi", "can_get"), (KEEPER, "AppraisalView", "can_list"),
    (FIELD, "StockApi", "can_receive"), (FIELD, "StockApi", "can_issue"), (FIELD, "StockApi", "can_transfer"),
    (FIELD, "StockApi", "can_reverse"), (FIELD, "RequisitionApi", "can_approve"),
    (KEEPER, "PurchaseRequestApi", "can_approve"), (TECH, "AuditLogApi", "can_get"),
    (FIELD, "AuditLogApi", "can_get"), (CS, "AuditLogApi", "can_get"), (KEEPER, "AuditLogApi", "can_get"),
    (MANAGER, "AuditLogApi", "can_post"), (MANAGER, "AuditLogApi", "can_delete"),
    (KEEPER, "TicketApi", "can_get"), (CS, "BudgetApi", "can_get"), (FIELD, "ExpenseApi", "can_get"),
    *[(role, view, perm) for role in DEPARTMENT_ROLES
      for view, perm in (("UserDBModelView", "can_list"), ("UserDBModelView", "can_add"),
                         ("UserDBModelView", "can_edit"), ("UserDBModelView", "can_delete"),
                         ("RoleModelView", "can_list"), ("RoleModelView", "can_edit"),
                         ("ResetPasswordView", "can_this_form_post"), ("TicketApi", "can_delete"))],
]


@pytest.mark.parametrize("role,view,perm", NEVER_GRANTED, ids=[f"{r}-{v}-{p}" for r, v, p in NEVER_GRANTED])
def test_cells_that_must_never_be_granted(app, role, view, perm):
    assert (view, perm) not in app.appbuilder.sm.grants(role)


def test_cells_that_must_never_be_allowed_over_http(app, client, api, staff):
    """Each hand-written cell answers 403 (or 404 / 405: no such route), never 2xx or a redirect."""
    wrong = []
    sessions = {}
    for logins, method, url, meaning in NEVER:
        for username in logins:
            if url.startswith("/api/"):
                resp = getattr(client, method)(url, headers=api(username), json={})
            else:
                if username not in sessions:
                    sessions[username] = app.test_client()
                    assert login(sessions[username], username).status_code == 302
                resp = getattr(sessions[username], method)(url)
            if resp.status_code not in (403, 404, 405):
                wrong.append(f"{username} {method.upper()} {url} → {resp.status_code}: {meaning}")
    assert not wrong, "\n".join(wrong)


def test_anonymous_visitors_hold_nothing_even_when_the_public_role_is_given_a_permission(app, client):
    """The policy grants anonymous visitors nothing (policy.PUBLIC_GRANTS), answered in memory: a
    permission added to the Public role on the roles screen is not honoured, and the sync removes it."""
    sm = app.appbuilder.sm
    with app.app_context():
        public = sm.find_role(sm.auth_role_public)
        sm.add_permission_role(public, sm.find_permission_view_menu("can_get", "CustomerApi"))
        assert not in_sync(sm)
    assert client.get("/api/v1/customer/").status_code == 401
    assert client.get("/customerview/list/").status_code == 302  # to the login page
    with app.app_context():
        assert sm.sync_if_changed() is True
        assert sm.find_role(sm.auth_role_public).permissions == []
        assert in_sync(sm)
