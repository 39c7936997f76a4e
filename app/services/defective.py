"""Faulty parts owed back to the store 坏件返回 (002 §2.6(6)): "the replaced faulty part goes back to
the company's parts store, and is recorded".

One row per faulty unit: an issue of n spares that expect a return owes n rows. The engineer
hands each unit back with its serial number and condition; the keeper logs the receipt (also
straight from owed, when the part is handed over at the counter) and later its fate.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import InstrumentedAttribute

from ..extensions import db
from ..models.base import DomainError, utcnow
from ..models.labels import label_for
from ..models.requisitions import DefectiveReturn, Requisition, ReturnStatus
from ..models.staff import Staff
from ..models.stock import StockMovement
from .common import current_staff, lock_in, lock_row

CLOSED_RETURN = {ReturnStatus.repaired, ReturnStatus.returned_to_vendor, ReturnStatus.scrapped}
NOT_BACK = (ReturnStatus.owed, ReturnStatus.handed_back)


def clean_text(value: object, column: InstrumentedAttribute[str | None], field: str) -> str | None:
    """Typed text trimmed, None when empty; longer than the column takes → a message by the field."""
    if value is not None and not isinstance(value, str):
        raise DomainError({field: _("Must be text.")})
    text = (value or "").strip() or None
    limit = column.property.columns[0].type.length
    if text and limit and len(text) > limit:
        raise DomainError({field: _("%(field)s takes at most %(max)s characters (%(n)s typed).",
                                    field=label_for(DefectiveReturn, column.key), max=limit, n=len(text))})
    return text


def owe(req: Requisition, movement: StockMovement, qty: int) -> None:
    """An issue for a ticket of a part that expects its faulty one back: one owed row per unit."""
    for _unit in range(qty):
        db.session.add(DefectiveReturn(requisition_id=req.id, issue_movement_id=movement.id,
                                       engineer_id=req.engineer_id, part_id=movement.part_id, qty=1))


def unowe(movement_id: int) -> None:
    """The issue is reversed: its units are no longer owed, unless one has come back already."""
    rows = db.session.scalars(sa.select(DefectiveReturn).where(DefectiveReturn.issue_movement_id == movement_id))
    rows = list(rows)
    if any(row.status is not ReturnStatus.owed for row in rows):
        raise DomainError(_("The faulty part for this issue has already come back."), status=409)
    for row in rows:
        db.session.delete(row)


def forgive(req_id: int, part_id: int, qty: int) -> None:
    """Unused spares came back: that many fewer faulty units are owed (the newest first)."""
    owed = db.session.scalars(sa.select(DefectiveReturn).where(
        DefectiveReturn.requisition_id == req_id, DefectiveReturn.part_id == part_id,
        DefectiveReturn.status == ReturnStatus.owed).order_by(DefectiveReturn.id.desc()).limit(qty))
    for row in owed:
        db.session.delete(row)


def hand_back(units: Iterable[tuple[int, str | None, str | None]]) -> list[DefectiveReturn]:
    """The engineer hands faulty units back: (return id, serial number, condition) per unit."""
    me = current_staff()
    done, seen = [], {}
    for return_id, serial, condition in units:
        row = lock_row(DefectiveReturn, return_id)
        if me is None or row.engineer_id != me.id:
            raise DomainError(_("Only the engineer who owes a faulty part hands it back."), status=403)
        if row.status is not ReturnStatus.owed:
            raise DomainError(_("%(part)s has already been handed back.", part=row), status=409)
        serial = clean_text(serial, DefectiveReturn.serial_number, f"serial_{return_id}")
        if serial and serial in seen:
            raise DomainError({f"serial_{return_id}": _("Serial number %(sn)s is given twice.", sn=serial)})
        seen[serial] = return_id
        row.serial_number = serial
        row.condition = clean_text(condition, DefectiveReturn.condition, f"condition_{return_id}")
        row.status = ReturnStatus.handed_back
        row.handed_back_at = utcnow()
        done.append(row)
    if not done:
        raise DomainError(_("Tick the faulty parts you hand back."))
    db.session.flush()
    return done


def receive(return_id: object, serial_number: str | None, condition: str | None) -> DefectiveReturn:
    """The keeper logs the faulty unit in: handed back by the engineer, or handed over at the counter."""
    row = lock_in(DefectiveReturn, return_id, NOT_BACK, _("This faulty part has already been received."))
    row.status = ReturnStatus.received
    # what the keeper writes wins; an empty box keeps what the engineer wrote at hand-back
    row.serial_number = clean_text(serial_number, DefectiveReturn.serial_number, "serial_number") or row.serial_number
    row.condition = clean_text(condition, DefectiveReturn.condition, "condition") or row.condition
    row.received_at = utcnow()
    db.session.flush()
    return row


def close(return_id: object, outcome: Any) -> DefectiveReturn:  # outcome: the code the client sent
    """A received faulty part ends repaired, returned to the vendor, or scrapped."""
    row = lock_row(DefectiveReturn, return_id)
    try:
        outcome = ReturnStatus(outcome)
    except ValueError:
        raise DomainError({"status": _("Choose repaired, returned to vendor or scrapped.")}) from None
    if outcome not in CLOSED_RETURN:
        raise DomainError({"status": _("Choose repaired, returned to vendor or scrapped.")})
    if row.status is not ReturnStatus.received:
        raise DomainError(_("Only a received faulty part can be closed."), status=409)
    row.status = outcome
    row.closed_at = utcnow()
    db.session.flush()
    return row


def owed_by_engineer() -> list[tuple[Staff, int, int]]:
    """(engineer, slips, units) still owed back, most first."""
    units = sa.func.count(DefectiveReturn.id)
    rows = db.session.execute(
        sa.select(DefectiveReturn.engineer_id, sa.func.count(sa.distinct(DefectiveReturn.requisition_id)), units)
        .where(DefectiveReturn.status == ReturnStatus.owed).group_by(DefectiveReturn.engineer_id)
        .order_by(units.desc())
    ).all()
    staff = {s.id: s for s in db.session.scalars(sa.select(Staff).where(Staff.id.in_([r[0] for r in rows])))}
    return [(staff[r[0]], int(r[1]), int(r[2])) for r in rows]
