"""Times on screens, home panels, charts, Excel and in every period are in APP_TIMEZONE (Beijing).

The worked figures: Beijing is UTC+8, so a ticket received 2026-11-30 17:30 UTC was received on
2026-12-01 at 01:30 local time, and belongs to December; one received 15:59 UTC (23:59 local)
still belongs to November 30th.
"""
import io
import re
from datetime import date, datetime, timedelta

import openpyxl
import sqlalchemy as sa

from app import clock
from app.charts import CHARTS, chart_data
from app.extensions import db
from app.models import Ticket
from tests.records import make_customer
from tests.ticket_helpers import new_ticket

DECEMBER_FIRST = datetime(2026, 11, 30, 17, 30)  # UTC; 2026-12-01 01:30 in Beijing
NOVEMBER_LAST = datetime(2026, 11, 30, 15, 59)   # UTC; 2026-11-30 23:59 in Beijing


def two_tickets(app) -> tuple[int, int]:
    cid = make_customer(app, with_equipment=True)
    with clock.frozen(DECEMBER_FIRST + timedelta(minutes=1)):
        first = new_ticket(app, cid, received_at=DECEMBER_FIRST)
        last = new_ticket(app, cid, received_at=NOVEMBER_LAST)
    return first, last


def test_list_and_record_pages_show_local_minutes(app, as_user):
    first, _ = two_tickets(app)
    client = as_user("manager")
    listed = client.get("/ticketview/list/").get_data(as_text=True)
    assert "2026-12-01 01:30" in listed and "2026-11-30 23:59" in listed
    assert "2026-11-30 17:30" not in listed and ":00.0" not in listed
    shown = client.get(f"/ticketview/show/{first}").get_data(as_text=True)
    assert "2026-12-01 01:30" in shown          # received at, in the record and in the timeline
    assert "2026-11-30 17:30" not in shown


def test_numbers_take_the_year_of_the_local_day(app):
    cid = make_customer(app, with_equipment=True)
    new_year_utc = datetime(2026, 12, 31, 16, 30)  # 2027-01-01 00:30 in Beijing
    with clock.frozen(new_year_utc):
        pk = new_ticket(app, cid, received_at=new_year_utc)
    with app.app_context():
        assert db.session.get(Ticket, pk).number.startswith("SR-2027-")


def test_home_panel_deadline_in_local_minutes(app, as_user, staff):
    first, _ = two_tickets(app)
    with app.app_context():
        resolve_by = db.session.get(Ticket, first).resolve_by
    html = as_user("cs").get("/").get_data(as_text=True)
    assert clock.format_datetime(resolve_by) in html
    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S)  # what is shown, not nonces
    assert not re.search(r"\b[AP]M\b", text), "a 12-hour time on the home page"


def test_charts_bucket_and_label_by_the_local_day(app):
    two_tickets(app)
    with app.test_request_context(), clock.frozen(datetime(2026, 12, 20)):
        monthly = chart_data(CHARTS["intake_monthly_by_category"], period=(date(2026, 11, 1), date(2026, 12, 31)))
        december = chart_data(CHARTS["hotspot_category"], period=(date(2026, 12, 1), date(2026, 12, 31)))
    assert monthly["keys"] == ["2026-11-01", "2026-12-01"]
    assert monthly["categories"] == ["2026-11", "2026-12"]
    assert [sum(s["data"][i] for s in monthly["series"]) for i in range(2)] == [1, 1]
    assert sum(s["data"][0] for s in december["series"]) == 1


def test_excel_list_export_writes_local_date_time_cells(app, as_user):
    two_tickets(app)
    resp = as_user("manager").get("/ticketview/export.xlsx")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    ws = openpyxl.load_workbook(io.BytesIO(resp.get_data())).worksheets[0]
    header = [c.value for c in ws[1]]
    col = header.index("Received at")
    cells = [row[col] for row in ws.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == [datetime(2026, 11, 30, 23, 59), datetime(2026, 12, 1, 1, 30)]
    assert {c.number_format for c in cells} == {"yyyy-mm-dd hh:mm"}


def test_report_workbook_period_counts_local_days(app):
    from app.services.after_sales_report import figures
    from app.services.report_period import parse_period

    two_tickets(app)
    with app.test_request_context(), clock.frozen(datetime(2026, 12, 20)):
        december = figures(parse_period({"period": "month", "date": "2026-12-05"}, clock.today_local()))
        november = figures(parse_period({"period": "month", "date": "2026-11-05"}, clock.today_local()))
    assert december["kpi"]["tickets"] == 1 and november["kpi"]["tickets"] == 1


def test_today_flips_at_local_midnight(app):
    from app.models import Complaint
    from app.services.complaints import overdue_clause

    cid = make_customer(app, with_equipment=True)
    with app.app_context():
        db.session.add(Complaint(number="TS-1", customer_id=cid, subject="s", content="c",
                                 received_at=datetime(2026, 11, 20), deadline=date(2026, 11, 30)))
        db.session.commit()

        def overdue():
            return db.session.scalar(sa.select(sa.func.count()).select_from(Complaint).where(overdue_clause()))

        with clock.frozen(NOVEMBER_LAST):     # 23:59 on the deadline day: not yet overdue
            assert overdue() == 0
        with clock.frozen(DECEMBER_FIRST):    # 01:30 the next morning in Beijing (still 11-30 in UTC)
            assert overdue() == 1
