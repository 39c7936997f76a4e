"""The periodic after-sales report as a workbook: summary, tickets, SLA, satisfaction, parts, open issues."""
from __future__ import annotations

from typing import IO, Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .. import clock
from ..replica import reporting
from .after_sales_report import figures
from .report_layout import ReportBook, ReportSheet
from .report_period import Period
from .report_sheets import open_issues_sheet, parts_sheet, satisfaction_sheet, tickets_sheet

KPI_ROWS = [  # kpi.summary key, label, kind
    ("tickets", _l("Tickets received"), "int"),
    ("closed", _l("Closed"), "int"),
    ("avg_response_minutes", _l("Average response time (minutes)"), "num"),
    ("on_time_rate", _l("Repair on-time rate"), "pct"),
    ("success_rate", _l("Repair success rate (not reopened)"), "pct"),
    ("satisfaction", _l("Customer satisfaction (surveys with mean score 4 or more)"), "pct"),
    ("complaint_satisfaction", _l("Complaint-handling satisfaction"), "pct"),
]


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def write_after_sales_report(target: str | IO[bytes], period: Period) -> None:
    """The report of one period, figures from `after_sales_report.figures`."""
    with reporting():  # the period's figures may come from the read replica
        data = figures(period)
    book = ReportBook(target)
    try:
        summary_sheet(book, data)
        tickets_sheet(book, data)
        satisfaction_sheet(book, data)
        parts_sheet(book, data)
        open_issues_sheet(book, data)
    finally:
        book.workbook.close()


def summary_sheet(book: ReportBook, data: dict[str, Any]) -> None:
    """Period, KPIs against the previous period, volumes."""
    period: Period = data["period"]
    s = ReportSheet(book, gettext("Summary"), [46, 16, 16, 14])
    s.heading(gettext("After-sales service report %(period)s", period=period.name), size=16)
    s.table([gettext("Period"), gettext("From"), gettext("To")],
            [(gettext("This period"), str(period.start), str(period.end)),
             (gettext("Previous period"), str(period.previous_start), str(period.previous_end))],
            [None, None, None])
    s.heading(gettext("Key indicators"))
    now, before = data["kpi"], data["kpi_previous"]
    s.table([gettext("Indicator"), gettext("This period"), gettext("Previous period"), gettext("Change")],
            [(str(label), now[key], before[key], _change(now[key], before[key])) for key, label, _ in KPI_ROWS],
            [None, "int", "int", "int"])
    # the kinds differ per row: rewrite the number cells with the row's format
    first = s.row - 2 - len(KPI_ROWS) + 1
    for i, (key, _label, kind) in enumerate(KPI_ROWS):
        for col, value in enumerate((now[key], before[key], _change(now[key], before[key])), start=1):
            s.cell(first + i, col, value, kind if value is not None else None)
    s.heading(gettext("Volumes"))
    consumption = sum(float(r[4] or 0) for r in data["parts"])
    s.key_values([gettext("Figure"), gettext("Value")], [
        (gettext("Tickets received"), now["tickets"], "int"),
        (gettext("Complaints received"), data["complaints"]["received"], "int"),
        (gettext("Customer callbacks made"), data["satisfaction"]["callbacks"], "int"),
        (gettext("Parts issued (value)"), round(consumption, 2), "money"),
        (gettext("Open tickets today"), data["open"]["open"], "int"),
        (gettext("Overdue open tickets today"), data["open"]["overdue"], "int"),
        (gettext("Overdue complaints today"), data["complaints"]["overdue_now"], "int"),
    ])
    s.sheet.write_string(s.row, 0, gettext("Generated %(when)s", when=clock.format_datetime(data["now"])),
                         book.fmt(font_size=8, font_color="#555555"))
