"""Streaming xlsx writer for list exports: typed cells, safe text, flat memory at any row count."""
from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import xlsxwriter
from flask_babel import gettext

from .. import clock

# one cell writer per column, bound to a sheet: write(row, col, value)
CellWriter = Callable[[int, int, Any], Any]

# Excel's hard limits (https://support.microsoft.com/office/excel-specifications-and-limits).
EXCEL_MAX_ROWS = 1_048_576
CELL_TEXT_LIMIT = 32_767
# OWASP ASVS 5.0 1.2.10: text starting with these would be taken for a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 cannot carry these; tab, LF and CR are allowed inside text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# How many rows feed the column width estimate.
WIDTH_SAMPLE_ROWS = 200

# Column kinds, decided once per column from its SQL type (not per cell).
TEXT, INTEGER, NUMBER, MONEY, DATE, DATETIME, BOOLEAN = (
    "text", "integer", "number", "money", "date", "datetime", "boolean",
)


@dataclass
class Column:
    """One exported column: its header, its kind and how to turn a value into a cell value."""

    label: str
    kind: str = TEXT
    convert: Callable[[Any], Any] | None = None  # e.g. enum → label, related object → str
    decimals: int = 2
    width: float = field(default=0.0, init=False)


def clean_text(value: str) -> str:
    """Text Excel can store: no XML-illegal control characters, at most 32,767 characters."""
    if not value.isprintable():  # C-speed fast path; only then look for the illegal ones
        value = _CONTROL.sub("", value)
    if len(value) > CELL_TEXT_LIMIT:
        marker = gettext("… [truncated]")
        value = value[: CELL_TEXT_LIMIT - len(marker)] + marker
    return value


def looks_like_formula(value: str) -> bool:
    """True when Excel or LibreOffice would read the text as a formula if it were typed in."""
    return value.startswith(FORMULA_START)


def display_width(value: str) -> int:
    """Approximate character width: CJK and other wide characters count double."""
    if value.isascii():
        return len(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


class SheetSeries:
    """Writes rows into one or more worksheets, continuing on a new sheet at the row limit."""

    def __init__(self, workbook: xlsxwriter.Workbook, title: str, columns: Sequence[Column],
                 max_rows: int = EXCEL_MAX_ROWS):
        if max_rows < 2:
            raise ValueError("a sheet needs room for the header and one row")
        self.workbook = workbook
        self.title = _sheet_name(title) or "Sheet"
        self.columns = list(columns)
        self.max_rows = max_rows
        self.formats = _formats(workbook)
        self.sheets: list[tuple[Any, int]] = []  # (worksheet, data rows written)
        self._bound: list[CellWriter] = []
        self._widths = [float(display_width(col.label)) for col in self.columns]
        self._sheet: Any = None  # the xlsxwriter worksheet being written
        self._row = 0

    # --- public -----------------------------------------------------------------
    def write_rows(self, rows: Iterable[Sequence[Any]]) -> int:
        """Write every row (a sequence of raw values, one per column); returns the row count."""
        rows = iter(rows)
        total = self._write(itertools.islice(rows, WIDTH_SAMPLE_ROWS), sample=True)
        return total + self._write(rows, sample=False)

    def _write(self, rows: Iterable[Sequence[Any]], sample: bool) -> int:
        if self._sheet is None:
            self._new_sheet()
        limit = self.max_rows - 1
        writers, row, start = self._bound, self._row, self._row
        written = 0
        for values in rows:
            if row > limit:
                written += row - start
                self._row = row
                self._new_sheet()
                writers, row, start = self._bound, self._row, self._row
            if sample:
                self._sample(values)
            for col, (write, value) in enumerate(zip(writers, values, strict=True)):
                if value is not None:
                    write(row, col, value)
            row += 1
        self._row = row
        return written + row - start

    def finish(self) -> None:
        """Header-only sheet when nothing was written; filters and widths on every sheet."""
        if self._sheet is None:
            self._new_sheet()
        self._close_sheet()

    # --- sheets -----------------------------------------------------------------
    def _new_sheet(self) -> None:
        if self._sheet is not None:
            self._close_sheet()
        n = len(self.sheets) + 1
        name = self.title if n == 1 else f"{self.title[:25]} ({n})"
        sheet = self.workbook.add_worksheet(name)
        # constant_memory writes rows in order, so the header goes first.
        for col, column in enumerate(self.columns):
            sheet.write_string(0, col, clean_text(str(column.label)), self.formats["header"])
        sheet.freeze_panes(1, 0)
        self._bound = self._bind(sheet)
        # printed: A4 landscape, all columns on one page wide, the header on every page
        sheet.set_paper(9)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
        self.sheets.append((sheet, 0))
        self._sheet, self._row = sheet, 1

    def _close_sheet(self) -> None:
        sheet = self._sheet
        data_rows = self._row - 1
        self.sheets[-1] = (sheet, data_rows)
        last_col = max(len(self.columns) - 1, 0)
        sheet.autofilter(0, 0, max(data_rows, 1), last_col)
        for col, column in enumerate(self.columns):
            width = min(max(self._widths[col] + 2, _MIN_WIDTH.get(column.kind, 6)), 60)
            column.width = width
            sheet.set_column(col, col, width)

    def _sample(self, values: Sequence[Any]) -> None:
        for col, value in enumerate(values):
            if value is None or self.columns[col].kind != TEXT:
                continue
            convert = self.columns[col].convert
            text = convert(value) if convert else value
            width = display_width(str(text).split("\n", 1)[0][:80])
            if width > self._widths[col]:
                self._widths[col] = float(width)

    # --- cells ------------------------------------------------------------------
    def _bind(self, sheet: Any) -> list[CellWriter]:
        """One writer per column, bound to this sheet: write(row, col, value)."""
        return [self._writer_for(sheet, column) for column in self.columns]

    def _writer_for(self, sheet: Any, column: Column) -> CellWriter:
        fmt = self.formats
        convert = column.convert
        if column.kind == TEXT:
            quoted, write_string = fmt["quoted"], sheet.write_string

            def write_text(row: int, col: int, value: Any) -> None:
                text = convert(value) if convert else value
                if text is None:
                    return
                if text.__class__ is not str:
                    text = str(text)
                if len(text) > CELL_TEXT_LIMIT or not text.isprintable():
                    text = clean_text(text)
                # quote_prefix is the cell's "typed with a leading apostrophe" flag: always text.
                write_string(row, col, text, quoted if text.startswith(FORMULA_START) else None)

            return write_text
        if column.kind == BOOLEAN:  # 1 / 0 shown as the reader's yes / no, still sortable and summable
            write_number, bool_fmt = sheet.write_number, fmt[BOOLEAN]
            return lambda row, col, value: write_number(row, col, 1 if value else 0, bool_fmt)
        if column.kind == DATE:
            cell_fmt, write_datetime = fmt[DATE], sheet.write_datetime
            return lambda row, col, value: write_datetime(row, col, value, cell_fmt)
        if column.kind == DATETIME:  # stored UTC, written as the local time people read
            cell_fmt, write_datetime, local = fmt[DATETIME], sheet.write_datetime, clock.local_wall_time
            return lambda row, col, value: write_datetime(row, col, local(value), cell_fmt)
        write_number = sheet.write_number
        if column.kind == MONEY:
            cell_fmt = _decimal_format(self.workbook, self.formats, column.decimals)
            return lambda row, col, value: write_number(row, col, float(value), cell_fmt)
        if column.kind == INTEGER:
            return write_number  # type: ignore[no-any-return]  # ints go straight in
        # NUMBER: floats, and anything numeric that came as Decimal
        return lambda row, col, value: write_number(row, col, float(value))


_MIN_WIDTH = {DATE: 11, DATETIME: 17, MONEY: 12, INTEGER: 8, NUMBER: 10, BOOLEAN: 7, TEXT: 6}
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str) -> str:
    """A legal sheet name: no []:*?/\\, at most 31 characters, not starting with an apostrophe."""
    return _SHEET_NAME_BAD.sub(" ", clean_text(str(title))).strip().strip("'")[:31]


