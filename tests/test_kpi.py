"""GET /api/v1/kpi/summary against a hand-made data set whose answers are worked out by hand."""
from datetime import datetime, timedelta

import pytest

from app import clock
from app.extensions import db
from app.models import SatisfactionSurvey, Ticket
from tests.records import make_customer

H = timedelta(hours=1)
M = timedelta(minutes=1)


def add(app, cid, n, received, severity, status, response_min=None, resolved_after=None,
        resolve_in=4 * H, reopen=0, survey=None):
    """A ticket received at `received`, a Beijing wall time (APP_TIMEZONE), stored as UTC."""
    received = clock.from_local(received)
    with app.app_context():
        t = Ticket(number=f"SR-2026-{n:06d}", customer_id=cid, channel="phone", category="hardware",
                   severity=severity, status=status, title=f"T{n}", description="d", received_at=received,
                   respond_by=received + 2 * H, resolve_by=received + resolve_in, reopen_count=reopen,
                   first_response_at=received + response_min * M if response_min is not None else None,
                   resolved_at=received + resolved_after if resolved_after is not None else None)
        db.session.add(t)
        if survey:
            db.session.add(SatisfactionSurvey(ticket=t, timeliness=survey[0], effectiveness=survey[1],
                                              attitude=survey[2]))
        db.session.commit()


@pytest.fixture
def october(app):
    """Tickets of October 2026 (Beijing time), plus two just outside it.

    A  10-01 08:00  closed,   response 30 min, resolved 3 h (deadline 4 h: on time), survey 5/5/5 (satisfied)
    B  10-10 09:00  closed,   response 90 min, resolved 9 h (deadline 8 h: late), reopened once, survey 3/4/4 (mean 3.67)
    H  10-05 14:00  closed,   response 61 min, resolved 2 h (on time), no survey
    C  10-20 10:00  awaiting, response 45 min, resolved 2 h (on time)
    D  10-31 23:00  new,      no response, not resolved, deadline long past (late)
    E  10-15 12:00  cancelled (counts as received only)
    F  09-30 23:59 and G 11-01 00:00: outside the period
    """
    cid = make_customer(app, with_equipment=True)
    add(app, cid, 1, datetime(2026, 10, 1, 8), "general", "closed", 30, 3 * H, survey=(5, 5, 5))
    add(app, cid, 2, datetime(2026, 10, 10, 9), "important", "closed", 90, 9 * H, resolve_in=8 * H,
        reopen=1, survey=(3, 4, 4))
    add(app, cid, 3, datetime(2026, 10, 5, 14), "general", "closed", 61, 2 * H)
    add(app, cid, 4, datetime(2026, 10, 20, 10), "emergency", "awaiting_confirmation", 45, 2 * H)
    add(app, cid, 5, datetime(2026, 10, 31, 23), "general", "new")
    add(app, cid, 6, datetime(2026, 10, 15, 12), "general", "cancelled")
    add(app, cid, 7, datetime(2026, 9, 30, 23, 59), "general", "closed", 10, 1 * H, survey=(1, 1, 1))
    add(app, cid, 8, datetime(2026, 11, 1, 0, 0), "general", "closed", 10, 1 * H, survey=(1, 1, 1))


def test_october_by_hand(client, api, october):
    resp = client.get("/api/v1/kpi/summary?from=2026-10-01&to=2026-10-31", headers=api("manager"))
    assert resp.status_code == 200, resp.json
    assert resp.json == {
        "tickets": 6,                      # A B H C D E
        "closed": 3,                       # A B H
        "avg_response_minutes": 56.5,      # (30 + 90 + 61 + 45) / 4
        "on_time_rate": 0.6,               # A H C on time / A B H C resolved + D late and open
        "success_rate": 0.6667,            # A H not reopened / A B H closed
        "satisfaction": 0.5,               # A satisfied / A B surveyed
        "complaint_satisfaction": None,    # no complaints in this data set
    }


