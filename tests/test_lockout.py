"""Login throttling without lockout as a weapon (ASVS 5.0 6.3.1): timed, growing holds per account
and per client address, open again by time or by an Admin, shared by every app server via Redis."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import clock, create_app
from app.extensions import db
from app.models import AuditLog
from tests.conftest import PASSWORD, csrf_token, login, make_config
from tests.redis_helpers import LIMITS_TEST_URL

API_LOGIN = "/api/v1/security/login"
WRONG = "not-the-password-123"
REDIS = LIMITS_TEST_URL


def api_login(client, username, password=PASSWORD, address="127.0.0.1"):
    return client.post(API_LOGIN, json={"username": username, "password": password, "provider": "db"},
                       environ_base={"REMOTE_ADDR": address})


def _fail(client, username, times, address="127.0.0.1"):
    for _ in range(times):
        assert api_login(client, username, WRONG, address).status_code == 401


def test_five_bad_passwords_hold_the_account_for_a_while_not_for_ever(app, client):
    start = clock.now_utc()
    with clock.frozen(start):
        _fail(client, "cs", 5, "10.0.0.1")
        assert api_login(client, "cs", address="10.0.0.2").status_code == 401   # held, from anywhere
    with clock.frozen(start + timedelta(seconds=59)):
        assert api_login(client, "cs", address="10.0.0.2").status_code == 401
    with clock.frozen(start + timedelta(seconds=61)):
        assert api_login(client, "cs", address="10.0.0.2").status_code == 200   # open again by time


def test_the_only_admin_cannot_be_locked_out_for_good(app, client):
    start = clock.now_utc()
    with clock.frozen(start):
        _fail(client, "admin", 5, "10.0.1.1")
        assert api_login(client, "admin", address="10.0.1.2").status_code == 401
    with clock.frozen(start + timedelta(seconds=app.config["AUTH_LOCKOUT_SECONDS"] + 1)):
        assert api_login(client, "admin", address="10.0.1.2").status_code == 200


def test_holds_grow_with_every_further_failure_up_to_the_maximum(app, client):
    from app.security import throttle

    start = clock.now_utc()
    base, cap = app.config["AUTH_LOCKOUT_SECONDS"], app.config["AUTH_LOCKOUT_MAX_SECONDS"]
    at, holds = start, []
    for n in range(8):
        with clock.frozen(at):
            _fail(client, "tech", 5 if n == 0 else 1, f"10.0.2.{n}")
            with app.app_context():
                until = throttle.locked_until(app.appbuilder.sm.find_user(username="tech"))
        holds.append(round((until - at).total_seconds()))
        at = until + timedelta(seconds=1)
    assert holds == [min(cap, base * 2 ** n) for n in range(8)]
    assert holds[-1] == cap


def test_attempts_while_held_are_not_checked_and_do_not_lengthen_the_hold(app, client):
    from app.security import throttle

    start = clock.now_utc()
    with clock.frozen(start):
        _fail(client, "keeper", 5, "10.0.3.1")
        with app.app_context():
            first = throttle.locked_until(app.appbuilder.sm.find_user(username="keeper"))
        _fail(client, "keeper", 3, "10.0.3.1")
        with app.app_context():
            user = app.appbuilder.sm.find_user(username="keeper")
            assert throttle.locked_until(user) == first and user.fail_login_count == 5
            reasons = list(db.session.scalars(sa.select(AuditLog.detail).where(
                AuditLog.username == "keeper", AuditLog.action == "login_failed")))
    assert reasons.count("account held") == 3


def test_one_address_failing_on_many_logins_is_held_others_are_not(app, client):
    threshold = app.config["AUTH_ADDRESS_THRESHOLD"]
    for n in range(threshold):
        assert api_login(client, f"nobody{n}", WRONG, "10.0.4.1").status_code == 401
    # the attacker's address now waits, even with a right password …
    assert api_login(client, "cs", PASSWORD, "10.0.4.1").status_code == 401
    # … while the same login from another address is not held
    assert api_login(client, "cs", PASSWORD, "10.0.4.2").status_code == 200


def test_address_holds_run_out(app, client):
    from app.security import throttle

    threshold = app.config["AUTH_ADDRESS_THRESHOLD"]
    for n in range(threshold):
        api_login(client, f"ghost{n}", WRONG, "10.0.5.1")
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.0.5.1"}):
        assert throttle.address_held()
        store = throttle.storage()
        assert 0 < store.get_expiry("login-hold:10.0.5.1") - __import__("time").time() <= app.config["AUTH_ADDRESS_SECONDS"] + 1


def test_admin_unlocks_a_held_login_on_the_users_screen(app, client, as_user):
    _fail(client, "cs", 5, "10.0.6.1")
    assert api_login(client, "cs", address="10.0.6.2").status_code == 401
    as_user("admin")
    with app.app_context():
        uid = app.appbuilder.sm.find_user(username="cs").id
    page = client.get("/users/list/").get_data(as_text=True)
    assert "Unlock login" in page
    token = csrf_token(client, "/users/list/")
    resp = client.post("/users/action_post", data={"action": "unlock", "rowid": str(uid), "csrf_token": token})
    assert resp.status_code == 302
    assert api_login(client, "cs", address="10.0.6.2").status_code == 200


# --- shared by every app server (Redis) ------------------------------------------------------
def _redis_ok() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def _servers(db_url, **overrides):
    """Two app instances (as two gunicorn workers would be) sharing one Redis for their counters."""
    if not _redis_ok():
        pytest.skip("no Redis at " + REDIS)
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    return [create_app(make_config(db_url, RATELIMIT_STORAGE_URI=REDIS, **overrides)) for _ in range(2)]


@pytest.fixture
def flush_redis():
    yield
    if _redis_ok():
        import redis

        redis.Redis.from_url(REDIS).flushdb()


def test_address_holds_are_shared_by_every_server_through_redis(db_url, app, flush_redis):
    one, two = (a.test_client() for a in _servers(db_url))
    threshold = app.config["AUTH_ADDRESS_THRESHOLD"]
    for n in range(threshold):   # half on each server: neither alone reaches the threshold
        assert api_login(one if n % 2 else two, f"nobody{n}", WRONG, "10.9.0.1").status_code == 401
    assert api_login(one, "cs", PASSWORD, "10.9.0.1").status_code == 401
    assert api_login(two, "cs", PASSWORD, "10.9.0.1").status_code == 401
    assert api_login(two, "cs", PASSWORD, "10.9.0.2").status_code == 200


def test_the_login_rate_limit_is_one_limit_for_all_servers(db_url, flush_redis):
    one, two = (a.test_client() for a in _servers(db_url, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="4 per minute"))
    codes = [api_login(c, "nobody", WRONG, "10.8.0.1").status_code for c in (one, two, one, two, one)]
    assert codes == [401, 401, 401, 401, 429]
