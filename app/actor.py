"""Who is acting: the one lookup of the logged-in user, their roles and their staff record.

Inside a request FAB puts the user on `flask.g`; outside one (CLI, seeding, the sweep, a job)
there is nobody; the seed and the job runner act as a login inside a request context of
their own. Models,
services and views all ask here (services/common.py `current_staff` loads the record), so a change
to how the actor is found is made once.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context

from .extensions import db


def current_user() -> Any:  # FAB's User model is untyped
    """The logged-in user (FAB's User), or None: anonymous, or no request and none set on g."""
    if not has_request_context():
        return None
    user = getattr(g, "user", None)
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def current_user_id() -> int | None:
    user = current_user()
    return user.id if user is not None else None


def current_roles() -> set[str]:
    """Role names of the acting user (empty for nobody)."""
    user = current_user()
    return {role.name for role in user.roles} if user is not None else set()


def current_staff_id() -> int | None:
    """The id of the acting user's staff record, if they have one."""
    uid = current_user_id()
    if uid is None:
        return None
    staff = db.metadata.tables["staff"]
    with db.session.no_autoflush:  # called while a form's new row is half-built
        return db.session.scalar(sa.select(staff.c.id).where(staff.c.user_id == uid))

