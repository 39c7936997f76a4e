"""The audit trail: who changed which record when, logins and refused accesses (read-only)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import CodeEnum, enum_column, utcnow


class AuditAction(CodeEnum):
    """What happened."""

    insert = "insert", _l("Created")
    update = "update", _l("Changed")
    delete = "delete", _l("Deleted")
    login = "login", _l("Logged in")
    login_failed = "login_failed", _l("Failed login")
    logout = "logout", _l("Logged out")
    locked = "locked", _l("Account locked")
    unlocked = "unlocked", _l("Account unlocked")
    denied = "denied", _l("Access refused")


class AuditLogReadOnly(PermissionError):
    """Audit entries are written by the audit trail only, never added, edited or deleted."""


class AuditLog(db.Model):
    """One audit entry; written in bulk by app/security/audit.py, never changed."""

    __tablename__ = "audit_log"
    __field_labels__ = {
        "at": _l("When"), "user_id": _l("User id"), "username": _l("User"),
        "action": _l("Action"), "table_name": _l("Record type"), "record_id": _l("Record id"),
        "changes": _l("Changes (old → new)"), "detail": _l("Detail"), "ip": _l("IP address"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # No foreign key: the entry outlives the login it names.
    user_id: Mapped[int | None] = mapped_column(index=True)
    username: Mapped[str | None] = mapped_column(sa.String(128), index=True)
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction), index=True)
    table_name: Mapped[str | None] = mapped_column(sa.String(64))  # indexed with record_id
    record_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    changes: Mapped[dict | None] = mapped_column(sa.JSON)
    detail: Mapped[str | None] = mapped_column(sa.String(500))
    ip: Mapped[str | None] = mapped_column(sa.String(45))

    __table_args__ = (sa.Index("ix_audit_log_table_record", "table_name", "record_id"),)

    def __repr__(self) -> str:
        return f"{self.action} {self.table_name or ''} {self.record_id or ''} by {self.username or '-'}"


def _refuse(mapper, connection, target) -> None:
    raise AuditLogReadOnly("Audit entries cannot be added, changed or deleted.")


# The model layer refuses ORM writes; the trail writes with one Core INSERT per flush.
for _event in ("before_insert", "before_update", "before_delete"):
    sa.event.listen(AuditLog, _event, _refuse)
