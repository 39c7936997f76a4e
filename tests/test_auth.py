"""Authentication (ASVS V6 / V7): generic errors, lockout, rate limits, sessions, redirects."""
from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import AuditLog
from tests.conftest import LOGINS, PASSWORD, csrf_token, login, make_config

API_LOGIN = "/api/v1/security/login"


@pytest.fixture
def restore_passwords(app):
    """Base logins get their test password back (the database wipe keeps ab_user rows)."""
    yield
    with app.app_context():
        sm = app.appbuilder.sm
        for name in LOGINS:
            sm.reset_password(sm.find_user(username=name).id, PASSWORD)


def api_login(client, username, password=PASSWORD):
    return client.post(API_LOGIN, json={"username": username, "password": password, "provider": "db"})


def flash_after(client, resp) -> str:
    """The page the failed login redirects to (with its flash message)."""
    assert resp.status_code == 302
    return client.get(resp.headers["Location"]).get_data(as_text=True)


def _lock(app, username: str) -> None:
    from app.security import throttle

    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        user.fail_login_count = app.config["AUTH_LOCKOUT_THRESHOLD"]
        throttle.hold_account(user)
        db.session.commit()


# --- generic errors (ASVS 6.3.8: no user enumeration) --------------------------------
def test_same_answer_for_unknown_user_wrong_password_and_locked_account(app, client):
    _lock(app, "keeper")
    pages = []
    for username, password in (("nobody-here", PASSWORD), ("cs", "wrong-password-123"), ("keeper", PASSWORD)):
        resp = login(client, username, password)
        assert resp.headers["Location"].startswith("/login/")
        html = flash_after(client, resp)
        pages.append("Invalid login. Please try again." in html)
    assert pages == [True, True, True]
    answers = [api_login(client, u, p) for u, p in
               (("nobody-here", PASSWORD), ("cs", "wrong-password-123"), ("keeper", PASSWORD))]
    assert {(r.status_code, r.get_data(as_text=True)) for r in answers} == {(401, answers[0].get_data(as_text=True))}


# --- lockout -----------------------------------------------------------------------------
def test_account_locks_after_threshold_and_admin_unlocks_from_user_list(app, client, as_user):
    threshold = app.config["AUTH_LOCKOUT_THRESHOLD"]
    assert threshold == 5
    for _ in range(threshold):
        login(client, "cs", "not-the-password-123")
    # The right password no longer opens the account, on either login path.
    assert login(client, "cs").headers["Location"].startswith("/login/")
    assert api_login(client, "cs").status_code == 401
    with app.app_context():
        assert app.appbuilder.sm.is_locked(app.appbuilder.sm.find_user(username="cs"))
        actions = [a.value for a in db.session.scalars(
            sa.select(AuditLog.action).where(AuditLog.username == "cs").order_by(AuditLog.id))]
    assert actions.count("login_failed") == threshold + 2 and actions.count("locked") == 1

    as_user("admin")
    with app.app_context():
        uid = app.appbuilder.sm.find_user(username="cs").id
    token = csrf_token(client, "/users/list/")
    resp = client.post("/users/action_post", data={"action": "unlock", "rowid": str(uid), "csrf_token": token})
    assert resp.status_code == 302
    client.get("/logout/")
    assert login(client, "cs").headers["Location"] == "/"


def test_unlock_is_admin_only(app, client, as_user):
    _lock(app, "cs")
    as_user("manager")
    with app.app_context():
        uid = app.appbuilder.sm.find_user(username="cs").id
    token = csrf_token(client, "/resetmypassword/form")
    client.post("/users/action_post", data={"action": "unlock", "rowid": str(uid), "csrf_token": token})
    with app.app_context():
        assert app.appbuilder.sm.is_locked(app.appbuilder.sm.find_user(username="cs"))


def test_unlock_user_cli(app, client):
    _lock(app, "tech")
    result = app.test_cli_runner().invoke(args=["unlock-user", "tech"])
    assert result.exit_code == 0 and "unlocked" in result.output
    assert api_login(client, "tech").status_code == 200
    assert app.test_cli_runner().invoke(args=["unlock-user", "ghost"]).exit_code != 0


def test_success_resets_the_failure_count(app, client):
    for _ in range(4):
        api_login(client, "cs", "not-the-password-123")
    assert api_login(client, "cs").status_code == 200
    for _ in range(4):
        api_login(client, "cs", "not-the-password-123")
    assert api_login(client, "cs").status_code == 200


