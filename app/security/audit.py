"""The audit trail: SQLAlchemy flush events record every change of a domain record.

One `after_flush` listener on every Session collects the inserts, updates and
deletes of the app's own models (not FAB's ab_* tables, not the log itself)
and writes them with ONE executemany INSERT per flush, so bulk seeding stays
fast. Logins, failed logins and refused accesses are written by `record()`.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import enum
import logging
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_appbuilder.security.sqla.models import User
from sqlalchemy.orm import InstanceState, Session, UOWTransaction

from .. import clock
from ..actor import current_user
from ..extensions import db
from ..models.audit import AuditAction, AuditLog
from ..models.base import utcnow

log = logging.getLogger(__name__)

# Noise on every update; the entry's own time says when.
SKIPPED_ON_UPDATE = {"updated_at"}
MAX_TEXT = 2000
DOMAIN_MODULE = "app.models"


def _is_domain(obj: object) -> bool:
    cls = type(obj)
    return cls.__module__.startswith(DOMAIN_MODULE) and cls is not AuditLog and getattr(cls, "__audit__", True)


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a column value."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return clock.isoformat(value)  # with its offset: an audit entry is read long after
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


# Set by `acting_as` (seeding, CLI jobs): (user id, username, fixed time or None).
_Actor = tuple[int | None, str | None, dt.datetime | None]
_actor: contextvars.ContextVar[_Actor | None] = contextvars.ContextVar("audit_actor", default=None)


@contextlib.contextmanager
def acting_as(user: User | None, at: dt.datetime | None = None) -> Iterator[None]:
    """Attribute the changes flushed inside the block to `user` (and to time `at`, UTC naive).

    For the demo seed and batch commands, e.g. "cs received this ticket at 09:12".
    """
    token = _actor.set((user.id, user.username, at) if user is not None else (None, None, at))
    try:
        yield
    finally:
        _actor.reset(token)


# Set by `set_clock` (demo seed replaying postings on their days): the time entries carry.
_clock: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("audit_clock", default=None)


def set_clock(at: dt.datetime | None) -> None:
    """Date the entries flushed from now on at `at` (None: the real time); the user stays the request's."""
    _clock.set(at)


def _who() -> tuple[int | None, str | None, str | None]:
    """(user id, username, ip) of the request, or Nones outside one (CLI, seeding)."""
    actor = _actor.get()
    if actor is not None:
        return actor[0], actor[1], None
    if not has_request_context():
        return None, None, None
    user = current_user()
    ip = request.remote_addr
    if user is not None:
        return user.id, user.username, ip
    return None, None, ip


def _pk(obj: object) -> str:
    # New rows have their pk values but no identity key yet inside after_flush.
    state = sa.inspect(obj)
    values = [state.dict.get(prop.key) for prop in state.mapper.column_attrs
              if any(col.primary_key for col in prop.columns)]
    return ",".join(str(v) for v in values)


def _changes(obj: object, action: AuditAction) -> dict[str, list[Any]]:
    """{column: [old, new]} of the mapped columns that the flush wrote."""
    state = sa.inspect(obj)
    out: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if action is AuditAction.update:
            if key in SKIPPED_ON_UPDATE:
                continue
            hist = state.attrs[key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
            out[key] = [_plain(old), _plain(new)]
        else:
            value = state.dict.get(key) if action is AuditAction.insert else _old_value(state, key)
            if value is not None:
                out[key] = [None, _plain(value)] if action is AuditAction.insert else [_plain(value), None]
    return out


def _old_value(state: InstanceState[Any], key: str) -> Any:
    hist = state.attrs[key].history
    if hist.deleted:
        return hist.deleted[0]
    return state.dict.get(key)


def _entries(session: Session) -> list[dict[str, Any]]:
    uid, username, ip = _who()
    actor = _actor.get()
    now = actor[2] if actor is not None and actor[2] is not None else (_clock.get() or utcnow())
    rows = []
    for objs, action in (
        (session.new, AuditAction.insert),
        (session.dirty, AuditAction.update),
        (session.deleted, AuditAction.delete),
    ):
        for obj in objs:
            if not _is_domain(obj):
                continue
            if action is AuditAction.update and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes(obj, action)
            if action is AuditAction.update and not changes:
                continue
            rows.append({
                "at": now, "user_id": uid, "username": username, "action": action.value,
                "table_name": type(obj).__table__.name, "record_id": _pk(obj)[:64],
                "changes": changes, "ip": ip, "detail": None,
            })
    return rows


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    if session.info.get("audit_disabled"):
        return
    rows = _entries(session)
    if rows:
        session.connection().execute(sa.insert(AuditLog.__table__), rows)


def install() -> None:
    """Listen on every Session (idempotent)."""
    if not sa.event.contains(Session, "after_flush", _after_flush):
        sa.event.listen(Session, "after_flush", _after_flush)


def record(action: AuditAction, detail: str | None = None, *, user: User | None = None,
           username: str | None = None, table_name: str | None = None, record_id: str | None = None,
           commit: bool = True) -> None:
    """Write one non-record event (login, failed login, refused access, lock)."""

    uid, who, ip = _who()
    if user is not None:
        uid, who = user.id, user.username
    elif username is not None:
        uid, who = None, username
    row = {
        "at": utcnow(), "user_id": uid, "username": (who or "")[:128] or None, "action": action.value,
        "table_name": table_name, "record_id": record_id, "changes": None,
        "detail": (detail or "")[:500] or None, "ip": ip,
    }
    try:
        db.session.execute(sa.insert(AuditLog.__table__), [row])
        if commit:
            db.session.commit()
    except Exception:  # the audit trail must never turn a refusal into a 500
        db.session.rollback()
        log.exception("could not write audit entry %s", action)
