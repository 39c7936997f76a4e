"""Helpers shared by the registers' rules: who is acting, uniqueness checks, locking a document row."""
from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _

from ..actor import current_staff_id
from ..extensions import db
from ..models import Staff
from ..models.base import DomainError
from ..security.rows import restricted_to_own_rows

Row = TypeVar("Row")


class _WithStatus(Protocol):
    @property
    def status(self) -> Any: ...


Document = TypeVar("Document", bound=_WithStatus)


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


def ensure_unique(item: Any, columns: tuple[str, ...], field: str, message: str) -> None:
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


def lock_row(model: type[Row], pk: object) -> Row:
    """Load a document row locked for this transaction, so two clerks cannot race on it."""
    if isinstance(pk, int) and db.session.get_bind().dialect.name == "sqlite":
        # a no-op write takes SQLite's writer lock before we read (FOR UPDATE does nothing there)
        table = model.__table__  # type: ignore[attr-defined]  # every model has its table
        db.session.execute(table.update().where(table.c.id == pk).values(id=table.c.id))
    # the row alone: the models' eager joins (a slip's ticket, its customer …) would make every
    # lock a wide join; what the rule then reads loads on first use
    item: Row | None = db.session.scalar(sa.select(model).where(model.id == pk).with_for_update(of=model)  # type: ignore[attr-defined]  # .id: every document model
                             .options(sa.orm.lazyload("*"))
                             .execution_options(populate_existing=True)) if isinstance(pk, int) else None
    if item is None:
        raise DomainError(_("Not found."), status=404)
    return item


def lock_in(model: type[Document], pk: object, statuses: Collection[Any], refusal: str) -> Document:
    """A document locked (`lock_row`) for a step it allows only in these statuses; 409 with `refusal` in any other."""
    item = lock_row(model, pk)
    if item.status not in statuses:
        raise DomainError(refusal, status=409)
    return item
