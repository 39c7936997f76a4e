"""Alerts: each time-based condition the sweep found, recorded once (app/sweep).

An alert is the durable fact "ticket 12 passed its response deadline", "part P-7 is at its
reorder point": one row per condition while it holds, whatever number of sweeps or workers
see it (the unique `key`). Notifications hang off new alerts; an alert is resolved when
its condition no longer holds, and a condition that comes back raises a new one.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import CodeEnum, utcnow


class AlertKind(CodeEnum):
    """The time-based kinds (the same codes as the notification kinds)."""

    ticket_due_soon = "ticket_due_soon", _l("Ticket due soon")
    ticket_overdue = "ticket_overdue", _l("Ticket overdue (escalated)")
    callback_due = "callback_due", _l("Callback due")
    inspection_due = "inspection_due", _l("Inspection due")
    maintenance_due = "maintenance_due", _l("Maintenance due")
    tool_loan_overdue = "tool_loan_overdue", _l("Tool loan overdue")
    reorder_point = "reorder_point", _l("Part at its reorder point")


class Alert(db.Model):
    __tablename__ = "alert"
    __field_labels__ = {
        "kind": _l("Kind"), "record": _l("Record type"), "record_id": _l("Record"),
        "detail": _l("Detail"), "raised_at": _l("Raised at"), "resolved_at": _l("Resolved at"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    # a plain string, not an enum type: later features add kinds without a migration
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    # "<kind>:<record>:<id>[:<detail>]" while open; resolving appends "#<alert id>" to free it
    key: Mapped[str] = mapped_column(sa.String(160), unique=True)
    record: Mapped[str] = mapped_column(sa.String(40))  # resource name: ticket, part, tool_loan …
    record_id: Mapped[int] = mapped_column(sa.Integer)
    detail: Mapped[str | None] = mapped_column(sa.String(200))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)

    __table_args__ = (sa.Index("ix_alert_record", "record", "record_id"),)

    def __str__(self) -> str:
        return f"{self.kind} {self.record} {self.record_id}"
