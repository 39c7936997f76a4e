"""Production configuration and the security headers on every response."""
from __future__ import annotations

import re

import pytest

from app import create_app
from config import BaseConfig, DevelopmentConfig, ProductionConfig, TestConfig
from tests.conftest import PASSWORD


def test_production_config_values():
    assert ProductionConfig.DEBUG is False and ProductionConfig.TESTING is False
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"
    assert ProductionConfig.SESSION_COOKIE_NAME.startswith("__Host-")
    assert ProductionConfig.REMEMBER_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_HTTPONLY
    assert ProductionConfig.SECURITY_HSTS is True
    assert ProductionConfig.WTF_CSRF_ENABLED is True
    for cfg in (BaseConfig, DevelopmentConfig, TestConfig, ProductionConfig):
        assert cfg.FAB_SAFE_REDIRECT_HOSTS, cfg
        assert cfg.FAB_ADD_SECURITY_API is False


@pytest.fixture
def prod_app(monkeypatch, db_url):
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("APP_HOSTS", "desk.example.com")
    # no in-process sweep timer: it would sweep the suite's database every minute for the rest of the run
    cfg = type("Prod", (ProductionConfig,), {"RATELIMIT_ENABLED": False, "SWEEP_EVERY_SECONDS": 0,
                                            "FAB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    app = create_app(cfg)
    yield app
    # init() sets class attributes; keep them off the shared class.
    for name in ("TRUSTED_HOSTS", "FAB_SAFE_REDIRECT_HOSTS", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI"):
        if name in vars(cfg):
            delattr(cfg, name)


HTTPS = {"base_url": "https://desk.example.com"}


def test_production_headers_and_cookies(prod_app):
    assert not prod_app.debug
    client = prod_app.test_client()
    resp = client.get("/login/", **HTTPS)
    assert resp.status_code == 200
    h = resp.headers
    csp = h["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    html = resp.get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert h["Strict-Transport-Security"].startswith("max-age=31536000")
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["X-Frame-Options"] == "DENY"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["Cache-Control"] == "no-store"
    cookie = h["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_logged_in_pages_are_no_store(prod_app):
    client = prod_app.test_client()
    html = client.get("/login/", **HTTPS).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    resp = client.post("/login/", data={"username": "manager", "password": PASSWORD, "csrf_token": token},
                       headers={"Referer": "https://desk.example.com/login/"}, **HTTPS)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    page = client.get("/customerview/list/", **HTTPS)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"


def test_production_refuses_unknown_hosts(prod_app):
    client = prod_app.test_client()
    assert client.get("/login/", base_url="https://evil.example.com").status_code == 400
    assert client.get("/login/", **HTTPS).status_code == 200


def test_nonce_changes_per_request(app, client):
    first = client.get("/login/").headers["Content-Security-Policy"]
    second = client.get("/login/").headers["Content-Security-Policy"]
    assert first != second


@pytest.mark.parametrize("url", ["/health", "/login/", "/api/v1/customer/", "/customerview/list/"])
def test_headers_on_every_kind_of_response(app, client, url):
    h = client.get(url).headers
    assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert h["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in h   # only in production (HTTPS)


def test_swagger_page_scripts_carry_the_nonce(app, client, as_user):
    as_user("admin")
    resp = client.get("/swagger/v1")
    assert resp.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", resp.headers["Content-Security-Policy"]).group(1)
    tags = re.findall(r"<script\b[^>]*>", resp.get_data(as_text=True))
    assert tags and all(f'nonce="{nonce}"' in tag for tag in tags)
