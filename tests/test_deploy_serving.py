"""Running as a deployment: /ready, the request id, logs, a login limit shared through Redis."""
from __future__ import annotations

import json
import logging

import pytest

from app import create_app
from app.logs import REQUEST_ID_HEADER, ContextFilter, configure_logging
from tests.conftest import login, make_config
from tests.redis_helpers import CLOSED_REDIS_URL, redis_url  # noqa: F401  (fixture)


def _app(db_url, **overrides):
    # FAB_UPDATE_PERMS off: the suite's app already synced the permissions (fast start)
    return create_app(make_config(db_url, FAB_UPDATE_PERMS=False, **overrides))


def test_ready_without_redis(client):
    resp = client.get("/ready")
    assert resp.status_code == 200
    assert resp.json == {"database": "ok", "redis": "not configured", "migrations": "current"}


def test_ready_with_redis(app, db_url, redis_url):
    resp = _app(db_url, REDIS_URL=redis_url).test_client().get("/ready")
    assert resp.status_code == 200, resp.json
    assert resp.json == {"database": "ok", "redis": "ok", "migrations": "current"}


def test_ready_reports_a_stopped_redis(app, db_url):
    resp = _app(db_url, REDIS_URL=CLOSED_REDIS_URL).test_client().get("/ready")
    assert resp.status_code == 503
    assert resp.json == {"database": "ok", "redis": "unreachable", "migrations": "current"}


def test_ready_reports_pending_migrations(tmp_path):
    empty = _app(f"sqlite:///{tmp_path}/empty.db").test_client().get("/ready")
    assert empty.status_code == 503
    assert empty.json["migrations"] == "not applied"


def test_ready_reports_an_unreachable_database(tmp_path):
    resp = _app(f"sqlite:///{tmp_path}/missing/dir/db.sqlite").test_client().get("/ready")
    assert resp.status_code == 503
    assert resp.json["database"] == "unreachable"


def test_request_id_is_generated_and_echoed(client):
    first = client.get("/health").headers[REQUEST_ID_HEADER]
    second = client.get("/health").headers[REQUEST_ID_HEADER]
    assert len(first) == 32 and first != second


def test_request_id_from_the_proxy_is_kept(client):
    resp = client.get("/health", headers={REQUEST_ID_HEADER: "lb-7f3a.42"})
    assert resp.headers[REQUEST_ID_HEADER] == "lb-7f3a.42"
    # anything else (too long, odd characters) is replaced, never echoed into logs
    odd = client.get("/health", headers={REQUEST_ID_HEADER: "<script>" * 20})
    assert len(odd.headers[REQUEST_ID_HEADER]) == 32


def _capture(kind, app, path, **kw):
    import io

    handler = configure_logging(kind)
    stream = io.StringIO()
    handler.setStream(stream)
    try:
        @app.get("/_boom")
        def _boom():
            raise RuntimeError("broken on purpose")

        app.testing = False  # an error answers 500 (and is logged) as in production
        app.config["PROPAGATE_EXCEPTIONS"] = False
        resp = app.test_client().get(path, **kw)
    finally:
        logging.getLogger().removeHandler(handler)
    return resp, stream.getvalue()


def test_error_log_carries_request_id_user_and_route_as_json(app, db_url):
    resp, out = _capture("json", _app(db_url), "/_boom", headers={REQUEST_ID_HEADER: "req-1"})
    assert resp.status_code == 500
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    error = next(line for line in lines if line["level"] == "ERROR")
    assert error["request_id"] == "req-1"
    assert error["route"] == "GET /_boom"
    assert "user" in error and "broken on purpose" in error.get("exc_info", "")


def test_development_log_lines_are_readable(app, db_url):
    resp, out = _capture("text", _app(db_url), "/_boom", headers={REQUEST_ID_HEADER: "req-2"})
    line = next(line for line in out.splitlines() if " ERROR " in line)
    assert "[req-2]" in line and "route=GET /_boom" in line and "user=-" in line


def test_context_filter_outside_a_request():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    assert ContextFilter().filter(record) and record.request_id == "-" and record.route is None


def test_sentry_only_when_configured(app, db_url):
    import sentry_sdk

    _app(db_url)
    assert not sentry_sdk.get_client().is_active()
    _app(db_url, SENTRY_DSN="http://public@127.0.0.1:9/1")
    try:
        assert sentry_sdk.get_client().is_active()
    finally:
        sentry_sdk.init()  # back to no client


def test_two_app_servers_sharing_redis_enforce_one_login_limit(app, db_url, redis_url):
    """Each server alone would let 3 tries through; together they allow 3, not 6."""
    servers = [_app(db_url, REDIS_URL=redis_url, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3 per minute")
               for _ in range(2)]
    assert servers[0].config["RATELIMIT_STORAGE_URI"] == redis_url
    clients = [server.test_client() for server in servers]
    codes = [login(clients[i % 2], "admin", "wrong password").status_code for i in range(6)]
    assert 429 not in codes[:3]
    assert codes[3:] == [429, 429, 429]


def test_without_redis_each_server_counts_alone(app, db_url):
    servers = [_app(db_url, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3 per minute") for _ in range(2)]
    assert servers[0].config["RATELIMIT_STORAGE_URI"] == "memory://"
    clients = [server.test_client() for server in servers]
    codes = [login(clients[i % 2], "admin", "wrong password").status_code for i in range(6)]
    assert 429 not in codes  # 3 per server: the per-process count the deployment issue is about


def test_flask_deploy_migrates_and_syncs_roles_on_a_fresh_database(tmp_path):
    fresh = _app(f"sqlite:///{tmp_path}/fresh.db", FAB_CREATE_DB=False)
    result = fresh.test_cli_runner().invoke(args=["deploy"])
    assert result.exit_code == 0, result.output
    with fresh.app_context():
        assert fresh.appbuilder.sm.find_role("Parts Keeper") is not None
        assert fresh.test_client().get("/ready").json["migrations"] == "current"
