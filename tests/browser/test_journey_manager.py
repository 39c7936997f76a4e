"""The manager reads the dashboard (every chart drawn from this machine), the KPI page, and takes
the ticket list and the month's report workbook away as Excel files that hold the figures."""
from __future__ import annotations

import calendar

import sqlalchemy as sa
from openpyxl import load_workbook
from playwright.sync_api import expect

from app import clock
from app.extensions import db
from app.models import Ticket

from .screens import saving

CHARTS_DRAWN = """() => [...document.querySelectorAll('.chart-box')].every(
    (b) => b.querySelector('canvas, svg, .empty-state, .chart-error'))"""


def _cells(sheet) -> dict[str, object]:
    """label → the value beside it, for every two-column line of a sheet."""
    found = {}
    for row in sheet.iter_rows(values_only=True):
        if len(row) > 1 and isinstance(row[0], str) and row[1] is not None:
            found.setdefault(row[0], row[1])
    return found


def test_dashboard_draws_every_chart(open_page, live_server, shot):
    manager = open_page("manager")
    manager.goto(live_server("/"))
    shot(manager, "home-manager-en")
    manager.goto(live_server("/dashboard/"))
    boxes = manager.locator(".chart-box")
    assert boxes.count() >= 6
    manager.wait_for_function(CHARTS_DRAWN)
    assert manager.locator(".chart-box .chart-error").count() == 0
    drawn = manager.locator(".chart-box canvas").count()
    assert drawn >= boxes.count() - manager.locator(".chart-box .empty-state").count()
    assert drawn >= boxes.count() // 2, "most charts of a seeded department have data"
    shot(manager, "dashboard-en")  # (after the charts' requests: see `shot`)


def _saved(download, folder):
    """The downloaded file under its own name (openpyxl goes by the extension)."""
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def test_kpi_page_and_report_workbook_agree(open_page, live_server, shot, tmp_path):
    with live_server.app.app_context():
        today = clock.today_local()
    first = today.replace(day=1)
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    manager = open_page("manager")
    manager.goto(live_server("/kpi/"))
    manager.fill("input[name=from]", first.isoformat())
    manager.fill("input[name=to]", last.isoformat())
    with saving(manager):
        manager.get_by_role("button", name="Show").click()
    tickets_shown = int(manager.locator("#kpi-tickets .kpi-this").inner_text().replace(",", ""))
    expect(manager.locator(".kpi-summary")).to_contain_text("Repair on-time rate")
    shot(manager, "kpi-en")

    manager.goto(live_server("/report/after_sales/"))
    form = manager.locator("form.report-period")
    form.locator("select[name=period]").select_option(label="Month")
    form.locator("input[name=date]").fill(today.isoformat())
    with manager.expect_download() as download:
        form.get_by_role("button", name="Download (Excel)").click()
    assert download.value.suggested_filename == f"after_sales_{first:%Y%m%d}_{last:%Y%m%d}.xlsx"
    book = load_workbook(_saved(download.value, tmp_path))
    summary = _cells(book.worksheets[0])
    assert summary.get("Tickets received") == tickets_shown, summary
    assert len(book.sheetnames) >= 4


def test_ticket_list_export_holds_every_row(open_page, live_server, tmp_path):
    with live_server.app.app_context():
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Ticket))
        newest = db.session.scalar(sa.select(Ticket.number).order_by(Ticket.received_at.desc()).limit(1))
        db.session.remove()
    manager = open_page("manager")
    manager.goto(live_server("/ticketview/list/"))
    with manager.expect_download() as download:
        manager.locator("a.export-xlsx").first.click()
    sheet = load_workbook(_saved(download.value, tmp_path)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert "Ticket no." in rows[0]
    assert len(rows) - 1 == total
    numbers = [r[rows[0].index("Ticket no.")] for r in rows[1:]]
    assert newest in numbers and len(set(numbers)) == total
