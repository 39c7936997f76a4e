"""Bad and unbounded input at the edge of the API and the forms: a clear 4xx naming the field,
JSON for every /api/ answer (503 without a database), and the production start-up checks."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_jwt_extended import create_access_token

from app import create_app
from app.extensions import db
from app.models import Contact, Customer, Ticket
from config import ProductionConfig
from tests.conftest import csrf_token, make_config
from tests.parts_helpers import make_part, make_warehouse
from tests.records import make_customer

ROOT = Path(__file__).resolve().parents[1]
TICKET = {"channel": "phone", "category": "hardware", "severity": "general",
          "title": "接收站无信号", "description": "今早8点起接收站无信号"}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- point 5: values that used to reach a 500 ------------------------------------------------
@pytest.mark.parametrize("qty", ["²", "¹⁰", "٣", "3²"])
def test_superscript_and_other_non_ascii_digits_are_refused_as_quantities(app, client, api, qty):
    with app.app_context():
        part, wh = make_part(), make_warehouse(1, "县城备件库")
    resp = client.post("/api/v1/stock/receive", headers=api("keeper"), json={
        "part": part, "warehouse": wh, "qty": qty, "unit_cost": "5.00", "reference": "R1"})
    assert resp.status_code == 422 and "qty" in resp.json["message"], resp.get_data(as_text=True)


@pytest.mark.parametrize("depth", [33, 5000, 100_000])
def test_deeply_nested_json_is_400_not_a_recursion_error(app, client, api, depth):
    body = "[" * depth + "]" * depth
    for url in ("/api/v1/customer/", "/api/v1/stock/receive", "/api/v1/ticket/"):
        resp = client.post(url, data=body, content_type="application/json", headers=api("admin"))
        assert resp.status_code == 400 and resp.is_json and resp.json["message"], (url, resp.status_code)


def test_json_nested_within_the_limit_still_parses(app, client, api):
    resp = client.post("/api/v1/customer/", headers=api("manager"),
                       json={"code": "X0001", "name": "n", "region": "r", "importance": "normal",
                             "notes": "x", "extra": [[[[{"a": [1]}]]]]})
    assert resp.status_code == 422


@pytest.mark.parametrize("url", ["/api/v1/kpi/summary?from=2026-01-01&to=9999-12-31",
                                 "/api/v1/kpi/summary?from=0001-01-01&to=2026-01-01",
                                 "/api/v1/chart/intake_monthly_by_category?from=2026-01-01&to=9999-12-31",
                                 "/api/v1/report/after_sales.xlsx?from=2026-01-01&to=9999-12-31"])
def test_periods_ending_in_year_9999_are_400_not_overflow(app, client, api, url):
    resp = client.get(url, headers=api("manager"))
    assert resp.status_code == 400 and resp.is_json, (resp.status_code, resp.get_data()[:200])
    assert "2099" in str(resp.json["message"])


def test_oversize_json_body_is_413_json(app, client, api):
    body = {"code": "X0006", "name": "n", "region": "r", "importance": "normal", "notes": "x" * 2_000_000}
    resp = client.post("/api/v1/customer/", headers=api("manager"), json=body)
    assert resp.status_code == 413 and resp.is_json and resp.json["message"]
    assert _count(app, Customer) == 0


def test_any_body_past_max_content_length_is_413(app, client, api):
    assert app.config["MAX_CONTENT_LENGTH"] and app.config["MAX_CONTENT_LENGTH"] <= 50 * 1024 * 1024
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    resp = client.post("/api/v1/customer/", headers=api("manager"), data=big, content_type="text/plain")
    assert resp.status_code == 413 and resp.is_json


def test_text_columns_have_a_length_limit_on_the_api(app, client, api):
    from app.views.input_rules import TEXT_MAX_LENGTH

    cid = make_customer(app, with_equipment=True)
    resp = client.post("/api/v1/ticket/", headers=api("cs"),
                       json={**TICKET, "customer": cid, "description": "长" * (TEXT_MAX_LENGTH + 1)})
    assert resp.status_code == 422 and "description" in resp.json["message"], resp.json
    assert _count(app, Ticket) == 0
    resp = client.post("/api/v1/contact/", headers=api("cs"),
                       json={"customer": cid, "name": "张三", "notes": "x" * (TEXT_MAX_LENGTH + 1)})
    assert resp.status_code == 422 and "notes" in resp.json["message"], resp.json


def test_text_columns_have_a_length_limit_on_forms(app, client, as_user):
    from app.views.input_rules import TEXT_MAX_LENGTH

    as_user("manager")
    token = csrf_token(client, "/customerview/add")
    resp = client.post("/customerview/add", data={
        "code": "X0005", "name": "客户", "region": "东城镇", "importance": "normal",
        "notes": "x" * (TEXT_MAX_LENGTH + 1), "csrf_token": token})
    assert resp.status_code == 200 and f"{TEXT_MAX_LENGTH}" in resp.get_data(as_text=True)
    assert _count(app, Customer) == 0


def test_every_text_column_has_a_limit(app):
    from app.views.input_rules import max_length

    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.String) and not isinstance(column.type, sa.Enum):
                assert max_length(column), f"{table.name}.{column.name}"


@pytest.mark.parametrize("field", ["occurred_at", "promised_feedback_at"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "9999-12-31T23:59:00", "1899-06-01T08:00:00"])
def test_implausible_ticket_dates_are_422_naming_the_field(app, client, api, field, value):
    cid = make_customer(app, with_equipment=True)
    resp = client.post("/api/v1/ticket/", headers=api("cs"), json={**TICKET, "customer": cid, field: value})
    assert resp.status_code == 422 and field in resp.json["message"], resp.get_data(as_text=True)
    assert _count(app, Ticket) == 0
    from app import clock

    fine = clock.now_utc() + (timedelta(days=2) if field == "promised_feedback_at" else -timedelta(days=2))
    ok = client.post("/api/v1/ticket/", headers=api("cs"),
                     json={**TICKET, "customer": cid, field: fine.strftime("%Y-%m-%dT%H:%M:%S")})
    assert ok.status_code == 201, ok.json


def test_implausible_dates_on_a_form_are_a_form_error(app, client, as_user):
    cid = make_customer(app, with_equipment=True)
    as_user("cs")
    token = csrf_token(client, "/ticketview/add")
    resp = client.post("/ticketview/add", data={
        **TICKET, "customer": str(cid), "occurred_at": "9999-12-31 08:00:00", "csrf_token": token})
    assert resp.status_code == 200 and "2099-12-31" in resp.get_data(as_text=True)
    assert _count(app, Ticket) == 0


# --- point 6: JSON for every /api/ answer ----------------------------------------------------
@pytest.mark.parametrize("method,url,code", [
    ("get", "/api/v1/no_such_resource/", 404), ("post", "/api/v1/customer/1", 405),
    ("get", "/api/v1/customer/abc", 404), ("delete", "/api/v1/stock_movement/1", 405),
    ("get", "/api/v1/ticket/1.5", 404), ("patch", "/api/v1/customer/1", 405)])
def test_api_errors_are_json_with_message(app, client, api, method, url, code):
    """A pk the GET route refuses (`abc`, `1.5`) is no such record (404): Werkzeug would answer
    405 from the PUT route `/<pk>` that matched instead, an answer the document cannot promise."""
    resp = getattr(client, method)(url, headers=api("admin"))
    assert resp.status_code == code and resp.is_json and resp.json["message"], resp.status_code


def test_screens_keep_their_html_error_pages(app, client, as_user):
    as_user("manager")
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404 and resp.mimetype == "text/html"


def test_api_with_the_database_down_is_503_json(app, db_url):
    with app.test_request_context():   # a token the working app signed (same key)
        token = create_access_token(identity="1")
    down = create_app(make_config("postgresql+psycopg://postgres@127.0.0.1:1/nowhere"))
    client = down.test_client()
    for url in ("/api/v1/customer/", "/api/v1/customer/1", "/api/v1/kpi/summary"):
        resp = client.get(url, headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 503 and resp.is_json and resp.json["message"], (url, resp.status_code)
    resp = client.post("/api/v1/security/login", json={"username": "cs", "password": "x" * 12, "provider": "db"})
    assert resp.status_code == 503 and resp.is_json


# --- point 9: smaller ------------------------------------------------------------------------
@pytest.mark.parametrize("value", [{"id": 1}, {"id": "1"}, "1", True, [1]])
def test_a_foreign_key_must_be_an_id(app, client, api, value):
    cid = make_customer(app, with_equipment=True)
    assert cid == 1 or value != {"id": 1}
    resp = client.post("/api/v1/contact/", headers=api("cs"), json={"customer": value, "name": "张三"})
    assert resp.status_code == 422 and "customer" in resp.json["message"], resp.get_data(as_text=True)
    assert _count(app, Contact) == 0


def test_a_conflict_message_has_no_empty_key(app, client, api, staff):
    with app.app_context():
        wh = make_warehouse(1, "县城备件库")
    assert client.post("/api/v1/stocktake/", json={"warehouse": wh}, headers=api("keeper")).status_code == 201
    resp = client.post("/api/v1/stocktake/", json={"warehouse": wh}, headers=api("keeper"))
    assert resp.status_code == 409
    message = resp.json["message"]
    assert isinstance(message, str) and message or "" not in message, message


def test_production_refuses_to_start_without_trusted_hosts(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    monkeypatch.delenv("APP_HOSTS", raising=False)
    with pytest.raises(RuntimeError, match="APP_HOSTS"):
        create_app(ProductionConfig)
    monkeypatch.setenv("APP_HOSTS", "*.example.com")
    with pytest.raises(RuntimeError, match="APP_HOSTS"):
        create_app(ProductionConfig)


def test_production_answers_400_to_a_spoofed_host_on_the_openapi_document(monkeypatch, tmp_path, db_url):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("APP_HOSTS", "desk.example.com")
    # no in-process sweep timer: it would sweep the suite's database every minute for the rest of the run
    cfg = type("Prod", (ProductionConfig,), {"RATELIMIT_ENABLED": False, "SWEEP_EVERY_SECONDS": 0})
    app = create_app(cfg)
    client = app.test_client()
    assert client.get("/api/v1/_openapi", headers={"Host": "evil.example.com"}).status_code == 400
    assert client.get("/login/?next=/", headers={"Host": "evil.example.com"}).status_code == 400


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_sends_no_server_banner(tmp_path, db_url):
    port = _free_port()
    env = {**os.environ, "APP_CONFIG": "production", "SECRET_KEY": "s" * 40, "DATABASE_URL": db_url,
           "APP_HOSTS": "127.0.0.1", "FAB_UPDATE_PERMS": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
                             "app:create_app()"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as resp:
                    headers = resp.headers
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("gunicorn did not answer")
        assert "Server" not in headers, headers.get("Server")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