def test_complaint_satisfaction_by_hand(client, api, app, october):
    """Rated complaints of October: 5, 4 and 2 (one unrated, one in November) → 2 satisfied of 3."""
    from app.models import Complaint, Customer

    with app.app_context():
        cid = db.session.query(Customer.id).scalar()
        for n, (day, score) in enumerate([(1, 5), (9, 4), (31, 2), (12, None)]):
            db.session.add(Complaint(number=f"TS-{n}", customer_id=cid, subject="s", content="c",
                                     received_at=clock.from_local(datetime(2026, 10, day, 22)), satisfaction=score))
        db.session.add(Complaint(number="TS-9", customer_id=cid, subject="s", content="c",
                                 received_at=clock.from_local(datetime(2026, 11, 1, 0, 0)), satisfaction=1))
        db.session.commit()
    resp = client.get("/api/v1/kpi/summary?from=2026-10-01&to=2026-10-31", headers=api("manager"))
    assert resp.json["complaint_satisfaction"] == 0.6667


def test_one_day_and_an_empty_period(client, api, october):
    day = client.get("/api/v1/kpi/summary?from=2026-10-20&to=2026-10-20", headers=api("manager")).json
    assert day == {"tickets": 1, "closed": 0, "avg_response_minutes": 45.0, "on_time_rate": 1.0,
                   "success_rate": None, "satisfaction": None, "complaint_satisfaction": None}
    empty = client.get("/api/v1/kpi/summary?from=2025-01-01&to=2025-01-31", headers=api("manager")).json
    assert empty["tickets"] == 0 and empty["on_time_rate"] is None and empty["avg_response_minutes"] is None


@pytest.mark.parametrize("query", [
    "from=2026-10-31&to=2026-10-01",   # from after to
    "from=2026-13-01&to=2026-12-31",   # no such month
    "from=2026-02-30&to=2026-03-01",   # no such day
    "from=10/01/2026&to=2026-10-31",   # not YYYY-MM-DD
    "from=20261001&to=2026-10-31",
    "from=2026-10-01&to=yesterday",
])
def test_bad_dates_are_400_with_a_message(client, api, query):
    resp = client.get(f"/api/v1/kpi/summary?{query}", headers=api("manager"))
    assert resp.status_code == 400
    assert resp.json["message"]


def test_who_may_read_kpis(client, api):
    url = "/api/v1/kpi/summary?from=2026-10-01&to=2026-10-31"
    assert client.get(url, headers=api("manager")).status_code == 200
    assert client.get(url, headers=api("tech")).status_code == 200
    for who in ("cs", "field1", "keeper"):
        assert client.get(url, headers=api(who)).status_code == 403
    assert client.get(url).status_code == 401


def test_extension_point_for_complaint_satisfaction(client, api, october, monkeypatch):
    from app.services import kpi

    monkeypatch.setitem(kpi.KPI_EXTENSIONS, "complaint_satisfaction", lambda lo, hi: 0.75)
    resp = client.get("/api/v1/kpi/summary?from=2026-10-01&to=2026-10-31", headers=api("manager"))
    assert resp.json["complaint_satisfaction"] == 0.75 and resp.json["tickets"] == 6


def test_the_period_is_made_of_local_days(app, client, api):
    """Beijing is UTC+8: a ticket received 2026-11-30 17:30 UTC (12-01 01:30 local) is December's;
    one received 2026-11-30 15:59 UTC (23:59 local) is still November's."""
    cid = make_customer(app, with_equipment=True)
    with app.app_context():
        for n, utc in enumerate([datetime(2026, 11, 30, 17, 30), datetime(2026, 11, 30, 15, 59)], start=1):
            db.session.add(Ticket(number=f"SR-2026-{n:06d}", customer_id=cid, channel="phone", category="hardware",
                                  severity="general", status="new", title="t", description="d", received_at=utc))
        db.session.commit()
    with clock.frozen(datetime(2026, 12, 1, 2, 0)):  # 10:00 on 12-01 in Beijing
        december = client.get("/api/v1/kpi/summary?from=2026-12-01&to=2026-12-31", headers=api("manager")).json
        november = client.get("/api/v1/kpi/summary?from=2026-11-01&to=2026-11-30", headers=api("manager")).json
        today = client.get("/api/v1/kpi/summary", headers=api("manager")).json  # the 30 days up to today (12-01)
    assert (december["tickets"], november["tickets"], today["tickets"]) == (1, 1, 2)
    with clock.frozen(datetime(2026, 11, 30, 17, 0)):  # 01:00 on 12-01 in Beijing: today is already the 1st
        resp = client.get("/api/v1/kpi/summary?from=2026-12-01", headers=api("manager"))
        assert resp.status_code == 200 and resp.json["tickets"] == 1
