"""API tokens: a change to the login ends every token issued before it; bad tokens are 401 JSON."""
from __future__ import annotations

import pytest
from flask_jwt_extended import create_access_token

from app.extensions import db
from tests.conftest import LOGINS, PASSWORD, csrf_token

API_LOGIN = "/api/v1/security/login"
ROLE_OF = {"cs": "Customer Service", "tech": "Tech Engineer"}


@pytest.fixture
def restore(app):
    """Base logins get their password and role back (the wipe keeps ab_user rows)."""
    yield
    with app.app_context():
        sm = app.appbuilder.sm
        for name in LOGINS:
            user = sm.find_user(username=name)
            user.roles = [sm.find_role(LOGINS[name])]
            db.session.commit()
            sm.reset_password(user.id, PASSWORD)


def _tokens(client, username="cs"):
    resp = client.post(API_LOGIN, json={"username": username, "password": PASSWORD, "provider": "db",
                                        "refresh": True})
    assert resp.status_code == 200
    return resp.json["access_token"], resp.json["refresh_token"]


def _works(client, access, refresh) -> tuple[int, int]:
    got = client.get("/api/v1/customer/", headers={"Authorization": f"Bearer {access}"}).status_code
    renewed = client.post("/api/v1/security/refresh", headers={"Authorization": f"Bearer {refresh}"}).status_code
    return got, renewed


def test_tokens_work_until_the_login_changes(app, client):
    access, refresh = _tokens(client)
    assert _works(client, access, refresh) == (200, 200)


def _reset_password(app):
    with app.app_context():
        sm = app.appbuilder.sm
        sm.reset_password(sm.find_user(username="cs").id, "a-brand-new-passphrase-2026")


def _change_role(app):
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username="cs")
        user.roles = [sm.find_role("Tech Engineer")]
        db.session.commit()


def _deactivate(app):
    with app.app_context():
        app.appbuilder.sm.find_user(username="cs").active = False
        db.session.commit()


def _lock_out(app, client):
    for _ in range(app.config["AUTH_LOCKOUT_THRESHOLD"]):
        client.post(API_LOGIN, json={"username": "cs", "password": "wrong-password-123", "provider": "db"})


@pytest.mark.parametrize("change", ["password reset", "role change", "deactivation", "lockout"])
def test_a_change_to_the_login_ends_its_access_and_refresh_tokens(app, client, restore, change):
    access, refresh = _tokens(client)
    other_access, other_refresh = _tokens(client, "tech")
    if change == "password reset":
        _reset_password(app)
    elif change == "role change":
        _change_role(app)
    elif change == "deactivation":
        _deactivate(app)
    else:
        _lock_out(app, client)
    assert _works(client, access, refresh) == (401, 401)
    assert _works(client, other_access, other_refresh) == (200, 200)   # other logins keep theirs


def test_admin_password_reset_on_the_users_screen_ends_the_tokens(app, client, as_user, restore):
    access, refresh = _tokens(client)
    as_user("admin")
    with app.app_context():
        uid = app.appbuilder.sm.find_user(username="cs").id
    token = csrf_token(client, f"/resetpassword/form?pk={uid}")
    resp = client.post(f"/resetpassword/form?pk={uid}", data={
        "password": "a-brand-new-passphrase-2026", "conf_password": "a-brand-new-passphrase-2026",
        "csrf_token": token})
    assert resp.status_code == 302
    assert _works(client, access, refresh) == (401, 401)


def test_a_new_login_after_the_change_gets_working_tokens(app, client, restore):
    _change_role(app)
    access, refresh = _tokens(client)
    assert _works(client, access, refresh) == (200, 200)


@pytest.mark.parametrize("token", ["abc.def.ghi", "not-a-token", "", "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"])
def test_invalid_or_tampered_bearer_is_401_with_message(app, client, token):
    resp = client.get("/api/v1/customer/", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401 and resp.is_json
    assert set(resp.json) == {"message"} and resp.json["message"]


def test_tampered_signature_is_401(app, client, api):
    good = api("cs")["Authorization"]
    bad = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    resp = client.get("/api/v1/customer/", headers={"Authorization": bad})
    assert resp.status_code == 401 and set(resp.json) == {"message"}


def test_expired_bearer_is_401_with_message(app, client):
    from datetime import timedelta

    with app.app_context():
        uid = app.appbuilder.sm.find_user(username="cs").id
        with app.test_request_context():
            expired = create_access_token(identity=str(uid), expires_delta=timedelta(seconds=-60))
    resp = client.get("/api/v1/customer/", headers={"Authorization": f"Bearer {expired}"})
    assert resp.status_code == 401 and set(resp.json) == {"message"}
    assert "expired" in resp.json["message"]


def test_refresh_with_an_access_token_is_401(app, client):
    access, _refresh = _tokens(client)
    resp = client.post("/api/v1/security/refresh", headers={"Authorization": f"Bearer {access}"})
    assert resp.status_code == 401 and set(resp.json) == {"message"}
