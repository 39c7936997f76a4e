"""Paper forms of the seeds (002 §2.3–§2.7, 003 §五.3) as one-page Excel sheets, one module a form."""
# ruff: noqa: I001 - forms listed in paper order
from __future__ import annotations

from contextlib import contextmanager
from typing import IO, Any
from collections.abc import Iterator

from flask_babel import gettext

from ... import clock
from ...models.base import utcnow
from ...models.labels import label_for
from ..xlsx_forms import PaperForm, new_form_workbook


def L(model: type, field: str) -> str:
    """The field's label in the user's language."""
    return str(label_for(model, field))


def label(value: Any) -> Any:
    """An enum's translated label, anything else unchanged."""
    return getattr(value, "label", value) if value is not None else None


def name(obj: Any) -> str | None:
    """The name of a staff member / customer / part, or None."""
    return None if obj is None else getattr(obj, "name", None) or str(obj)


@contextmanager
def paper_form(target: str | IO[bytes], sheet_name: str) -> Iterator[PaperForm]:
    """A one-sheet workbook holding one PaperForm; closed (and the print area set) on exit."""
    workbook = new_form_workbook(target)
    try:
        form = PaperForm(workbook, sheet_name)
        yield form
        form.note(gettext("Printed %(when)s", when=clock.format_datetime(utcnow())))
        form.finish()
    finally:
        workbook.close()
