"""The periodic after-sales report as a workbook: summary, tickets, SLA, satisfaction, parts, open issues."""
from __future__ import annotations

from typing import IO, Any, Sequence

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .. import clock
from ..replica import reporting
from .after_sales_report import figures
from .report_period import Period
from .xlsx_forms import CJK_FONT, new_form_workbook

KPI_ROWS = [  # kpi.summary key, label, kind
    ("tickets", _l("Tickets received"), "int"),
    ("closed", _l("Closed"), "int"),
    ("avg_response_minutes", _l("Average response time (minutes)"), "num"),
    ("on_time_rate", _l("Repair on-time rate"), "pct"),
    ("success_rate", _l("Repair success rate (not reopened)"), "pct"),
    ("satisfaction", _l("Customer satisfaction (surveys with mean score 4 or more)"), "pct"),
    ("complaint_satisfaction", _l("Complaint-handling satisfaction"), "pct"),
]
NUMBER_FORMATS = {"int": "#,##0", "num": "#,##0.0", "pct": "0.0%", "money": "#,##0.00", "dt": "yyyy-mm-dd hh:mm"}


class ReportSheet:
    """A landscape worksheet written top to bottom: headings, key/value lines and tables."""

    def __init__(self, book: "ReportBook", name: str, widths: Sequence[float], one_page: bool = True):
        self.book, self.row = book, 0
        self.sheet = ws = book.workbook.add_worksheet(name[:31])
        ws.set_paper(9)
        ws.set_landscape()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.fit_to_pages(1, 1 if one_page else 0)  # long lists: one page wide, as long as they need
        ws.hide_gridlines(2)
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        self.columns = len(widths)

    def heading(self, text: str, size: int = 12) -> None:
        self.sheet.write_string(self.row, 0, text, self.book.fmt(bold=True, font_size=size))
        self.row += 2 if size > 12 else 1

    def cell(self, row: int, col: int, value: Any, kind: str | None = None, **props) -> None:
        """A typed cell; text is never a formula (workbook option) and starts no injection."""
        ws, fmt = self.sheet, self.book.fmt(border=1, num_format=NUMBER_FORMATS.get(kind, "General"), **props)
        if value is None:
            ws.write_blank(row, col, None, fmt)
        elif hasattr(value, "label"):
            ws.write_string(row, col, str(value.label), fmt)
        elif kind == "dt":  # stored UTC, written in local time
            ws.write_datetime(row, col, clock.local_wall_time(value), fmt)
        elif isinstance(value, (int, float)) or kind in NUMBER_FORMATS:
            ws.write_number(row, col, float(value), fmt)
        else:
            ws.write_string(row, col, str(value), self.book.fmt(
                border=1, quote_prefix=str(value)[:1] in "=+-@\t\r", **props))

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]], kinds: Sequence[str | None],
              at_col: int = 0) -> tuple:
        """A bordered table from column `at_col`; returns (first data row, last data row) for charts."""
        self.sheet.set_row(self.row, 28)  # two lines for long headers
        for col, text in enumerate(headers, start=at_col):
            self.sheet.write_string(self.row, col, str(text), self.book.fmt(
                bold=True, border=1, bg_color="#EEF1F5", text_wrap=True, align="center"))
        first = self.row + 1
        for values in rows:
            self.row += 1
            for col, (value, kind) in enumerate(zip(values, kinds), start=at_col):
                self.cell(self.row, col, value, kind)
        last = self.row
        self.row += 2
        return first, last

    def key_values(self, headers: Sequence[str], rows: Sequence[tuple[str, Any, str]]) -> None:
        """A two-column table of (label, value, kind) lines, each value in its own format."""
        first, _last = self.table(headers, [(label, None) for label, _v, _k in rows], [None, None])
        for i, (_label, value, kind) in enumerate(rows):
            self.cell(first + i, 1, value, kind if value is not None else None)

    def chart(self, kind: str, title: str, categories: tuple, values: tuple, col: int, at_row: int,
              subtype: str | None = None, percent: bool = False) -> None:
        """A native Excel chart of one series: categories / values as (first row, last row, column)."""
        chart = self.book.workbook.add_chart({"type": kind, **({"subtype": subtype} if subtype else {})})
        name = self.sheet.name.replace("'", "''")
        (r0, r1, cc), (v0, v1, vc) = categories, values
        series = {"name": title, "categories": [name, r0, cc, r1, cc], "values": [name, v0, vc, v1, vc],
                  "data_labels": {"value": True, **({"num_format": "0%"} if percent else {})}}
        if kind == "pie":
            series["data_labels"] = {"percentage": True, "category": False}
        chart.add_series(series)
        chart.set_title({"name": title, "name_font": {"name": CJK_FONT, "size": 11}})
        chart.set_legend({"none": True} if kind != "pie" else {"position": "right", "font": {"name": CJK_FONT}})
        if percent:
            chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%"})
        chart.set_size({"width": 440, "height": 240})
        self.sheet.insert_chart(at_row, col, chart)


class ReportBook:
    """The workbook and its cached formats (one font throughout)."""

    def __init__(self, target):
        self.workbook = new_form_workbook(target)
        self._formats: dict[tuple, Any] = {}

    def fmt(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format({"font_name": CJK_FONT, "font_size": 10,
                                                           "valign": "vcenter", **props})
        return self._formats[key]


def _change(now, before):
    return None if now is None or before is None else now - before


def write_after_sales_report(target: str | IO[bytes], period: Period) -> None:
    """The report of one period, figures from `after_sales_report.figures`."""
    from .report_sheets import parts_sheet, open_issues_sheet, satisfaction_sheet, tickets_sheet

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


def summary_sheet(book: ReportBook, data: dict) -> None:
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
