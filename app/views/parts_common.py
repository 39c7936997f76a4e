"""Helpers shared by the parts screens and APIs: the JSON bodies of the calls, dates, URL keys (the pages'
forms: parts_forms.py)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import request
from flask_babel import gettext as _

from ..models.base import DomainError, is_digits
from .actions import run_api


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


def post_document(api, create: Callable[[dict], Any], record: Callable[[Any], dict]):
    """A document's POST (a request, a slip, a stocktake, a loan): its service makes it from the JSON
    body in one unit of work; 201 with its id and its record, or the rule's status."""
    def run():
        item = create(json_body())
        return {"id": item.id, "result": record(item)}
    return run_api(api, run, 201)


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
