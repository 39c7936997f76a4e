"""Helpers shared by the parts screens and APIs: run a service in one transaction, report errors."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

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


def line_fields(prefix: str) -> list[tuple[int, str]]:
    """(line id, field name) of the form's fields named `<prefix><line id>` ("qty_12" → (12, "qty_12"))."""
    n = len(prefix)
    return [(int(name[n:]), name) for name in request.form if name.startswith(prefix) and is_digits(name[n:])]


def json_lines(data: dict) -> list[dict]:
    """The `lines` of a new document posted as JSON: a list of {part, qty, …}."""
    lines = data.get("lines")
    if not isinstance(lines, list) or not all(isinstance(x, dict) for x in lines):
        raise DomainError({"lines": _("Give a list of {part, qty}.")})
    return lines


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError(_("Request body must be a JSON object"), status=400)
    return data


def form_int(name: str):
    """An int from the form, or the raw text (the service then says what is wrong)."""
    raw = (request.form.get(name) or "").strip()
    try:
        return int(raw)
    except ValueError:
        return raw or None


def parse_date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DomainError({field: _("Use a date like 2026-12-31.")}) from None


def id_qty_map(items, key: str = "line", qty_key: str = "qty") -> dict:
    """[{"line": 3, "qty": 2}, …] → {3: 2}; ids must be ints."""
    if not isinstance(items, list):
        raise DomainError({"lines": _("Give a list of lines.")})
    out = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get(key), int):
            raise DomainError({"lines": _("Each line needs a %(k)s id and a quantity.", k=key)})
        out[item[key]] = item.get(qty_key)
    return out


def pk_or_404(pk) -> int:
    """A URL primary key as int; anything else is a 404, never a 500."""
    from flask import abort

    text = str(pk)
    if not is_digits(text):
        abort(404)
    return int(text)
