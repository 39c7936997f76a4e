"""Document numbers: SR-2026-000042 (tickets), TS-2026-007 (complaints), LY-/CG-/PD-2026-00042
(requisitions, purchase requests, stocktakes) — all from one counter table.

The year is the local year of the document's day (APP_TIMEZONE): a ticket received at 00:30 on
1 January in Beijing is numbered in the new year. Nothing here commits: the number is part of the
caller's unit of work, and a rolled-back save gives its number back.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Complaint, PurchaseRequest, Requisition, Stocktake, Ticket
from ..models.base import DomainError
from ..models.numbering import DocumentCounter


@dataclass(frozen=True)
class Kind:
    prefix: str
    digits: int
    column: sa.orm.InstrumentedAttribute[str]  # where numbers of this kind are stored

    def format(self, year: int, n: int) -> str:
        return f"{self.prefix}-{year}-{n:0{self.digits}d}"


KINDS = {k.prefix: k for k in (
    Kind("SR", 6, Ticket.number),
    Kind("TS", 3, Complaint.number),
    Kind("LY", 5, Requisition.number),
    Kind("CG", 5, PurchaseRequest.number),
    Kind("PD", 5, Stocktake.number),
)}


def next_number(prefix: str, year: int) -> str:
    """The next number of this kind and year; concurrent callers wait on the counter row's lock."""
    kind = KINDS[prefix]
    table = DocumentCounter.__table__
    bump = (table.update().where(table.c.prefix == prefix, table.c.year == year)
            .values(last=table.c.last + 1).returning(table.c.last))
    for _attempt in range(3):
        last = db.session.execute(bump).scalar()
        if last is not None:
            return kind.format(year, last)
        # The year's first document makes the row; of two racing here, one insert does nothing and
        # both bump the row next. (No savepoint: its commit would run the session's before-commit
        # hooks, i.e. deferred notifications, in the middle of a save.)
        db.session.execute(_insert_if_missing(table).values(prefix=prefix, year=year, last=_highest(kind, year)))
    raise DomainError(_("Could not number the document, please try again."), status=409)


def _insert_if_missing(table: sa.Table) -> postgresql.Insert | sqlite.Insert:
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def _highest(kind: Kind, year: int) -> int:
    """The highest number already stored for the year (records made before the counter existed)."""
    head = f"{kind.prefix}-{year}-"
    last = db.session.scalar(sa.select(sa.func.max(kind.column)).where(kind.column.like(head + "%")))
    try:
        return int(last.rsplit("-", 1)[1]) if last else 0
    except ValueError:  # a hand-typed number that does not follow the pattern
        return 0
