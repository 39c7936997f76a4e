"""Tools and test instruments: register, lending, upkeep and calibration (000 §六(二))."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .base import CodeEnum, Timestamped, Validated, enum_column, utcnow
from .parts import Warehouse
from .staff import Staff


class ToolKind(CodeEnum):
    tool = "tool", _l("Tool")
    instrument = "instrument", _l("Test instrument")


class ToolStatus(CodeEnum):
    available = "available", _l("Available")
    lent = "lent", _l("Lent out")
    in_upkeep = "in_upkeep", _l("In upkeep / calibration")
    retired = "retired", _l("Retired")


class Tool(Timestamped, Validated, db.Model):
    """A tool or test instrument the department lends to its engineers."""

    __tablename__ = "tool"
    __field_labels__ = {
        "kind": _l("Kind"), "status": _l("Status"), "warehouse": _l("Kept at"),
        "last_upkeep_on": _l("Last upkeep"), "upkeep_interval_days": _l("Upkeep every (days)"),
        "calibration_due_on": _l("Calibration due"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    kind: Mapped[ToolKind] = mapped_column(enum_column(ToolKind), default=ToolKind.tool, index=True)
    model: Mapped[str | None] = mapped_column(sa.String(100))
    serial_number: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    warehouse_id: Mapped[int | None] = mapped_column(sa.ForeignKey("warehouse.id", ondelete="SET NULL"), index=True)
    status: Mapped[ToolStatus] = mapped_column(enum_column(ToolStatus), default=ToolStatus.available, index=True)
    last_upkeep_on: Mapped[date | None] = mapped_column()
    upkeep_interval_days: Mapped[int | None] = mapped_column()
    calibration_due_on: Mapped[date | None] = mapped_column(index=True)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    warehouse: Mapped[Warehouse | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("upkeep_interval_days IS NULL OR upkeep_interval_days > 0", name="upkeep_interval_positive"),
    )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def upkeep_due_on(self) -> date | None:
        from datetime import timedelta

        if self.last_upkeep_on and self.upkeep_interval_days:
            return self.last_upkeep_on + timedelta(days=self.upkeep_interval_days)
        return None

    def validation_errors(self) -> dict[str, str]:
        if self.upkeep_interval_days is not None and self.upkeep_interval_days <= 0:
            return {"upkeep_interval_days": str(_l("Must be at least 1 day."))}
        return {}


class ToolLoan(Timestamped, Validated, db.Model):
    """A tool lent to a staff member until a due date; returned once, with its condition."""

    __tablename__ = "tool_loan"
    __field_labels__ = {
        "tool": _l("Tool"), "borrower": _l("Borrower"), "lent_at": _l("Lent at"), "due_on": _l("Due on"),
        "returned_at": _l("Returned at"), "return_condition": _l("Condition on return"), "purpose": _l("Purpose"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    tool_id: Mapped[int] = mapped_column(sa.ForeignKey("tool.id", ondelete="RESTRICT"), index=True)
    borrower_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id", ondelete="RESTRICT"), index=True)
    purpose: Mapped[str | None] = mapped_column(sa.String(300))
    lent_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    due_on: Mapped[date] = mapped_column(index=True)
    returned_at: Mapped[datetime | None] = mapped_column(index=True)
    return_condition: Mapped[str | None] = mapped_column(sa.String(300))

    tool: Mapped[Tool] = relationship()
    borrower: Mapped[Staff] = relationship()

    __table_args__ = (
        # a tool is out on at most one loan at a time
        sa.Index("uq_tool_loan_open", "tool_id", unique=True,
                 sqlite_where=sa.text("returned_at IS NULL"), postgresql_where=sa.text("returned_at IS NULL")),
    )

    def __str__(self) -> str:
        return f"{self.tool} → {self.borrower}"

    @property
    def is_overdue(self) -> bool:
        return self.returned_at is None and self.due_on is not None and self.due_on < clock.today_local()

    def validation_errors(self) -> dict[str, str]:
        lent = clock.to_local(self.lent_at).date() if isinstance(self.lent_at, datetime) else self.lent_at
        if self.due_on and lent and self.due_on < lent:
            return {"due_on": str(_l("The due date must not be before the lending date."))}
        return {}
