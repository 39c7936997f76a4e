"""Server-side record of each login session, so logout and admin actions really end it."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class LoginSession(db.Model):
    """One browser login; the signed cookie carries its id, the row says whether it still counts."""

    __tablename__ = "login_session"
    __audit__ = False  # logins are already in the audit trail as their own entries

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("ab_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(index=True)
    ended_reason: Mapped[str | None] = mapped_column(sa.String(32))
    ip: Mapped[str | None] = mapped_column(sa.String(45))


class LoginGuard(db.Model):
    """Per login: which API tokens still count, and until when a run of failed logins holds it.

    `token_version` is copied into every JWT; raising it (password reset, lockout, role change,
    deactivation) makes every token issued before refuse at once, access and refresh alike.
    """

    __tablename__ = "login_guard"
    __audit__ = False  # the events that change it are audited as login changes

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True)
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column()
