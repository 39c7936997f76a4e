"""Dashboard and KPI figures kept across requests (app/figures.py): asked twice, computed once;
never older than the last save, on this server or another sharing the Redis; per language and
per the rows one may see; a cache that is down is skipped."""
from __future__ import annotations

import pytest

from app import create_app, figures
from app.views import dashboard
from tests.conftest import make_config
from tests.records import make_customer
from tests.redis_helpers import CLOSED_REDIS_URL, redis_url  # noqa: F401  (fixture)
from tests.ticket_helpers import new_ticket

CHART = "/api/v1/chart/open_by_severity"


@pytest.fixture
def computed(monkeypatch):
    """How many times a chart was really computed (not answered from the cache)."""
    calls = []
    real = dashboard.chart_data

    def counting(chart, period, own):
        calls.append(chart.name)
        return real(chart, period, own)

    monkeypatch.setattr(dashboard, "chart_data", counting)
    return calls


def _open(body) -> dict:
    return dict(zip(body["keys"], body["series"][0]["data"], strict=True))


def test_asked_twice_computed_once_and_a_save_makes_it_new(app, client, api, computed):
    customer = make_customer(app, with_equipment=True)
    new_ticket(app, customer)
    first = client.get(CHART, headers=api("manager")).json
    assert client.get(CHART, headers=api("manager")).json == first
    assert computed == ["open_by_severity"] and _open(first) == {"general": 1}

    new_ticket(app, customer, severity="emergency")  # a save: every figure before it is out of date
    after = client.get(CHART, headers=api("manager")).json
    assert _open(after) == {"general": 1, "emergency": 1} and len(computed) == 2


def test_kept_per_language_and_per_the_rows_one_sees(app, client, api, computed, staff):
    new_ticket(app, make_customer(app, with_equipment=True))
    english = client.get(CHART + "?_l_=en", headers=api("manager")).json
    chinese = client.get(CHART + "?_l_=zh_Hans", headers=api("manager")).json
    assert english["categories"] == ["General"] and chinese["categories"] == ["一般"]
    assert len(computed) == 2
    assert client.get(CHART + "?_l_=zh_Hans", headers=api("manager")).json == chinese and len(computed) == 2
    # a field engineer's rows are their own tickets: never given the manager's answer
    from app.security.policy import EXTRA

    EXTRA["Field Engineer"].append(("DashboardView", "can_list"))  # the workload chart, for this test
    app.appbuilder.sm._grants.clear()
    try:
        client.get("/api/v1/chart/workload", headers=api("manager"))
        client.get("/api/v1/chart/workload", headers=api("field1"))
        client.get("/api/v1/chart/workload", headers=api("field1"))
    finally:
        EXTRA["Field Engineer"].remove(("DashboardView", "can_list"))
        app.appbuilder.sm._grants.clear()
    assert computed[2:] == ["workload", "workload"]


def test_off_means_computed_every_time(app, client, api, computed, monkeypatch):
    monkeypatch.setitem(app.config, "FIGURES_CACHE_SECONDS", 0)
    for _ in range(2):
        client.get(CHART, headers=api("manager"))
    assert len(computed) == 2


def test_kpi_summary_from_the_cache_until_a_save(app, client, api, monkeypatch):
    from app.services import kpi

    calls = []
    real = kpi.summary
    monkeypatch.setattr(kpi, "summary", lambda *a, **k: calls.append(a) or real(*a, **k))
    customer = make_customer(app, with_equipment=True)
    assert client.get("/api/v1/kpi/summary", headers=api("manager")).json["tickets"] == 0
    assert client.get("/api/v1/kpi/summary", headers=api("manager")).json["tickets"] == 0
    assert len(calls) == 1
    new_ticket(app, customer)
    assert client.get("/api/v1/kpi/summary", headers=api("manager")).json["tickets"] == 1


def test_two_servers_share_the_figures_and_see_each_others_saves(db_url, app, api, client, redis_url, computed):
    one, two = (create_app(make_config(db_url, REDIS_URL=redis_url, FAB_UPDATE_PERMS=False)) for _ in range(2))
    headers = api("manager")
    customer = make_customer(app, with_equipment=True)
    new_ticket(app, customer)
    c1, c2 = one.test_client(), two.test_client()
    assert _open(c1.get(CHART, headers=headers).json) == {"general": 1}
    assert _open(c2.get(CHART, headers=headers).json) == {"general": 1}
    assert len(computed) == 1  # the second server answered from Redis

    # a save through server two's API moves the shared generation on: server one recomputes
    resp = c2.post("/api/v1/ticket/", headers=headers, json={
        "customer": customer, "channel": "phone", "category": "hardware", "severity": "important",
        "title": "信号中断", "description": "整站无信号"})
    assert resp.status_code == 201, resp.json
    assert _open(c1.get(CHART, headers=headers).json) == {"general": 1, "important": 1}


def test_a_cache_that_is_down_is_skipped(db_url, app, api, computed):
    server = create_app(make_config(db_url, REDIS_URL=CLOSED_REDIS_URL, FAB_UPDATE_PERMS=False))
    new_ticket(app, make_customer(app, with_equipment=True))
    c = server.test_client()
    for _ in range(2):
        resp = c.get(CHART, headers=api("manager"))
        assert resp.status_code == 200 and _open(resp.json) == {"general": 1}
    assert len(computed) == 2
    with server.app_context():
        assert not figures._usable()  # left alone for a while: saves do not wait on it
