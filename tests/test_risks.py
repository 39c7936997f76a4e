"""Risk register: level computed from likelihood × impact, kept in sync on every save."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Risk, RiskLevel
from app.models.risks import level_for
from tests.conftest import csrf_token


@pytest.mark.parametrize("likelihood, impact, score, level", [
    (5, 5, 25, "high"), (3, 5, 15, "high"), (4, 4, 16, "high"),
    (2, 4, 8, "medium"), (3, 4, 12, "medium"), (7 // 7, 7, 7, "low"),
    (1, 1, 1, "low"), (2, 3, 6, "low"),
])
def test_level_thresholds(likelihood, impact, score, level):
    assert level_for(likelihood, impact) == (score, RiskLevel(level))


def test_api_level_computed_and_resynced_on_edit(app, client, api, staff):
    h = api("manager")
    resp = client.post("/api/v1/risk/", json={
        "title": "关键技术人员离职", "category": "personnel", "likelihood": 2, "impact": 5,
        "owner": staff["manager"], "response": "培养备岗人员", "warning_signs": "请假频繁",
    }, headers=h)
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    shown = client.get(f"/api/v1/risk/{pk}", headers=h).json["result"]
    assert (shown["score"], shown["level"]) == (10, "medium")
    # a client cannot set the level itself: it is not an input, and the next save recomputes it
    resp = client.put(f"/api/v1/risk/{pk}", json={"likelihood": 4, "level": "low"}, headers=h)
    assert resp.status_code == 422
    resp = client.put(f"/api/v1/risk/{pk}", json={"likelihood": 4}, headers=h)
    assert resp.status_code == 200, resp.json
    shown = client.get(f"/api/v1/risk/{pk}", headers=h).json["result"]
    assert (shown["score"], shown["level"]) == (20, "high")
    q = "(filters:!((col:level,opr:eq,value:high)))"
    assert [r["id"] for r in client.get(f"/api/v1/risk/?q={q}", headers=api("tech")).json["result"]] == [pk]


def test_level_follows_direct_model_changes(app):
    with app.app_context():
        risk = Risk(title="客户描述不准确", category="customer", likelihood=1, impact=2)
        db.session.add(risk)
        db.session.commit()
        assert (risk.score, risk.level) == (2, RiskLevel.low)
        risk.impact = 5
        risk.likelihood = 3
        db.session.commit()
        assert db.session.execute(sa.select(Risk.score, Risk.level)).one() == (15, RiskLevel.high)


@pytest.mark.parametrize("field, value", [("likelihood", 0), ("likelihood", 6), ("impact", -1), ("impact", 9)])
def test_api_out_of_range_is_422_and_nothing_written(app, client, api, field, value):
    body = {"title": "服务器硬件老化", "category": "technical", "likelihood": 3, "impact": 3, field: value}
    resp = client.post("/api/v1/risk/", json=body, headers=api("manager"))
    assert resp.status_code == 422
    assert field in resp.json["message"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Risk)) == 0


def test_html_add_shows_level_and_refuses_bad_dates(app, as_user):
    browser = as_user("tech")
    token = csrf_token(browser, "/riskview/add")
    base = {"title": "备件供货周期长", "category": "technical", "likelihood": "3", "impact": "3",
            "status": "identified", "identified_on": "2026-03-01", "csrf_token": token}
    resp = browser.post("/riskview/add", data={**base, "review_on": "2026-02-01"})
    assert resp.status_code == 200
    assert "The review date must not be before the date identified." in resp.get_data(as_text=True)
    resp = browser.post("/riskview/add", data={**base, "review_on": "2026-06-01"})
    assert resp.status_code == 302
    page = browser.get("/riskview/list/").get_data(as_text=True)
    assert "备件供货周期长" in page and "Medium" in page


def test_roles_on_risks(client, api):
    body = {"title": "x", "category": "technical", "likelihood": 1, "impact": 1}
    assert client.post("/api/v1/risk/", json=body, headers=api("field1")).status_code == 403
    assert client.get("/api/v1/risk/", headers=api("keeper")).status_code == 403
    assert client.get("/api/v1/risk/", headers=api("cs")).status_code == 200
