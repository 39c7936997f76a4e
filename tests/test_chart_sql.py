"""The faster chart queries (app/chart_sql.py) answer what the plain GROUP BY answers, row for row."""
import random
from datetime import date, datetime, timedelta

import pytest

from app import clock
from app.chart_sql import _one_pass, column_of, shaped_query
from app.charts import CHARTS, Chart
from app.date_buckets import bucket_bounds
from app.extensions import db
from app.models import Channel, Equipment, Severity, Ticket, TicketStatus
from app.models.ticket_codes import Category
from tests.records import customer_named, ticket_received

PERIOD = (date(2026, 5, 20), date(2026, 11, 30))


def _random_tickets(rng: random.Random, n: int = 160) -> None:
    customers = [customer_named(name) for name in ("甲公司", "乙公司", "丙公司", "丁公司")]
    equipment = []  # several units of one model: the model's hot spot adds them up, as grouping by it does
    for i, c in enumerate(customers):
        for model in ("RS-3000", "UPS-10K") if i % 2 else ("NAS-8T",):
            e = Equipment(customer_id=c.id, name=model, model=model, serial_number=f"S-{c.id}-{model}")
            db.session.add(e)
            db.session.flush()
            equipment.append(e)
    for _ in range(n):
        customer = rng.choice(customers)
        received = datetime(2026, 5, 10) + timedelta(minutes=rng.randint(0, 210 * 24 * 60))  # Beijing time
        status = rng.choice(list(TicketStatus))
        kw = dict(channel=rng.choice(list(Channel)).value, category=rng.choice(list(Category)).value,
                  severity=rng.choice(list(Severity)).value, status=status.value,
                  resolve_by=received + timedelta(hours=rng.choice((4, 24, 72))))
        mine = [e for e in equipment if e.customer_id == customer.id]
        if rng.random() < 0.8:
            kw["equipment_id"] = rng.choice(mine).id
        if rng.random() < 0.7:
            kw["first_response_at"] = received + timedelta(minutes=rng.randint(5, 600))
        if status in (TicketStatus.awaiting_confirmation, TicketStatus.closed) or rng.random() < 0.1:
            kw["resolved_at"] = received + timedelta(hours=rng.randint(1, 100))
        ticket_received(customer, received, **kw)
    db.session.commit()


def _normal(rows) -> dict:
    return {(str(r.dim), str(r.ser) if r.ser is not None else None):
            None if r.value is None else round(float(r.value), 6) for r in rows}


def _plain(chart: Chart, period) -> dict:
    dim_col, dim_join = column_of(chart.model, chart.dimension)
    return _normal(_one_pass(chart, dim_col, dim_join, period, None))


# every shape: buckets per select (with and without series), enums as columns (one and two),
# grouped by the foreign key first, and the plain GROUP BY itself (6 statuses × 3 severities)
TICKET_CHARTS = ["intake_weekly_by_channel", "intake_monthly_by_category", "sla_on_time_monthly",
                 "response_hours", "resolution_hours", "hotspot_equipment", "hotspot_customer",
                 "hotspot_category", "open_by_severity", "open_by_status", "workload"]


@pytest.mark.parametrize("name", TICKET_CHARTS)
def test_every_ticket_chart_equals_the_plain_group_by(app, name):
    chart = CHARTS[name]
    assert chart.model is Ticket
    with app.test_request_context():
        _random_tickets(random.Random(name))
        for period in (PERIOD, (date(2026, 11, 3), date(2026, 11, 3)), None):
            got = _normal(shaped_query(chart, period))
            assert got == _plain(chart, period), (name, period)
            assert got or period != PERIOD or name == "workload", "tickets in every chart"  # none assigned


def test_bucket_bounds_follow_daylight_saving(app):
    with app.app_context():
        app.config["APP_TIMEZONE"] = "Europe/Berlin"
        try:
            # the week of 23 March 2026 holds the change to summer time (29 March)
            (key, start, end), = bucket_bounds(date(2026, 3, 23), date(2026, 3, 29), "week")
            assert key == "2026-03-23"
            assert start == datetime(2026, 3, 22, 23, 0)  # midnight at UTC+1
            assert end == datetime(2026, 3, 29, 22, 0)    # the next midnight at UTC+2
            assert clock.local_day_bounds(date(2026, 3, 23), date(2026, 3, 29)) == (start, end)
        finally:
            app.config["APP_TIMEZONE"] = "Asia/Shanghai"


def test_buckets_are_clipped_to_the_period(app):
    with app.app_context():
        bounds = bucket_bounds(date(2026, 11, 4), date(2026, 12, 2), "month")
    assert [k for k, _s, _e in bounds] == ["2026-11-01", "2026-12-01"]
    assert bounds[0][1] == datetime(2026, 11, 3, 16, 0)   # 4 November, Beijing midnight
    assert bounds[1][2] == datetime(2026, 12, 2, 16, 0)   # end of 2 December
