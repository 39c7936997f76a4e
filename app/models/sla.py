"""Service-level policy per severity (003 §四.1, 004 §四), editable by the manager."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import Timestamped, Validated, enum_column
from .tickets import Severity


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
