"""Helpers shared by the registers' rules: who is acting, uniqueness checks."""
from __future__ import annotations

import sqlalchemy as sa

from ..actor import current_staff_id
from ..extensions import db
from ..models import Staff
from ..models.base import DomainError
from ..security.rows import restricted_to_own_rows


def current_staff() -> Staff | None:
    """The staff record of the acting user (app/actor.py finds who that is), if any."""
    staff_id = current_staff_id()
    return db.session.get(Staff, staff_id) if staff_id is not None else None


def require_own(staff_id: int | None, field: str, message: str) -> None:
    """A field engineer may only write rows that are theirs (403 otherwise)."""
    if not restricted_to_own_rows():
        return
    me = current_staff()
    if me is None or staff_id != me.id:
        raise DomainError({field: message}, status=403)


def ensure_unique(item, columns: tuple[str, ...], field: str, message: str) -> None:
    """409 with a clear message when another row already has these column values."""
    model = type(item)
    with db.session.no_autoflush:
        values = {c: getattr(item, c) for c in columns}
        if any(v is None for v in values.values()):
            return
        query = sa.select(model.id).where(*(getattr(model, c) == v for c, v in values.items()))
        if item.id is not None:
            query = query.where(model.id != item.id)
        if db.session.scalar(query.limit(1)) is not None:
            raise DomainError({field: message}, status=409)
