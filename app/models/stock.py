"""The stock ledger 备件台账: immutable movements, balances and FIFO layers (003 §四.4)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import CodeEnum, current_user_id, enum_column, utcnow
from .parts import MONEY, Part, Warehouse


class MovementKind(CodeEnum):
    """What a movement is; its sign follows from the kind."""

    receipt = "receipt", _l("Purchase receipt")
    return_unused = "return_unused", _l("Return of unused parts")
    issue = "issue", _l("Issue")
    scrap = "scrap", _l("Scrap")
    transfer_out = "transfer_out", _l("Transfer out")
    transfer_in = "transfer_in", _l("Transfer in")
    adjust_in = "adjust_in", _l("Stocktake gain")
    adjust_out = "adjust_out", _l("Stocktake loss")
    reversal = "reversal", _l("Reversal")


INBOUND = {MovementKind.receipt, MovementKind.return_unused, MovementKind.transfer_in, MovementKind.adjust_in}
OUTBOUND = {MovementKind.issue, MovementKind.scrap, MovementKind.transfer_out, MovementKind.adjust_out}


class LedgerImmutable(RuntimeError):
    """Raised when code tries to change or delete a posted movement."""


class StockMovement(db.Model):
    """One posting in the ledger; never updated or deleted, corrected by a reversal."""

    __tablename__ = "stock_movement"
    __field_labels__ = {
        "kind": _l("Kind"), "qty": _l("Quantity"), "unit_cost": _l("Unit cost"), "value": _l("Value"),
        "balance_qty": _l("Balance qty"), "balance_value": _l("Balance value"),
        "reference": _l("Reference"), "posted_at": _l("Posted at"), "posted_by": _l("Posted by"),
        "part": _l("Part"), "warehouse": _l("Warehouse"), "reversal_of": _l("Reverses"),
        "ticket_id": _l("Ticket"), "requisition_id": _l("Requisition"), "note": _l("Note"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(sa.ForeignKey("part.id", ondelete="RESTRICT"), index=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouse.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[MovementKind] = mapped_column(enum_column(MovementKind))  # first in ix_stock_movement_kind_posted
    qty: Mapped[int] = mapped_column(index=True)  # signed: + in, - out
    unit_cost: Mapped[Decimal] = mapped_column(MONEY)  # value / qty, rounded; value is exact
    value: Mapped[Decimal] = mapped_column(MONEY, index=True)  # signed, sum of the FIFO layers touched
    balance_qty: Mapped[int] = mapped_column()
    balance_value: Mapped[Decimal] = mapped_column(MONEY)
    reference: Mapped[str] = mapped_column(sa.String(64), index=True)
    note: Mapped[str | None] = mapped_column(sa.String(300))
    ticket_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ticket.id", ondelete="RESTRICT"), index=True)
    requisition_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("requisition.id", ondelete="RESTRICT"), index=True
    )
    purchase_line_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("purchase_line.id", ondelete="RESTRICT"), index=True
    )
    # a transfer's two legs point at each other through `counterpart_id` (in → out)
    counterpart_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stock_movement.id", ondelete="RESTRICT"), unique=True
    )
    reversal_of_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stock_movement.id", ondelete="RESTRICT"), unique=True
    )
    posted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    posted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ab_user.id", ondelete="RESTRICT"), default=current_user_id, index=True
    )

    part: Mapped[Part] = relationship()
    warehouse: Mapped[Warehouse] = relationship()
    posted_by: Mapped[User | None] = relationship(User)
    reversal_of: Mapped[StockMovement | None] = relationship(
        remote_side=[id], foreign_keys=[reversal_of_id], lazy="select"
    )

    __table_args__ = (
        sa.CheckConstraint("qty <> 0", name="qty_not_zero"),
        sa.CheckConstraint("balance_qty >= 0", name="balance_qty_positive"),
        sa.CheckConstraint("balance_value >= 0", name="balance_value_positive"),
        sa.CheckConstraint("unit_cost >= 0", name="unit_cost_positive"),
        sa.CheckConstraint("reversal_of_id IS NULL OR kind = 'reversal'", name="reversal_kind"),
        sa.Index("ix_stock_movement_part_wh_id", "part_id", "warehouse_id", "id"),
        sa.Index("ix_stock_movement_posted_at_id", "posted_at", "id"),
        # the parts-consumption charts: one kind's movements of a period by part, index-only (0019)
        sa.Index("ix_stock_movement_kind_posted", "kind", "posted_at", "part_id", "qty", "value"),
    )

    def __str__(self) -> str:
        return f"#{self.id} {self.kind.value} {self.qty:+d} {self.reference}"

    @property
    def unit_cost_text(self) -> str:
        return f"{self.unit_cost:.2f}"


@sa.event.listens_for(StockMovement, "before_update")
def _refuse_update(mapper, connection, target):
    raise LedgerImmutable("stock movements are immutable; post a reversal instead")


@sa.event.listens_for(StockMovement, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise LedgerImmutable("stock movements are immutable; post a reversal instead")


class StockBalance(db.Model):
    """On hand per part per warehouse: the row every posting locks first."""

    __tablename__ = "stock_balance"

    part_id: Mapped[int] = mapped_column(sa.ForeignKey("part.id", ondelete="RESTRICT"), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(
        sa.ForeignKey("warehouse.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    qty: Mapped[int] = mapped_column(default=0, index=True)
    value: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"), index=True)
    last_movement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stock_movement.id", ondelete="RESTRICT")
    )

    part: Mapped[Part] = relationship()
    warehouse: Mapped[Warehouse] = relationship()

    __table_args__ = (
        sa.CheckConstraint("qty >= 0", name="qty_positive"),
        sa.CheckConstraint("value >= 0", name="value_positive"),
    )


class StockLayer(db.Model):
    """A FIFO cost layer: what is left of one stock-in at one unit cost."""

    __tablename__ = "stock_layer"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(sa.ForeignKey("part.id", ondelete="RESTRICT"))
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouse.id", ondelete="RESTRICT"), index=True)
    movement_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_movement.id", ondelete="RESTRICT"), index=True)
    # age for FIFO order: a transferred layer keeps the date of its original receipt
    received_at: Mapped[datetime] = mapped_column()
    unit_cost: Mapped[Decimal] = mapped_column(MONEY)
    qty_in: Mapped[int] = mapped_column()
    qty_remaining: Mapped[int] = mapped_column()

    __table_args__ = (
        sa.CheckConstraint("qty_in > 0", name="qty_in_positive"),
        sa.CheckConstraint("qty_remaining >= 0", name="qty_remaining_positive"),
        sa.CheckConstraint("qty_remaining <= qty_in", name="qty_remaining_max"),
        sa.CheckConstraint("unit_cost >= 0", name="unit_cost_positive"),
        sa.Index("ix_stock_layer_fifo", "part_id", "warehouse_id", "received_at", "id"),
    )


class StockLayerUse(db.Model):
    """Which layers a movement drew from (+qty) or gave back to (-qty, a reversed issue)."""

    __tablename__ = "stock_layer_use"

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_movement.id", ondelete="RESTRICT"), index=True)
    layer_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_layer.id", ondelete="RESTRICT"), index=True)
    qty: Mapped[int] = mapped_column()
    unit_cost: Mapped[Decimal] = mapped_column(MONEY)

    # lets a posting add its uses with the movement before it has an id: one flush writes both
    # (and one audit INSERT records both), app/services/stock_ledger.post_movement
    movement: Mapped[StockMovement] = relationship()

    __table_args__ = (sa.CheckConstraint("qty <> 0", name="qty_not_zero"),)
