"""The chart layer: SQL aggregates against hand-made data, date buckets, permissions, empty data."""
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app import clock
from app.charts import CHARTS, Chart, chart_data
from app.date_buckets import bucket_start, date_bucket, next_bucket
from app.extensions import db
from app.models import Customer, Equipment, Importance, Ticket
from app.models.base import UtcDateTime, utcnow
from tests.records import customer_named, ticket_received


@pytest.mark.parametrize("stamp, unit, expected", [
    ("2026-11-23 10:00:00", "day", "2026-11-23"),
    ("2026-11-23 10:00:00", "week", "2026-11-23"),   # a Monday
    ("2026-11-29 23:59:59", "week", "2026-11-23"),   # the Sunday after it
    ("2026-11-22 08:00:00", "week", "2026-11-16"),   # the Sunday before it
    ("2026-01-01 00:00:00", "week", "2025-12-29"),   # ISO week across the year end
    ("2026-11-30 12:00:00", "month", "2026-11-01"),
    ("2024-02-29 12:00:00", "month", "2024-02-01"),
])
def test_date_bucket_in_the_database(app, stamp, unit, expected):
    moment = datetime.fromisoformat(stamp)  # Beijing wall time of a stored (UTC) timestamp
    with app.app_context():
        got = db.session.scalar(sa.select(date_bucket(sa.literal(clock.from_local(moment), UtcDateTime()), unit)))
    assert got == expected
    assert bucket_start(moment.date(), unit).isoformat() == expected


def test_next_bucket_steps_over_month_ends():
    assert next_bucket(date(2026, 1, 1), "month") == date(2026, 2, 1)
    assert next_bucket(date(2026, 12, 1), "month") == date(2027, 1, 1)
    assert next_bucket(date(2026, 11, 16), "week") == date(2026, 11, 23)


def test_unknown_bucket_is_refused():
    with pytest.raises(ValueError):
        date_bucket(sa.literal(1), "year")
    with pytest.raises(ValueError):
        Chart("x", Ticket, "x", dimension="status", measure="sum")


def _data(app, name, period=None):
    with app.test_request_context():
        return chart_data(CHARTS[name], period)


def test_open_by_status_counts_only_open_tickets_per_severity(app):
    with app.app_context():
        c = customer_named("甲")
        now = clock.local_wall_time(utcnow())
        for status, severity, n in [("new", "general", 3), ("new", "emergency", 1),
                                    ("in_progress", "important", 2), ("closed", "general", 5),
                                    ("cancelled", "emergency", 4)]:
            for _ in range(n):
                ticket_received(c, now, status=status, severity=severity)
        db.session.commit()
    data = _data(app, "open_by_status")
    assert data["keys"] == ["new", "in_progress"]  # enum order, closed / cancelled left out
    by_series = {s["key"]: s["data"] for s in data["series"]}
    assert by_series == {"general": [3, 0], "important": [0, 2], "emergency": [1, 0]}
    assert data["categories"] == ["New", "In progress"]
    assert not data["empty"]


def test_weekly_intake_by_channel_fills_empty_weeks(app):
    with app.app_context():
        c = customer_named("乙")
        ticket_received(c, datetime(2026, 11, 2, 9), channel="phone")       # week of 2 Nov
        ticket_received(c, datetime(2026, 11, 8, 23), channel="phone")      # Sunday, same week
        ticket_received(c, datetime(2026, 11, 3, 9), channel="email")
        ticket_received(c, datetime(2026, 11, 17, 9), channel="email")      # week of 16 Nov
        ticket_received(c, datetime(2026, 12, 1, 9), channel="email")       # outside the period
        db.session.commit()
    data = _data(app, "intake_weekly_by_channel", (date(2026, 11, 1), date(2026, 11, 22)))
    assert data["keys"] == ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]
    by_series = {s["key"]: s["data"] for s in data["series"]}
    assert by_series == {"phone": [0, 2, 0, 0], "email": [0, 1, 0, 1]}


def test_monthly_intake_by_category(app):
    with app.app_context():
        c = customer_named("丙")
        ticket_received(c, datetime(2026, 9, 30, 23, 59), category="hardware")
        ticket_received(c, datetime(2026, 10, 1, 0, 0), category="hardware")
        ticket_received(c, datetime(2026, 10, 31, 12), category="consultation")
        db.session.commit()
    data = _data(app, "intake_monthly_by_category", (date(2026, 9, 1), date(2026, 10, 31)))
    assert data["keys"] == ["2026-09-01", "2026-10-01"]
    by_series = {s["key"]: s["data"] for s in data["series"]}
    assert by_series == {"hardware": [1, 1], "consultation": [0, 1]}


