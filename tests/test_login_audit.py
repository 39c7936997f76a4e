"""Admin changes to logins and roles are in the audit trail: who, when, before → after, no hashes."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditLog
from tests.conftest import LOGINS, PASSWORD, csrf_token

NEW_PASSWORD = "a-brand-new-passphrase-2026"


@pytest.fixture
def restore(app):
    yield
    with app.app_context():
        sm = app.appbuilder.sm
        for name, role in LOGINS.items():
            user = sm.find_user(username=name)
            user.roles = [sm.find_role(role)]
            user.first_name = name
            db.session.commit()
            sm.reset_password(user.id, PASSWORD)
        sm.sync_role_permissions()


def _entries(app, table):
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditLog).where(AuditLog.table_name == table).order_by(AuditLog.id))
        return [{"action": r.action.value, "who": r.username, "at": r.at, "record": r.record_id,
                 "changes": r.changes or {}, "detail": r.detail} for r in rows]


def _no_hashes(app):
    with app.app_context():
        hashes = [u.password for u in app.appbuilder.sm.get_all_users()]
        dump = json.dumps([e["changes"] for e in _entries(app, "ab_user")], ensure_ascii=False)
    assert not any(h and h in dump for h in hashes)
    assert "pbkdf2" not in dump and "scrypt" not in dump


def test_admin_adds_edits_deactivates_and_resets_a_login_all_audited(app, client, as_user, restore):
    as_user("admin")
    sm = app.appbuilder.sm
    with app.app_context():
        cs_role, tech_role = sm.find_role("Customer Service").id, sm.find_role("Tech Engineer").id
    token = csrf_token(client, "/users/add")
    resp = client.post("/users/add", data={
        "first_name": "晓", "last_name": "王", "username": "wangxiao", "email": "wx@test.invalid",
        "active": "y", "roles": [str(cs_role)], "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD,
        "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    with app.app_context():
        uid = sm.find_user(username="wangxiao").id
    added = [e for e in _entries(app, "ab_user") if e["action"] == "insert"]
    assert added and added[-1]["who"] == "admin" and added[-1]["record"] == str(uid)
    assert added[-1]["changes"]["roles"] == [[], ["Customer Service"]]
    assert added[-1]["changes"]["password"] == [None, "(set)"]

    # role change and deactivation through the edit form (one save may flush more than once)
    seen = len(_entries(app, "ab_user"))
    token = csrf_token(client, f"/users/edit/{uid}")
    resp = client.post(f"/users/edit/{uid}", data={
        "first_name": "晓", "last_name": "王", "username": "wangxiao", "email": "wx@test.invalid",
        "roles": [str(tech_role)], "csrf_token": token})   # "active" unticked
    assert resp.status_code == 302
    edits = [e for e in _entries(app, "ab_user")[seen:] if e["action"] == "update" and e["record"] == str(uid)]
    assert edits and all(e["who"] == "admin" and e["at"] is not None for e in edits)
    changes = {key: value for e in edits for key, value in e["changes"].items()}
    assert changes["roles"] == [["Customer Service"], ["Tech Engineer"]]
    assert changes["active"] == [True, False]

    # password reset by the admin
    token = csrf_token(client, f"/resetpassword/form?pk={uid}")
    resp = client.post(f"/resetpassword/form?pk={uid}", data={
        "password": NEW_PASSWORD + "x", "conf_password": NEW_PASSWORD + "x", "csrf_token": token})
    assert resp.status_code == 302
    reset = [e for e in _entries(app, "ab_user") if e["action"] == "update" and e["record"] == str(uid)][-1]
    assert reset["changes"] == {"password": [None, "(changed)"]} and reset["who"] == "admin"
    _no_hashes(app)


def test_role_grant_to_an_existing_login_is_audited(app, client, as_user, restore):
    sm = app.appbuilder.sm
    with app.app_context():
        user = sm.find_user(username="keeper")
        user.roles = [sm.find_role("Parts Keeper"), sm.find_role("Manager")]
        db.session.commit()
        uid = user.id
    entry = [e for e in _entries(app, "ab_user") if e["record"] == str(uid)][-1]
    assert entry["changes"]["roles"] == [["Parts Keeper"], ["Manager", "Parts Keeper"]]


def test_permission_change_of_a_role_is_audited(app, client, as_user, restore):
    sm = app.appbuilder.sm
    with app.app_context():
        role = sm.find_role("Customer Service")
        pvm = sm.add_permission_view_menu("can_list", "AppraisalView")
        role.permissions = [*role.permissions, pvm]
        db.session.commit()
    entry = _entries(app, "ab_role")[-1]
    assert entry["action"] == "update" and entry["detail"] == "role Customer Service"
    old, new = entry["changes"]["permissions"]
    assert set(new) - set(old) == {"can list on AppraisalView"}


def test_login_counters_are_not_noise_in_the_trail(app, client, as_user):
    before = len(_entries(app, "ab_user"))
    as_user("cs")
    assert len(_entries(app, "ab_user")) == before
