"""The API's date-times: ISO 8601 with the offset of APP_TIMEZONE out; any offset, or local, in."""
from datetime import datetime

import pytest

from app.extensions import db
from app.models import Ticket
from tests.records import make_customer
from tests.ticket_helpers import new_ticket

BODY = {"channel": "phone", "category": "hardware", "severity": "general", "title": "接收站无信号",
        "description": "今早起接收站无信号"}


def _create(client, api, cid, **kw):
    return client.post("/api/v1/ticket/", json={**BODY, "customer": cid, **kw}, headers=api("cs"))


@pytest.mark.parametrize("typed", [
    "2026-11-30T19:30:00+08:00",   # Beijing, with its offset
    "2026-11-30T19:30",            # no offset: read in APP_TIMEZONE
    "2026-11-30 19:30:00",         # the same with a space
    "2026-11-30T11:30:00Z",        # UTC
    "2026-11-30T20:30:00+09:00",   # Tokyo: the same instant
])
def test_a_time_sent_in_any_zone_is_stored_as_its_instant_and_sent_back_in_beijing(app, client, api, typed):
    cid = make_customer(app, with_equipment=True)
    resp = _create(client, api, cid, occurred_at=typed)
    assert resp.status_code == 201, resp.json
    assert resp.json["result"]["occurred_at"] == "2026-11-30T19:30:00+08:00"
    with app.app_context():
        assert db.session.get(Ticket, resp.json["id"]).occurred_at == datetime(2026, 11, 30, 11, 30)
    shown = client.get(f"/api/v1/ticket/{resp.json['id']}", headers=api("cs")).json["result"]
    assert shown["occurred_at"] == "2026-11-30T19:30:00+08:00"
    assert shown["received_at"].endswith("+08:00")


def test_a_time_that_is_not_a_time_is_a_422_with_a_message(app, client, api):
    cid = make_customer(app, with_equipment=True)
    resp = _create(client, api, cid, occurred_at="yesterday evening")
    assert resp.status_code == 422
    assert "occurred_at" in resp.json["message"]


def test_lists_nested_rows_moves_and_timeline_carry_the_offset(app, client, api, staff):
    cid = make_customer(app, with_equipment=True)
    pk = new_ticket(app, cid, received_at=datetime(2026, 11, 30, 17, 30))  # 12-01 01:30 in Beijing
    listed = client.get("/api/v1/ticket/", headers=api("manager")).json["result"]
    assert listed[0]["received_at"] == "2026-12-01T01:30:00+08:00"
    moved = client.post(f"/api/v1/ticket/{pk}/transition", json={"to": "assigned", "assignee": staff["field1"]},
                        headers=api("tech"))
    assert moved.status_code == 200, moved.json
    assert moved.json["result"]["received_at"] == "2026-12-01T01:30:00+08:00"
    assert moved.json["result"]["assigned_at"].endswith("+08:00")
    events = client.get("/api/v1/ticket_event/", headers=api("manager")).json["result"]
    assert events and all(e["at"].endswith("+08:00") for e in events)
    info = client.get("/api/v1/ticket/_info", headers=api("cs"))
    assert info.status_code == 200
    occurred = next(f for f in info.json["add_columns"] if f["name"] == "occurred_at")
    assert occurred["type"] == "ZonedDateTime"


def test_another_app_timezone_moves_the_offset(app, client, api):
    cid = make_customer(app, with_equipment=True)
    app.config["APP_TIMEZONE"] = "Europe/Berlin"
    try:
        resp = _create(client, api, cid, occurred_at="2026-11-30T12:30")  # Berlin wall time (UTC+1)
        assert resp.json["result"]["occurred_at"] == "2026-11-30T12:30:00+01:00"
    finally:
        app.config["APP_TIMEZONE"] = "Asia/Shanghai"
    with app.app_context():
        assert db.session.get(Ticket, resp.json["id"]).occurred_at == datetime(2026, 11, 30, 11, 30)
