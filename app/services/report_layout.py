"""The building blocks of the report workbook: a landscape sheet written top to bottom (headings,
tables, key/value lines, charts) and the workbook with its cached formats, in one font."""
from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from xlsxwriter.format import Format

from .. import clock
from .xlsx_forms import CJK_FONT, new_form_workbook

NUMBER_FORMATS = {"int": "#,##0", "num": "#,##0.0", "pct": "0.0%", "money": "#,##0.00", "dt": "yyyy-mm-dd hh:mm"}


class ReportSheet:
    """A landscape worksheet written top to bottom: headings, key/value lines and tables."""

    def __init__(self, book: ReportBook, name: str, widths: Sequence[float], one_page: bool = True) -> None:
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

    def cell(self, row: int, col: int, value: Any, kind: str | None = None, **props: Any) -> None:
        """A typed cell; text is never a formula (workbook option) and starts no injection."""
        number_format = NUMBER_FORMATS.get(kind, "General") if kind else "General"
        ws, fmt = self.sheet, self.book.fmt(border=1, num_format=number_format, **props)
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
              at_col: int = 0) -> tuple[int, int]:
        """A bordered table from column `at_col`; returns (first data row, last data row) for charts."""
        self.sheet.set_row(self.row, 28)  # two lines for long headers
        for col, text in enumerate(headers, start=at_col):
            self.sheet.write_string(self.row, col, str(text), self.book.fmt(
                bold=True, border=1, bg_color="#EEF1F5", text_wrap=True, align="center"))
        first = self.row + 1
        for values in rows:
            self.row += 1
            for col, (value, kind) in enumerate(zip(values, kinds, strict=True), start=at_col):
                self.cell(self.row, col, value, kind)
        last = self.row
        self.row += 2
        return first, last

    def key_values(self, headers: Sequence[str], rows: Sequence[tuple[str, Any, str]]) -> None:
        """A two-column table of (label, value, kind) lines, each value in its own format."""
        first, _last = self.table(headers, [(label, None) for label, _v, _k in rows], [None, None])
        for i, (_label, value, kind) in enumerate(rows):
            self.cell(first + i, 1, value, kind if value is not None else None)

    def chart(self, kind: str, title: str, categories: tuple[int, int, int], values: tuple[int, int, int],
              col: int, at_row: int,
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

    def __init__(self, target: str | IO[bytes]) -> None:
        self.workbook = new_form_workbook(target)
        self._formats: dict[tuple[tuple[str, Any], ...], Format] = {}

    def fmt(self, **props: Any) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format({"font_name": CJK_FONT, "font_size": 10,
                                                           "valign": "vcenter", **props})
        return self._formats[key]
