"""Service-level policy per severity (003 §四.1, 004 §四), editable by the manager, and the
rule that reads it on one loaded ticket: overdue / due soon (the ticket's `sla_flag`).

The SQL twins of the rule, the deadlines at intake and the escalation list are in
services/sla.py, which builds on this module."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import CodeEnum, Timestamped, Validated, enum_column, utcnow
from .ticket_codes import Severity

if TYPE_CHECKING:  # the rule reads a loaded ticket; tickets.py imports this module
    from .tickets import Ticket


class SlaPolicy(Timestamped, Validated, db.Model):
    """Minutes to notify the engineer, to first response and to resolution, for one severity."""

    __tablename__ = "sla_policy"
    __field_labels__ = {
        "severity": _l("Severity"),
        "notify_minutes": _l("Notify engineer within (minutes)"),
        "respond_minutes": _l("First response within (minutes)"),
        "resolve_minutes": _l("Resolve within (minutes)"),
        "warn_minutes": _l("Warn before breach (minutes)"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    severity: Mapped[Severity] = mapped_column(enum_column(Severity), unique=True)
    notify_minutes: Mapped[int] = mapped_column()
    respond_minutes: Mapped[int] = mapped_column()
    resolve_minutes: Mapped[int] = mapped_column()
    warn_minutes: Mapped[int] = mapped_column()

    __table_args__ = (
        sa.CheckConstraint("notify_minutes > 0", name="notify_positive"),
        sa.CheckConstraint("respond_minutes >= notify_minutes", name="respond_after_notify"),
        sa.CheckConstraint("resolve_minutes >= respond_minutes", name="resolve_after_respond"),
        sa.CheckConstraint("warn_minutes >= 0", name="warn_not_negative"),
    )

    def __str__(self) -> str:
        return self.severity.label if self.severity else ""

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        n, r, s, w = self.notify_minutes, self.respond_minutes, self.resolve_minutes, self.warn_minutes
        if n is not None and n <= 0:
            errors["notify_minutes"] = str(_l("Must be more than 0 minutes."))
        if n is not None and r is not None and r < n:
            errors["respond_minutes"] = str(_l("First response cannot come before notifying the engineer."))
        if r is not None and s is not None and s < r:
            errors["resolve_minutes"] = str(_l("Resolution cannot come before the first response."))
        if w is not None and w < 0:
            errors["warn_minutes"] = str(_l("Must not be negative."))
        return errors


# --- the rule on one ticket ----------------------------------------------------

@dataclass(frozen=True)
class Levels:
    """Minutes allowed for one severity."""

    notify_minutes: int
    respond_minutes: int
    resolve_minutes: int
    warn_minutes: int


# Defaults (docs/SLA.md): general from seed 003 (15 min / 2 h / 4 h); emergency cannot be
# slower than general; important has a workaround (000 §四(二)) and needs an expert
# consultation plan, so it gets a working day to resolve but a faster first response.
DEFAULT_LEVELS: dict[Severity, Levels] = {
    Severity.general: Levels(15, 120, 240, 60),
    Severity.important: Levels(10, 60, 480, 60),
    Severity.emergency: Levels(5, 30, 240, 30),
}


class SlaState(CodeEnum):
    """Where an open ticket stands against its deadlines (on time has no state)."""

    overdue = "overdue", _l("Overdue")
    due_soon = "due_soon", _l("Due soon")


def levels_for(severity: Severity) -> Levels:
    """The manager's policy row for a severity, else the documented default."""
    row = db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.severity == severity))
    if row is None:
        return DEFAULT_LEVELS[severity]
    return Levels(row.notify_minutes, row.respond_minutes, row.resolve_minutes, row.warn_minutes)


def all_levels() -> dict[Severity, Levels]:
    """Policy of every severity in one query."""
    levels = dict(DEFAULT_LEVELS)
    for row in db.session.scalars(sa.select(SlaPolicy)):
        levels[row.severity] = Levels(row.notify_minutes, row.respond_minutes, row.resolve_minutes, row.warn_minutes)
    return levels


def is_overdue(ticket: Ticket, now: datetime | None = None) -> bool:
    """Python twin of overdue_clause for one loaded ticket."""
    now = now or utcnow()
    if not ticket.status.is_open:
        return False
    return bool(
        (ticket.first_response_at is None and ticket.respond_by and now > ticket.respond_by)
        or (ticket.resolved_at is None and ticket.resolve_by and now > ticket.resolve_by)
    )


def is_due_soon(ticket: Ticket, now: datetime | None = None, levels: Levels | None = None) -> bool:
    """Python twin of due_soon_clause for one loaded ticket."""
    now = now or utcnow()
    if not ticket.status.is_open or is_overdue(ticket, now):
        return False
    warn = timedelta(minutes=(levels or levels_for(ticket.severity)).warn_minutes)
    return bool(
        (ticket.first_response_at is None and ticket.respond_by and now + warn >= ticket.respond_by)
        or (ticket.resolved_at is None and ticket.resolve_by and now + warn >= ticket.resolve_by)
    )


def request_levels() -> dict[Severity, Levels]:
    """all_levels() once per request, so a list page flags every row with one query."""
    if not has_request_context():
        return all_levels()
    if not hasattr(g, "_sla_levels"):
        g._sla_levels = all_levels()
    levels: dict[Severity, Levels] = g._sla_levels
    return levels


def sla_state(ticket: Ticket, now: datetime | None = None) -> SlaState | None:
    """Overdue, due soon, or None (on time, or closed) for one ticket."""
    now = now or utcnow()  # one clock reading for both questions
    if is_overdue(ticket, now):
        return SlaState.overdue
    if ticket.status.is_open and is_due_soon(ticket, now, request_levels()[ticket.severity]):
        return SlaState.due_soon
    return None
