"""The detail sheets of the after-sales report: tickets and SLA, satisfaction and complaints, parts, open issues."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext

from ..models import CallbackRecord, Complaint, Part, SatisfactionSurvey, Ticket
from ..models.callbacks import SCORE_FIELDS
from ..models.labels import label_for
from ..models.ticket_work import SCORES
from .report_layout import ReportBook, ReportSheet


def tickets_sheet(book: ReportBook, data: dict[str, Any]) -> None:
    """Tickets by severity (with SLA compliance), by category, by status; charts beside the tables."""
    s = ReportSheet(book, gettext("Tickets"), [28, 11, 11, 11, 11, 13, 16, 4, 28, 11])
    s.heading(gettext("Tickets by severity and SLA compliance"))
    sev = data["by_severity"]
    first, last = s.table(
        [str(label_for(Ticket, "severity")), gettext("Received"), gettext("Closed"), gettext("On time"),
         gettext("Due"), gettext("On-time rate"), gettext("Average response time (minutes)")],
        [(r["key"], r["tickets"], r["closed"], r["on_time"], r["due"], r["on_time_rate"],
          r["avg_response_minutes"]) for r in sev],
        [None, "int", "int", "int", "int", "pct", "num"])
    chart_row = s.row
    s.chart("column", gettext("Tickets by severity"), (first, last, 0), (first, last, 1), 0, chart_row)
    s.chart("column", gettext("On-time rate by severity"), (first, last, 0), (first, last, 5), 5, chart_row,
            percent=True)
    s.row += 15
    s.heading(gettext("Tickets by category and by status"))
    top = s.row
    first, last = s.table([str(label_for(Ticket, "category")), gettext("Received")],
                          data["by_category"], [None, "int"])
    s.row = top  # the status table beside the category table
    s.table([str(label_for(Ticket, "status")), gettext("Received")], data["by_status"], [None, "int"], at_col=8)
    s.chart("pie", gettext("Tickets by category"), (first, last, 0), (first, last, 1), 2, top)


def satisfaction_sheet(book: ReportBook, data: dict[str, Any]) -> None:
    """Survey and callback scores, complaints by status."""
    sat, comp = data["satisfaction"], data["complaints"]
    s = ReportSheet(book, gettext("Satisfaction"), [52, 14, 4, 30, 14])
    s.heading(gettext("Customer satisfaction"))
    s.key_values([gettext("Survey score (mean of 1-5)"), gettext("Value")],
                 [(gettext("Surveys"), sat["surveys"], "int")]
                 + [(str(label_for(SatisfactionSurvey, f)), v, "num")
                    for f, v in zip(SCORES, sat["survey_means"], strict=True)]
                 + [(gettext("Customer satisfaction (surveys with mean score 4 or more)"),
                     data["kpi"]["satisfaction"], "pct")])
    s.key_values([gettext("Callback score (mean of 1-5)"), gettext("Value")],
                 [(gettext("Customer callbacks made"), sat["callbacks"], "int")]
                 + [(str(label_for(CallbackRecord, f)), v, "num")
                    for f, v in zip(SCORE_FIELDS, sat["callback_means"], strict=True)])
    s.heading(gettext("Complaints"))
    first, last = s.table([str(label_for(Complaint, "status")), gettext("Received")],
                          comp["by_status"], [None, "int"])
    s.key_values([gettext("Figure"), gettext("Value")], [
        (gettext("Complaints received"), comp["received"], "int"),
        (gettext("Overdue complaints today"), comp["overdue_now"], "int"),
        (gettext("Complaint-handling satisfaction"), data["kpi"]["complaint_satisfaction"], "pct"),
    ])
    s.chart("bar", gettext("Complaints by status"), (first, last, 0), (first, last, 1), 3, 1)


def parts_sheet(book: ReportBook, data: dict[str, Any]) -> None:
    """Parts issued in the period (by value) and stock value by warehouse today."""
    s = ReportSheet(book, gettext("Parts"), [14, 30, 8, 12, 14, 4, 24, 12, 14], one_page=False)
    s.heading(gettext("Parts consumption (issues in the period)"))
    parts = data["parts"]
    first, last = s.table([str(label_for(Part, "code")), str(label_for(Part, "name")), str(label_for(Part, "unit")),
                           gettext("Quantity"), gettext("Value")],
                          parts or [(None,) * 5], [None, None, None, "int", "money"])
    total = sum(float(r[4] or 0) for r in parts)
    s.cell(s.row - 1, 3, gettext("Total"), None, bold=True)
    s.cell(s.row - 1, 4, total, "money", bold=True)
    s.row += 1
    if parts:
        top = min(last, first + 9)
        s.chart("bar", gettext("Top parts by value issued"), (first, top, 1), (first, top, 4), 6, s.row)
    s.heading(gettext("Stock value by warehouse (today)"))
    s.table([gettext("Warehouse"), gettext("Quantity on hand"), gettext("Value")],
                            data["stock"] or [(None,) * 3], [None, "int", "money"])
    s.cell(s.row - 1, 1, gettext("Total"), None, bold=True)
    s.cell(s.row - 1, 2, sum(float(r[2] or 0) for r in data["stock"]), "money", bold=True)


def open_issues_sheet(book: ReportBook, data: dict[str, Any]) -> None:
    """Open and overdue tickets today, the oldest first."""
    op, now = data["open"], data["now"]
    s = ReportSheet(book, gettext("Open issues"), [16, 16, 24, 36, 10, 18, 12, 16, 8], one_page=False)
    s.heading(gettext("Open tickets: %(open)s, overdue: %(overdue)s", open=op["open"], overdue=op["overdue"]))
    labels = [str(label_for(Ticket, f)) for f in ("number", "received_at", "customer", "title", "severity",
                                                   "status", "assignee", "resolve_by")]
    rows = [(*r, gettext("Overdue") if r[7] is not None and r[7] < now else None) for r in op["rows"]]
    s.table(labels + [gettext("Overdue")], rows or [(None,) * 9],
            [None, "dt", None, None, None, None, None, "dt", None])
    s.sheet.repeat_rows(1)
    s.sheet.freeze_panes(2, 0)
