"""Parts requisition slips 备件领用单 (002 §2.5(5)) and defective-part returns 坏件返回 (002 §2.6(6))."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import CodeEnum, Timestamped, Validated, enum_column, utcnow
from .documents import Approved, Numbered
from .parts import MONEY, Part, Warehouse
from .staff import Staff
from .tickets import Ticket


class RequisitionStatus(CodeEnum):
    requested = "requested", _l("Requested")
    approved = "approved", _l("Approved")
    rejected = "rejected", _l("Rejected")
    partially_issued = "partially_issued", _l("Partially issued")
    issued = "issued", _l("Issued")
    cancelled = "cancelled", _l("Cancelled")


class Requisition(Numbered, Approved, Timestamped, Validated, db.Model):
    """An engineer's slip asking parts for a ticket; approved, then issued by the keeper."""

    __tablename__ = "requisition"
    __field_labels__ = {
        "number": _l("Slip no."), "engineer": _l("Engineer"), "ticket": _l("Ticket"),
        "warehouse": _l("Warehouse"), "status": _l("Status"), "in_warranty": _l("In warranty"),
        "purpose": _l("Purpose"), "requested_at": _l("Requested at"), "decision_note": _l("Decision note"),
        "lines": _l("Parts"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    engineer_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id", ondelete="RESTRICT"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ticket.id", ondelete="RESTRICT"), index=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouse.id", ondelete="RESTRICT"), index=True)
    status: Mapped[RequisitionStatus] = mapped_column(
        enum_column(RequisitionStatus), default=RequisitionStatus.requested, index=True
    )
    purpose: Mapped[str | None] = mapped_column(sa.String(300))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    decision_note: Mapped[str | None] = mapped_column(sa.String(300))
    # fixed at approval from the ticket's warranty: in warranty → the customer pays nothing (003 §四.4)
    in_warranty: Mapped[bool | None] = mapped_column()

    engineer: Mapped[Staff] = relationship(foreign_keys=[engineer_id])
    ticket: Mapped[Ticket | None] = relationship()
    warehouse: Mapped[Warehouse] = relationship()
    lines: Mapped[list[RequisitionLine]] = relationship(
        back_populates="requisition", cascade="all, delete-orphan", order_by="RequisitionLine.id"
    )

    @property
    def charge_total(self) -> Decimal:
        return sum((line.charge for line in self.lines), Decimal("0.00"))


class RequisitionLine(Timestamped, db.Model):
    """One part on a slip: requested, issued so far, returned unused, and what the customer pays."""

    __tablename__ = "requisition_line"
    __field_labels__ = {
        "qty_requested": _l("Requested"), "qty_issued": _l("Issued"), "qty_returned": _l("Returned unused"),
        "cost": _l("Cost"), "charge": _l("Charge to customer"), "part": _l("Part"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    requisition_id: Mapped[int] = mapped_column(sa.ForeignKey("requisition.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[int] = mapped_column(sa.ForeignKey("part.id", ondelete="RESTRICT"), index=True)
    qty_requested: Mapped[int] = mapped_column()
    qty_issued: Mapped[int] = mapped_column(default=0)
    qty_returned: Mapped[int] = mapped_column(default=0)
    cost: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))  # FIFO cost of the net issue
    charge: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))  # price to the customer

    requisition: Mapped[Requisition] = relationship(back_populates="lines")
    part: Mapped[Part] = relationship()

    __table_args__ = (
        sa.CheckConstraint("qty_requested > 0", name="qty_requested_positive"),
        sa.CheckConstraint("qty_issued >= 0 AND qty_issued <= qty_requested", name="qty_issued_range"),
        sa.CheckConstraint("qty_returned >= 0 AND qty_returned <= qty_issued", name="qty_returned_range"),
        sa.UniqueConstraint("requisition_id", "part_id", name="uq_requisition_line_part"),
    )

    @property
    def qty_open(self) -> int:
        return self.qty_requested - self.qty_issued


class ReturnStatus(CodeEnum):
    owed = "owed", _l("Owed by engineer")
    handed_back = "handed_back", _l("Handed back")
    received = "received", _l("Received")
    repaired = "repaired", _l("Repaired")
    returned_to_vendor = "returned_to_vendor", _l("Returned to vendor")
    scrapped = "scrapped", _l("Scrapped")


class DefectiveReturn(Timestamped, Validated, db.Model):
    """One faulty unit owed back for a spare issued for a repair, tracked to its fate.

    One row per unit (qty 1), so each carries its own serial number, condition and fate: an
    issue of three creates three rows."""

    __tablename__ = "defective_return"
    __field_labels__ = {
        "engineer": _l("Engineer"), "part": _l("Part"), "qty": _l("Quantity"), "status": _l("Status"),
        "serial_number": _l("Serial number"), "condition": _l("Condition"), "received_at": _l("Received at"),
        "closed_at": _l("Closed at"), "requisition": _l("Requisition"), "handed_back_at": _l("Handed back at"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    requisition_id: Mapped[int] = mapped_column(sa.ForeignKey("requisition.id", ondelete="RESTRICT"), index=True)
    issue_movement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stock_movement.id", ondelete="RESTRICT"), index=True
    )
    engineer_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id", ondelete="RESTRICT"), index=True)
    part_id: Mapped[int] = mapped_column(sa.ForeignKey("part.id", ondelete="RESTRICT"), index=True)
    qty: Mapped[int] = mapped_column()
    status: Mapped[ReturnStatus] = mapped_column(enum_column(ReturnStatus), default=ReturnStatus.owed, index=True)
    serial_number: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    condition: Mapped[str | None] = mapped_column(sa.String(300))
    handed_back_at: Mapped[datetime | None] = mapped_column()
    received_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()

    engineer: Mapped[Staff] = relationship()
    part: Mapped[Part] = relationship()
    requisition: Mapped[Requisition] = relationship()

    __table_args__ = (sa.CheckConstraint("qty > 0", name="qty_positive"),)

    def __str__(self) -> str:
        return f"{self.part} {self.serial_number}" if self.serial_number else str(self.part)