def _formats(workbook: xlsxwriter.Workbook) -> dict[Any, Any]:
    cached = getattr(workbook, "_export_formats", None)
    if cached is None:
        cached = {
            "header": workbook.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1,
                                           "text_wrap": True, "valign": "top"}),
            "quoted": workbook.add_format({"quote_prefix": True}),
            DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
            DATETIME: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            # Excel shows boolean cells as TRUE / FALSE in every language: yes / no as a number format
            BOOLEAN: workbook.add_format({"num_format": _yes_no_format()}),
        }
        workbook._export_formats = cached
    return cached


def _yes_no_format() -> str:
    """Excel number format showing 1 as yes and 0 as no, in the request's language."""
    yes, no = (gettext(word).replace('"', "") for word in ("Yes", "No"))
    return f'"{yes}";"{yes}";"{no}"'


def _decimal_format(workbook: xlsxwriter.Workbook, formats: dict[Any, Any], decimals: int) -> Any:
    key = ("decimals", decimals)
    if key not in formats:
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        formats[key] = workbook.add_format({"num_format": pattern})
    return formats[key]


def new_workbook(target: str | IO[bytes]) -> xlsxwriter.Workbook:
    """A workbook that keeps one row in memory at a time (rows must be written in order)."""
    return xlsxwriter.Workbook(target, {
        "constant_memory": True,
        # Date-times arrive as local wall time (see the DATETIME writer); none carries a zone.
        "remove_timezone": True,
        # Numbers stay numbers even when a str slips through: never guess from text.
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    })


def write_table(target: str | IO[bytes], title: str, columns: Sequence[Column],
                rows: Iterable[Sequence[Any]], max_rows: int = EXCEL_MAX_ROWS) -> int:
    """Write one table (header + rows, continued over sheets) into a new workbook; returns rows."""
    workbook = new_workbook(target)
    try:
        series = SheetSeries(workbook, title, columns, max_rows=max_rows)
        count = series.write_rows(rows)
        series.finish()
    finally:
        workbook.close()
    return count

