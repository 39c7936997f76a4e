"""Reading the hand-made parts pages' forms (purchase request, requisition slip, stocktake, tool desk):
typed numbers, the line fields, the part slots, and saving a new document with its messages by the fields."""
from __future__ import annotations

from collections.abc import Callable, Iterator

from flask import redirect, request, url_for
from flask_babel import gettext as _

from ..models.base import DomainError, is_digits
from ..unit_of_work import unit_of_work
from .base import flash_errors
from .input_rules import length_errors

# fields the hand-made slip and purchase forms draw their messages beside (others are flashed)
SHOWN_BY_FIELD = ("purpose", "reason", "ticket")


def check_lengths(model, *fields) -> None:
    """Too long a text is the form again with the message by the field and what was typed kept."""
    errors = length_errors(model, {f: request.form.get(f) for f in fields})
    if errors:
        raise DomainError(errors)


def save_new(model: type, create: Callable, texts: tuple[str, ...] = (), shown=()):
    """A new document from its page's form, in one transaction: `(redirect to its page, {})` once saved;
    `(None, {field: message})` when a typed text is too long or a rule refuses, the messages not `shown`
    by their field flashed. `texts`: the form's text fields whose length is checked first."""
    if request.method != "POST":
        return None, {}
    try:
        check_lengths(model, *texts)
        with unit_of_work():
            document = create()
        return redirect(url_for(f"{model.__name__}View.show", pk=document.id)), {}
    except DomainError as err:
        flash_errors(err, shown=shown)
        return None, err.errors


def form_int(name: str):
    """An int from the form, or the raw text (the service then says what is wrong)."""
    raw = (request.form.get(name) or "").strip()
    try:
        return int(raw)
    except ValueError:
        return raw or None


def line_fields(prefix: str) -> list[tuple[int, str]]:
    """(line id, field name) of the form's fields named `<prefix><line id>` ("qty_12" → (12, "qty_12"))."""
    n = len(prefix)
    return [(int(name[n:]), name) for name in request.form if name.startswith(prefix) and is_digits(name[n:])]


def slot_parts(slots: int, find: Callable) -> Iterator[tuple[int, object]]:
    """(slot, what `find` makes of the typed text) of the filled boxes part_0 … part_<slots - 1>; a part
    `find` does not know is refused by its box."""
    for i in range(slots):
        code = (request.form.get(f"part_{i}") or "").strip()
        if not code:
            continue
        part = find(code)
        if part is None:
            raise DomainError({f"part_{i}": _("Unknown part code %(code)s.", code=code)})
        yield i, part