# --- rate limits ---------------------------------------------------------------------------
@pytest.fixture
def limited_app(db_url):
    """A second app on the same database with rate limiting on (tests run without it)."""
    return create_app(make_config(db_url, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3 per minute"))


def test_form_login_is_rate_limited(limited_app):
    client = limited_app.test_client()
    codes = [login(client, "nobody", "x" * 12).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]


def test_api_login_is_rate_limited(limited_app):
    client = limited_app.test_client()
    codes = [api_login(client, "nobody", "x" * 12).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_rate_limit_is_on_by_default():
    from config import BaseConfig, ProductionConfig

    for cfg in (BaseConfig, ProductionConfig):
        assert cfg.RATELIMIT_ENABLED is True and cfg.AUTH_RATE_LIMITED is True


# --- sessions (ASVS 7.3) -----------------------------------------------------------------
def test_idle_session_ends(app, client, as_user):
    as_user("cs")
    assert client.get("/customerview/list/").status_code == 200
    with client.session_transaction() as sess:
        sess["seen_at"] = time.time() - app.config["SESSION_IDLE_TIMEOUT"].total_seconds() - 5
    resp = client.get("/customerview/list/")
    assert resp.status_code == 302 and "/login/" in resp.headers["Location"]


def test_a_page_seen_again_within_a_minute_leaves_the_session_cookie_alone(app, client, as_user):
    """A cookie rewritten by every answer let a search box's request still in flight when a form was
    posted arrive last and put back a cookie without the form's flash (the keeper saw no "Received")."""
    as_user("keeper")
    resp = client.get("/lookup/part?q=a")
    assert resp.status_code == 200 and "Set-Cookie" not in resp.headers
    with client.session_transaction() as sess:
        sess["seen_at"] = time.time() - 61
    resp = client.get("/lookup/part?q=a")
    assert resp.status_code == 200 and "Set-Cookie" in resp.headers
    with client.session_transaction() as sess:
        assert time.time() - sess["seen_at"] < 5


def test_absolute_session_lifetime(app, client, as_user):
    as_user("cs")
    with client.session_transaction() as sess:
        sess["auth_at"] = time.time() - app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds() - 5
    resp = client.get("/customerview/list/")
    assert resp.status_code == 302 and "/login/" in resp.headers["Location"]


def test_timeout_defaults():
    from config import BaseConfig

    assert BaseConfig.SESSION_IDLE_TIMEOUT.total_seconds() == 30 * 60
    assert BaseConfig.SESSION_ABSOLUTE_TIMEOUT.total_seconds() == 12 * 3600


def test_login_renews_the_session(app, client):
    with client.session_transaction() as sess:
        sess["planted"] = "by-attacker"
    login(client, "cs")
    with client.session_transaction() as sess:
        assert "planted" not in sess and "auth_at" in sess


def test_logout_ends_the_session(app, client, as_user):
    as_user("cs")
    client.get("/logout/")
    resp = client.get("/customerview/list/")
    assert resp.status_code == 302 and "/login/" in resp.headers["Location"]


def test_deactivation_ends_session_and_tokens(app, client, as_user, api):
    headers = api("cs")
    as_user("cs")
    assert client.get("/customerview/list/").status_code == 200
    with app.app_context():
        app.appbuilder.sm.find_user(username="cs").active = False
        db.session.commit()
    resp = client.get("/customerview/list/")
    assert resp.status_code == 302 and "/login/" in resp.headers["Location"]
    assert client.get("/api/v1/customer/", headers=headers).status_code == 401


# --- redirects (ASVS 7 / open redirect) -----------------------------------------------------
def _login_with_host(client, host: str):
    html = client.get("/login/", headers={"Host": host}).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return client.post(
        "/login/?next=http://evil.example.com/steal",
        data={"username": "cs", "password": PASSWORD, "csrf_token": token},
        headers={"Host": host},
    )


def test_spoofed_host_cannot_send_login_redirect_off_site(app, client):
    resp = _login_with_host(client, "evil.example.com")
    assert resp.status_code == 302
    assert "evil.example.com" not in resp.headers["Location"]


def test_without_safe_hosts_the_spoofed_host_would_redirect_off_site(app, client, monkeypatch):
    """The control: FAB's default (no FAB_SAFE_REDIRECT_HOSTS) trusts the Host header."""
    monkeypatch.setitem(app.config, "FAB_SAFE_REDIRECT_HOSTS", [])
    resp = _login_with_host(client, "evil.example.com")
    assert resp.headers["Location"] == "http://evil.example.com/steal"


def test_safe_redirect_keeps_local_next(app, client):
    token = csrf_token(client, "/login/")
    resp = client.post("/login/?next=/customerview/list/",
                       data={"username": "cs", "password": PASSWORD, "csrf_token": token})
    assert resp.headers["Location"].endswith("/customerview/list/")


# --- server-side session end (ASVS 7.4) ---------------------------------------------------------
def _session_cookie(client):
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_copied_cookie_stops_working_after_logout(app, client, as_user):
    as_user("cs")
    stolen = _session_cookie(client)
    client.get("/logout/")
    client.set_cookie("session", stolen)
    resp = client.get("/customerview/list/")
    assert resp.status_code == 302 and "/login/" in resp.headers["Location"]


def test_admin_ends_the_sessions_of_a_login(app, client, as_user):
    other = app.test_client()
    assert login(other, "cs").status_code == 302
    assert other.get("/customerview/list/").status_code == 200
    as_user("admin")
    with app.app_context():
        uid = app.appbuilder.sm.find_user(username="cs").id
    token = csrf_token(client, "/users/list/")
    resp = client.post("/users/action_post", data={"action": "endsessions", "rowid": str(uid), "csrf_token": token})
    assert resp.status_code == 302
    resp = other.get("/customerview/list/")
    assert resp.status_code == 302 and "/login/" in resp.headers["Location"]
    assert client.get("/users/list/").status_code == 200   # the admin's own session goes on


def test_password_change_ends_the_other_sessions(app, client, as_user, restore_passwords):
    other = app.test_client()
    login(other, "keeper")
    as_user("keeper")
    token = csrf_token(client, "/resetmypassword/form")
    new = "a brand new passphrase 42"
    resp = client.post("/resetmypassword/form", data={
        "current_password": PASSWORD, "password": new, "conf_password": new, "csrf_token": token})
    assert resp.status_code == 302
    assert client.get("/customerview/list/").status_code == 200
    assert other.get("/customerview/list/").status_code == 302
