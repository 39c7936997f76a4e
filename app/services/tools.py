"""Lending tools and instruments, returns, overdue list, upkeep and calibration (000 §六(二))."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..extensions import db
from ..models.base import DomainError, utcnow
from ..models.staff import Staff
from ..models.tools import Tool, ToolLoan, ToolStatus
from .common import lock_row


def lend_tool(tool_id: object, borrower_id: object, due_on: date, purpose: str | None = None) -> ToolLoan:
    """Lend an available tool to a staff member until the due date."""
    tool = lock_row(Tool, tool_id)
    if not isinstance(borrower_id, int) or db.session.get(Staff, borrower_id) is None:
        raise DomainError({"borrower": _("Unknown staff member.")})
    if not isinstance(due_on, date):
        raise DomainError({"due_on": _("A due date is required.")})
    if due_on < clock.today_local():
        raise DomainError({"due_on": _("The due date must not be in the past.")})
    if tool.status is not ToolStatus.available:
        raise DomainError(_("The tool is not available (%(status)s).", status=tool.status.label), status=409)
    if tool.calibration_due_on and tool.calibration_due_on < clock.today_local():
        raise DomainError(_("The instrument's calibration has expired; calibrate it first."), status=409)
    loan = ToolLoan(tool_id=tool.id, borrower_id=borrower_id, due_on=due_on, purpose=purpose)
    tool.status = ToolStatus.lent
    db.session.add(loan)
    try:
        db.session.flush()
    except IntegrityError:  # the partial unique index: another loan opened at the same time
        db.session.rollback()
        raise DomainError(_("The tool is already lent out."), status=409) from None
    return loan


def return_tool(loan_id: object, condition: str | None = None, needs_upkeep: bool = False) -> ToolLoan:
    """Take a tool back with its condition; a second return of the same loan is refused."""
    loan = lock_row(ToolLoan, loan_id)
    if loan.returned_at is not None:
        raise DomainError(_("This loan has already been returned."), status=409)
    loan.returned_at = utcnow()
    loan.return_condition = (condition or "").strip() or None
    loan.tool.status = ToolStatus.in_upkeep if needs_upkeep else ToolStatus.available
    db.session.flush()
    return loan


def record_upkeep(tool_id: object, on: date | None = None, calibrated_until: date | None = None) -> Tool:
    """Upkeep / calibration done: the tool is available again with its new dates."""
    tool = lock_row(Tool, tool_id)
    if tool.status is ToolStatus.lent:
        raise DomainError(_("The tool is lent out; take it back first."), status=409)
    if tool.status is ToolStatus.retired:
        raise DomainError(_("The tool is retired."), status=409)
    on = on or clock.today_local()
    if calibrated_until is not None and calibrated_until <= on:
        raise DomainError({"calibration_due_on": _("The calibration must be valid after today.")})
    tool.last_upkeep_on = on
    if calibrated_until is not None:
        tool.calibration_due_on = calibrated_until
    tool.status = ToolStatus.available
    db.session.flush()
    return tool


def overdue_loans() -> list[ToolLoan]:
    """Open loans past their due date, oldest first."""
    return list(db.session.scalars(sa.select(ToolLoan).where(
        ToolLoan.returned_at.is_(None), ToolLoan.due_on < clock.today_local()).order_by(ToolLoan.due_on)))


def upkeep_due(within_days: int = 30) -> list[Tool]:
    """Tools whose calibration runs out within the window (or already has)."""
    horizon = clock.today_local() + timedelta(days=within_days)
    return list(db.session.scalars(sa.select(Tool).where(
        Tool.status != ToolStatus.retired, Tool.calibration_due_on.is_not(None),
        Tool.calibration_due_on <= horizon).order_by(Tool.calibration_due_on)))
