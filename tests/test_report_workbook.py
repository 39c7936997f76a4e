"""The periodic after-sales report: periods, figures = kpi.summary, by-severity counts, access, bad input."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest

from app.extensions import db
from app.models import Ticket, TicketStatus
from app.services import kpi, stock
from app.services.report_period import parse_period, period_of
from app.unit_of_work import unit_of_work
from tests.parts_helpers import make_part, make_warehouse
from tests.records import make_customer
from tests.ticket_helpers import new_ticket

URL = "/api/v1/report/after_sales.xlsx"
MARCH = datetime(2026, 3, 1)


def test_periods():
    p = period_of("quarter", date(2026, 5, 17))
    assert (p.start, p.end, p.previous_start, p.previous_end) == (
        date(2026, 4, 1), date(2026, 6, 30), date(2026, 1, 1), date(2026, 3, 31))
    p = period_of("month", date(2026, 1, 31))
    assert (p.start, p.end, p.previous_start, p.previous_end, p.name) == (
        date(2026, 1, 1), date(2026, 1, 31), date(2025, 12, 1), date(2025, 12, 31), "2026-01")
    p = period_of("year", date(2024, 2, 29))
    assert (p.start, p.end, p.previous_start, p.name) == (date(2024, 1, 1), date(2024, 12, 31), date(2023, 1, 1), "2024")
    p = parse_period({"from": "2026-03-10", "to": "2026-03-19"}, date(2026, 1, 1))
    assert (p.previous_start, p.previous_end) == (date(2026, 2, 28), date(2026, 3, 9))
    assert parse_period({}, date(2026, 2, 14)).start == date(2026, 2, 1)
    for bad in ({"period": "week"}, {"date": "2026-13-01"}, {"date": "1.3.2026"},
                {"from": "2026-03-02", "to": "2026-03-01"}, {"from": "2026-03-02"}):
        with pytest.raises(ValueError):
            parse_period(bad, date(2026, 1, 1))


@pytest.fixture
def march(app, staff):
    """A small hand-made month: 3 general (1 closed on time, 1 late), 2 important, 1 emergency;
    1 in February; 2 parts issued in March."""
    cid = make_customer(app, 2, with_equipment=True)
    made = []
    for day, sev, status, late in [(2, "general", "closed", False), (3, "general", "closed", True),
                                   (4, "general", "in_progress", None), (5, "important", "closed", False),
                                   (6, "important", "new", None), (7, "emergency", "closed", False)]:
        made.append((new_ticket(app, cid, received_at=MARCH.replace(day=day, hour=9), severity=sev), status, late))
    new_ticket(app, cid, received_at=datetime(2026, 2, 20, 9), severity="emergency")
    with app.app_context():
        for tid, status, late in made:
            t = db.session.get(Ticket, tid)
            t.first_response_at = t.received_at + timedelta(minutes=30)
            if status == "closed":
                t.resolved_at = t.resolve_by + timedelta(hours=5) if late else t.received_at + timedelta(hours=1)
                t.closed_at = t.resolved_at
            t.status = TicketStatus(status)
        db.session.commit()
        part, wh = make_part(7), make_warehouse(7, "东城备件库")
        with unit_of_work():
            stock.receive(part, wh, 10, Decimal("12.50"), "RK-1")
        with unit_of_work():
            stock.issue(part, wh, 3, "LY-1", posted_at=datetime(2026, 3, 10, 10))
    return made


def sheet_rows(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def row_of(ws, first) -> list:
    return next(r for r in sheet_rows(ws) if r and r[0] == first)


def test_report_figures_equal_kpi_summary(app, api, client, march):
    resp = client.get(URL + "?period=month&date=2026-03-15", headers=api("manager"))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(resp.get_data()))
    assert book.sheetnames == ["Summary", "Tickets", "Satisfaction", "Parts", "Open issues"]
    summary = book["Summary"]
    assert summary["A1"].value == "After-sales service report 2026-03"
    with app.app_context():
        now_k = kpi.summary(date(2026, 3, 1), date(2026, 3, 31))
        before_k = kpi.summary(date(2026, 2, 1), date(2026, 2, 28))
    assert now_k["tickets"] == 6 and before_k["tickets"] == 1
    for label, key in [("Tickets received", "tickets"), ("Closed", "closed"),
                       ("Average response time (minutes)", "avg_response_minutes"),
                       ("Repair on-time rate", "on_time_rate"), ("Repair success rate (not reopened)", "success_rate")]:
        row = row_of(summary, label)
        assert row[1] == pytest.approx(now_k[key]) and row[2] == pytest.approx(before_k[key]), label
    assert row_of(summary, "Closed")[1:4] == [4, 0, 4]  # this period, previous, change
    assert row_of(summary, "Repair on-time rate")[1] == pytest.approx(3 / 6)  # 3 on time of 4 resolved + 2 open past due
    cell = next(c for r in summary.iter_rows() for c in r if c.value == pytest.approx(0.5))
    assert cell.number_format == "0.0%"
    # by severity: received, closed, on time, due
    tickets = book["Tickets"]
    assert row_of(tickets, "General")[:5] == ["General", 3, 2, 1, 3]
    assert row_of(tickets, "Important")[:5] == ["Important", 2, 1, 1, 2]
    assert row_of(tickets, "Emergency")[:5] == ["Emergency", 1, 1, 1, 1]
    assert row_of(tickets, "Hardware")[1] == 6
    assert len(tickets._charts) == 3  # severity, on-time rate, category
    # parts: 3 issued at 12.50
    parts = book["Parts"]
    assert row_of(parts, "P-0007")[3:5] == [3, 37.5]
    assert row_of(parts, "东城备件库")[1:3] == [7, 87.5]
    # open issues today: the two open March tickets and the February one
    assert book["Open issues"]["A1"].value.startswith("Open tickets: 3")
    ws = book["Summary"]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"


def test_report_from_to_and_the_page(app, api, client, as_user, march):
    resp = client.get(URL + "?from=2026-03-01&to=2026-03-04", headers=api("tech"))
    assert resp.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(resp.get_data()))
    assert row_of(book["Summary"], "Tickets received")[1] == 3
    assert row_of(book["Tickets"], "General")[1] == 3
    page = as_user("manager")
    html = page.get("/report/after_sales/").get_data(as_text=True)
    assert "/report/after_sales/download" in html and 'name="period"' in html
    resp = page.get("/report/after_sales/download?period=quarter&date=2026-02-01")
    assert resp.status_code == 200 and resp.mimetype.endswith("sheet")
    bad = page.get("/report/after_sales/download?period=fortnight")
    assert bad.status_code == 400 and "Unknown period" in bad.get_data(as_text=True)


@pytest.mark.parametrize("query,needle", [
    ("period=week", "Unknown period"), ("period=month&date=2026-02-30", "not a real date"),
    ("date=15/03/2026", "YYYY-MM-DD"), ("from=2026-03-05&to=2026-03-01", "must not be after"),
    ("to=2026-03-01", "both"),
])
def test_bad_input_is_400(api, client, query, needle):
    resp = client.get(f"{URL}?{query}", headers=api("manager"))
    assert resp.status_code == 400 and needle in resp.get_json()["message"]


def test_report_permissions(client, api, as_user):
    assert client.get(URL).status_code == 401
    for role in ("field1", "cs", "keeper"):
        assert client.get(URL + "?period=year", headers=api(role)).status_code == 403, role
    page = as_user("field1")
    assert page.get("/report/after_sales/download?period=year").status_code == 403
    assert "/report/after_sales/" not in page.get("/").get_data(as_text=True)
