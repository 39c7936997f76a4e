"""Paper-form sheets: title, label/value header block, bordered tables, signature boxes, one A4 page."""
from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter

from .. import clock
from .export import FORMULA_START, clean_text, display_width

# A CJK font present on Chinese Windows / Office; LibreOffice substitutes an installed CJK font.
CJK_FONT = "SimSun"
GRID_COLUMNS = 8  # the form is laid out on an 8-column grid
GRID_WIDTH = 11.5  # characters per grid column: 8 × 11.5 ≈ the printable width of A4 portrait
SIGNATURE_ROW_HEIGHT = 48  # points: room to sign by hand, or for a drawn signature


class PaperForm:
    """One worksheet laid out like a paper form; write top to bottom, then `finish()`."""

    def __init__(self, workbook: xlsxwriter.Workbook, sheet_name: str, font: str = CJK_FONT):
        self.workbook = workbook
        self.sheet = workbook.add_worksheet(sheet_name[:31])
        self.row = 0
        self.font = font
        self._formats: dict[tuple[tuple[str, Any], ...], Any] = {}
        sheet = self.sheet
        sheet.set_paper(9)  # A4
        sheet.set_portrait()
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        sheet.fit_to_pages(1, 1)
        sheet.center_horizontally()
        sheet.hide_gridlines(2)
        sheet.set_column(0, GRID_COLUMNS - 1, GRID_WIDTH)

    # --- formats ----------------------------------------------------------------
    def fmt(self, **props: Any) -> Any:
        """A cached format in the form's font."""
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            base = {"font_name": self.font, "font_size": 10, "valign": "vcenter", "text_wrap": True}
            self._formats[key] = self.workbook.add_format({**base, **props})
        return self._formats[key]

    def _write(self, row: int, col: int, value: Any, **props: Any) -> None:
        """A typed, injection-safe cell."""
        sheet = self.sheet
        if value is None or value == "":
            sheet.write_blank(row, col, None, self.fmt(**props))
        elif isinstance(value, bool):
            sheet.write_string(row, col, "✔" if value else "—", self.fmt(**props))
        elif isinstance(value, (int, float, Decimal)):
            number_format = "#,##0.00" if isinstance(value, Decimal) else "General"
            sheet.write_number(row, col, float(value), self.fmt(num_format=number_format, **props))
        elif isinstance(value, datetime):
            sheet.write_datetime(row, col, clock.local_wall_time(value),
                                 self.fmt(num_format="yyyy-mm-dd hh:mm", **props))
        elif isinstance(value, date):
            sheet.write_datetime(row, col, value, self.fmt(num_format="yyyy-mm-dd", **props))
        else:
            text = clean_text(str(value))
            quoted = {"quote_prefix": True} if text.startswith(FORMULA_START) else {}
            sheet.write_string(row, col, text, self.fmt(**props, **quoted))

    def _box(self, row: int, first: int, last: int, value: Any, height_rows: int = 1, **props: Any) -> None:
        """A value across grid columns first..last (merged when wider than one cell)."""
        last_row = row + height_rows - 1
        if first == last and height_rows == 1:
            self._write(row, first, value, **props)
            return
        self.sheet.merge_range(row, first, last_row, last, "", self.fmt(**props))
        self._write(row, first, value, **props)

    # --- blocks -----------------------------------------------------------------
    def title(self, text: str, subtitle: str | None = None) -> None:
        """The form's title, centred over the whole width (and an optional line below)."""
        self.sheet.set_row(self.row, 30)
        self._box(self.row, 0, GRID_COLUMNS - 1, text, bold=True, font_size=16, align="center")
        self.row += 1
        if subtitle:
            self._box(self.row, 0, GRID_COLUMNS - 1, subtitle, font_size=9, align="right",
                      font_color="#555555")
            self.row += 1
        self.row += 1

    def fields(self, pairs: Sequence[tuple[str, Any]], per_row: int = 2) -> None:
        """Header block: label / value cells, `per_row` pairs a line, bordered."""
        span = GRID_COLUMNS // per_row  # grid columns per pair: 1 for the label, the rest value
        for start in range(0, len(pairs), per_row):
            chunk = list(pairs[start:start + per_row])
            lines = 1
            for i, (label, value) in enumerate(chunk):
                first = i * span
                last = first + span - 1 if i < len(chunk) - 1 else GRID_COLUMNS - 1
                self._write(self.row, first, label, bold=True, border=1, bg_color="#EEF1F5")
                self._box(self.row, first + 1, last, value, border=1)
                width = (last - first) * GRID_WIDTH
                # a long label wraps in its one grid column too
                lines = max(lines, _lines(value, width), _lines(label, GRID_WIDTH * 0.9))
            self.sheet.set_row(self.row, 16 * min(lines, 6))
            self.row += 1
        self.row += 1

    def section(self, text: str) -> None:
        """A heading above a table or box."""
        self._box(self.row, 0, GRID_COLUMNS - 1, text, bold=True, font_size=11, bottom=2)
        self.row += 1

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]],
              spans: Sequence[int] | None = None, empty_rows: int = 0) -> None:
        """A bordered table; `spans` gives grid columns per table column (sum = 8)."""
        spans = list(spans or _even_spans(len(headers)))
        if sum(spans) != GRID_COLUMNS or len(spans) != len(headers):
            raise ValueError("table spans must cover the 8 grid columns, one per header")
        edges = [sum(spans[:i]) for i in range(len(spans))]
        lines = 1
        for col, (first, span) in enumerate(zip(edges, spans, strict=True)):
            self._box(self.row, first, first + span - 1, headers[col], bold=True, border=1,
                      align="center", bg_color="#EEF1F5")
            lines = max(lines, _lines(headers[col], span * GRID_WIDTH))
        self.sheet.set_row(self.row, 16 * min(lines, 3))
        self.row += 1
        for values in list(rows) + [[None] * len(headers)] * empty_rows:
            lines = 1
            for col, (first, span) in enumerate(zip(edges, spans, strict=True)):
                self._box(self.row, first, first + span - 1, values[col], border=1)
                lines = max(lines, _lines(values[col], span * GRID_WIDTH))
            self.sheet.set_row(self.row, 15 * min(lines, 12) + 2)
            self.row += 1
        self.row += 1

    def text_box(self, label: str, text: Any, height_rows: int = 4) -> None:
        """A labelled tall box for free text (work done, cause analysis …)."""
        self._box(self.row, 0, 0, label, height_rows=height_rows, bold=True, border=1,
                  bg_color="#EEF1F5")
        self._box(self.row, 1, GRID_COLUMNS - 1, text, height_rows=height_rows, border=1, valign="top")
        self.row += height_rows + 1

    def signatures(self, labels: Sequence[str], date_label: str,
                   images: Sequence[bytes | None] = (), dates: Sequence[Any] = ()) -> None:
        """Signature and date boxes side by side, tall enough to sign by hand.

        `images[i]` (PNG bytes) is a drawn signature placed inside box i; `dates[i]` fills its date."""
        span = GRID_COLUMNS // len(labels)
        self.sheet.set_row(self.row, SIGNATURE_ROW_HEIGHT)
        self.sheet.set_row(self.row + 1, 20)
        for i, label in enumerate(labels):
            first = i * span
            last = first + span - 1 if i < len(labels) - 1 else GRID_COLUMNS - 1
            self._box(self.row, first, last, f"{label}:", border=1, valign="top")
            when = dates[i] if i < len(dates) else None
            self._box(self.row + 1, first, last, f"{date_label}: {when}" if when else f"{date_label}:", border=1)
            image = images[i] if i < len(images) else None
            if image:
                self._signature_image(self.row, first, last - first + 1, image)
        self.row += 3

    def _signature_image(self, row: int, first: int, columns: int, png: bytes) -> None:
        """The drawn signature scaled into its box, below the label, keeping its proportions."""
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            width, height = image.size
        box_w = columns * GRID_WIDTH * 7 - 60  # ~7 px per character of column width, less the label
        box_h = SIGNATURE_ROW_HEIGHT * 4 / 3 - 8  # points → pixels, less a margin
        scale = min(box_w / max(width, 1), box_h / max(height, 1), 1.0)
        self.sheet.insert_image(row, first, "signature.png", {
            "image_data": io.BytesIO(png), "x_scale": scale, "y_scale": scale, "x_offset": 56,
            "y_offset": 4, "object_position": 1, "description": "signature",
        })

    def note(self, text: str) -> None:
        """A small line of text (printed-at, form number)."""
        self._box(self.row, 0, GRID_COLUMNS - 1, text, font_size=8, font_color="#555555")
        self.row += 1

    def finish(self) -> None:
        """Print area = what was written, one A4 page."""
        self.sheet.print_area(0, 0, max(self.row - 1, 0), GRID_COLUMNS - 1)


def _even_spans(n: int) -> list[int]:
    base, extra = divmod(GRID_COLUMNS, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def _lines(value: Any, width: float) -> int:
    """Printed lines a text needs in a box `width` characters wide."""
    if value is None or isinstance(value, (int, float, Decimal, date)):
        return 1
    text, usable = str(value), max(int(width * 1.1), 1)  # ~1.1 characters per width unit at 10 pt
    return sum(max(1, -(-display_width(part) // usable)) for part in text.split("\n"))


def new_form_workbook(target: str | IO[bytes]) -> xlsxwriter.Workbook:
    """A normal (not constant-memory) workbook: forms write cells in any order and merge."""
    return xlsxwriter.Workbook(target, {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False, "remove_timezone": True})