def test_hot_spots_top_n_by_related_column(app):
    with app.app_context():
        a, b, c = customer_named("甲"), customer_named("乙"), customer_named("丙")
        now = clock.local_wall_time(utcnow())
        eq = {}
        for model, customer in [("RS-3000", a), ("UPS-10K", b), ("NAS-8T", c)]:
            e = Equipment(customer_id=customer.id, name=model, model=model, serial_number=f"S-{model}")
            db.session.add(e)
            db.session.flush()
            eq[model] = e
        for customer, model, n in [(a, "RS-3000", 4), (b, "UPS-10K", 2), (c, "NAS-8T", 3)]:
            for _ in range(n):
                ticket_received(customer, now, equipment_id=eq[model].id)
        ticket_received(a, now)  # no equipment: counted for the customer only
        db.session.commit()
    period = (clock.today_local() - timedelta(days=1), clock.today_local() + timedelta(days=1))
    equipment = _data(app, "hotspot_equipment", period)
    assert equipment["categories"] == ["RS-3000", "NAS-8T", "UPS-10K"]
    assert equipment["series"][0]["data"] == [4, 3, 2]
    customers = _data(app, "hotspot_customer", period)
    assert customers["categories"] == ["甲", "丙", "乙"]
    assert customers["series"][0]["data"] == [5, 3, 2]


def test_sum_and_avg_measures(app):
    with app.app_context():
        c = customer_named("甲")
        for n in (0, 2, 4):
            ticket_received(c, clock.local_wall_time(utcnow()), severity="general", reopen_count=n)
        ticket_received(c, clock.local_wall_time(utcnow()), severity="emergency", reopen_count=1)
        db.session.commit()
        for measure, expected in [("sum", [6, 1]), ("avg", [2, 1])]:
            chart = Chart(f"reopen_{measure}", Ticket, "x", dimension="severity",
                          measure=measure, value_column="reopen_count")
            with app.test_request_context():
                data = chart_data(chart)
            assert data["keys"] == ["general", "emergency"]
            assert data["series"][0]["data"] == expected


def test_customers_by_region_and_importance(app):
    with app.app_context():
        customer_named("甲", "东城镇", Importance.key)
        customer_named("乙", "东城镇", Importance.normal)
        customer_named("丙", "西河乡", Importance.normal)
        db.session.commit()
    data = _data(app, "customers_by_region")
    assert data["keys"] == ["东城镇", "西河乡"]
    by_series = {s["key"]: s["data"] for s in data["series"]}
    assert by_series == {"key": [1, 0], "normal": [1, 1]}


def test_no_rows_is_an_empty_chart(app):
    data = _data(app, "open_by_severity")
    assert data["empty"] is True
    assert data["series"][0]["data"] == []
    weekly = _data(app, "intake_weekly_by_channel", (date(2026, 1, 1), date(2026, 1, 31)))
    assert weekly["empty"] is True


def test_hours_between_in_the_database(app):
    from app.date_buckets import hours_between

    with app.app_context():
        got = db.session.scalar(sa.select(hours_between(
            sa.literal(datetime(2026, 11, 1, 8, 0), sa.DateTime()),
            sa.literal(datetime(2026, 11, 2, 9, 30), sa.DateTime()))))
    assert abs(got - 25.5) < 1e-6


def test_resolution_hours_and_on_time_rate(app):
    with app.app_context():
        c = customer_named("甲")
        t0 = datetime(2026, 10, 5, 8, 0)
        # emergency: 2 h and 6 h → 4 h; general: 30 h and 40 h → 35 h; the unresolved one is ignored
        ticket_received(c, t0, severity="emergency", status="closed", resolve_by=t0 + timedelta(hours=4),
                    resolved_at=t0 + timedelta(hours=2), first_response_at=t0 + timedelta(minutes=30))
        ticket_received(c, t0, severity="emergency", status="closed", resolve_by=t0 + timedelta(hours=4),
                    resolved_at=t0 + timedelta(hours=6), first_response_at=t0 + timedelta(minutes=90))
        ticket_received(c, t0, severity="general", status="closed", resolve_by=t0 + timedelta(hours=72),
                    resolved_at=t0 + timedelta(hours=30))
        ticket_received(c, t0, severity="general", status="in_progress", resolve_by=t0 + timedelta(hours=72))
        ticket_received(c, datetime(2026, 11, 3, 8), severity="general", status="closed",
                    resolve_by=datetime(2026, 11, 4), resolved_at=datetime(2026, 11, 5))
        db.session.commit()
    period = (date(2026, 9, 1), date(2026, 12, 31))
    hours = _data(app, "resolution_hours", period)
    assert hours["keys"] == ["general", "emergency"]
    assert hours["series"][0]["data"] == [pytest.approx(35.0), pytest.approx(4.0)]
    assert hours["value_format"] == "hours"
    response = _data(app, "response_hours", period)
    assert response["keys"] == ["emergency"] and response["series"][0]["data"] == [pytest.approx(1.0)]
    rate = _data(app, "sla_on_time_monthly", period)
    assert rate["keys"] == ["2026-09-01", "2026-10-01", "2026-11-01", "2026-12-01"]
    # KPI definition (app/services/kpi.py): October 2 on time of 3 resolved + 1 open past its
    # resolve-by; November: 0 of 1; empty months are gaps
    assert rate["series"][0]["data"] == [None, pytest.approx(2 / 4, abs=1e-3), 0, None]
