"""Text the system itself writes into a record — a ticket's first timeline line, the title of a
ticket opened from an inspection finding or a callback, a reorder's reason — stored as a message
code with its parameters, and said in the language of whoever reads it.

A column declared with `SystemTextColumn` holds either what a person typed (kept as typed) or a
`SystemText` (stored as ``@t:{"m": code, "p": {...}}``). Loading the row says the message in the
locale of the moment (the reader's, inside a request), so screens, lists, exports and the API
all show words in the reader's language without knowing. Searching the column still finds the
parameters (the JSON keeps non-ASCII text as is).
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

PREFIX = "@t:"

# code -> message; parameters named in the message
MESSAGES = {
    "ticket.received_via": _l("Received via %(channel)s"),
    "ticket.inspection_finding": _l("Inspection finding: %(text)s"),
    "ticket.callback_follow_up": _l("Callback follow-up: %(text)s"),
    "purchase.reorder": _l("Reorder: at or below reorder point"),
}


class SystemText(str):
    """A message said in the current locale, remembering its code and parameters to say it again."""

    code: str
    params: dict

    def __new__(cls, code: str, **params):
        if code not in MESSAGES:
            raise KeyError(f"unknown system text {code!r}")
        params = {k: _store(v) for k, v in params.items()}
        text = super().__new__(cls, _say(code, params))
        text.code, text.params = code, params
        return text

    def again(self) -> str:
        """Said anew in the locale of now (a notice to someone reading another language)."""
        return _say(self.code, self.params)

    def stored(self) -> str:
        return PREFIX + json.dumps({"m": self.code, "p": self.params},
                                   ensure_ascii=False, separators=(",", ":"))


def said(value):
    """A column's value for the reader of now: a system text said again, anything else as it is."""
    return value.again() if isinstance(value, SystemText) else value


def _store(value):
    from .base import CodeEnum

    if isinstance(value, CodeEnum):  # an enum is stored by code, said by its label
        return {"enum": type(value).__name__, "code": value.value}
    return value


def _param(value):
    if isinstance(value, dict) and "enum" in value:
        from .base import CodeEnum

        for cls in _code_enums(CodeEnum):
            if cls.__name__ == value["enum"]:
                try:
                    return cls(value["code"]).label
                except ValueError:
                    break
        return value.get("code", "")
    return value


def _code_enums(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _code_enums(sub)


def _say(code: str, params: dict) -> str:
    message = MESSAGES.get(code)
    values = {k: _param(v) for k, v in params.items()}
    if message is None:
        return " ".join(str(v) for v in values.values()) or code
    try:
        return str(message) % values  # the reader's translation, then its parameters
    except (KeyError, TypeError, ValueError):  # a translation that lost a parameter: say it in English
        return message._args[0] % values


def _load(stored: str):
    try:
        data = json.loads(stored[len(PREFIX):])
        return SystemText(data["m"], **data.get("p", {}))
    except (ValueError, KeyError, TypeError):  # not ours after all: show it as stored
        return stored


class SystemTextColumn(sa.TypeDecorator):
    """A VARCHAR column that may hold a SystemText (see the module's docstring)."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.stored() if isinstance(value, SystemText) else value

    def process_result_value(self, value, dialect):
        return _load(value) if isinstance(value, str) and value.startswith(PREFIX) else value


class SystemLongText(SystemTextColumn):
    """The same over a TEXT column."""

    impl = sa.Text
    cache_ok = True
