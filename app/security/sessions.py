"""Login sessions kept server-side: a signed cookie alone cannot outlive logout or an admin's stop."""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import request, session
from flask_appbuilder.security.sqla.models import User
from sqlalchemy.sql.dml import Update

from ..extensions import db
from ..models.base import utcnow
from ..models.sessions import LoginSession

SESSION_KEY = "sid"


def start(user: User) -> None:
    """Record a new login session and put its id in the (fresh) cookie session."""
    sid = secrets.token_urlsafe(32)
    db.session.add(LoginSession(id=sid, user_id=user.id, ip=request.remote_addr))
    db.session.commit()
    session[SESSION_KEY] = sid


def is_open(user: User) -> bool:
    """Whether the request's session is one this server started for this user and has not ended."""
    sid = session.get(SESSION_KEY)
    if not sid:
        return False
    row = db.session.get(LoginSession, sid)
    return row is not None and row.user_id == user.id and row.ended_at is None


def end_current(reason: str) -> None:
    sid = session.pop(SESSION_KEY, None)
    if sid:
        _end(sa.update(LoginSession).where(LoginSession.id == sid), reason)


def end_all(user_id: int, reason: str, keep_current: bool = False) -> None:
    """End every open session of a login (optionally not the one making this request)."""
    stmt = sa.update(LoginSession).where(LoginSession.user_id == user_id)
    if keep_current and session.get(SESSION_KEY):
        stmt = stmt.where(LoginSession.id != session[SESSION_KEY])
    _end(stmt, reason)


def _end(stmt: Update, reason: str) -> None:
    db.session.execute(
        stmt.where(LoginSession.ended_at.is_(None)).values(ended_at=utcnow(), ended_reason=reason)
    )
    db.session.commit()
