"""Purchase requests to the manager (002 §一.5) and stocktakes 盘点 (001 §三(四)3)."""
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
from .system_text import SystemTextColumn


class PurchaseStatus(CodeEnum):
    submitted = "submitted", _l("Awaiting approval")
    approved = "approved", _l("Approved")
    rejected = "rejected", _l("Rejected")
    partially_received = "partially_received", _l("Partially received")
    received = "received", _l("Received")


class PurchaseRequest(Numbered, Approved, Timestamped, Validated, db.Model):
    """The keeper's request to buy parts; the manager approves; receipt posts stock-in."""

    __tablename__ = "purchase_request"
    __field_labels__ = {
        "number": _l("Request no."), "warehouse": _l("Warehouse"), "status": _l("Status"),
        "requested_by": _l("Requested by"), "reason": _l("Reason"), "requested_at": _l("Requested at"),
        "lines": _l("Parts"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouse.id", ondelete="RESTRICT"), index=True)
    status: Mapped[PurchaseStatus] = mapped_column(
        enum_column(PurchaseStatus), default=PurchaseStatus.submitted, index=True
    )
    reason: Mapped[str | None] = mapped_column(SystemTextColumn(300))  # typed, or written by the system
    requested_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="RESTRICT"))

    warehouse: Mapped[Warehouse] = relationship()
    requested_by: Mapped[Staff | None] = relationship(foreign_keys=[requested_by_id])
    lines: Mapped[list[PurchaseLine]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="PurchaseLine.id"
    )


class PurchaseLine(Timestamped, db.Model):
    """A part to buy: quantity, estimated cost, and what was received at what actual cost."""

    __tablename__ = "purchase_line"
    __field_labels__ = {"qty": _l("Quantity"), "est_unit_cost": _l("Estimated unit cost"),
                        "qty_received": _l("Received"), "part": _l("Part")}

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("purchase_request.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[int] = mapped_column(sa.ForeignKey("part.id", ondelete="RESTRICT"), index=True)
    qty: Mapped[int] = mapped_column()
    est_unit_cost: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    qty_received: Mapped[int] = mapped_column(default=0)

    request: Mapped[PurchaseRequest] = relationship(back_populates="lines")
    part: Mapped[Part] = relationship()

    __table_args__ = (
        sa.CheckConstraint("qty > 0", name="qty_positive"),
        sa.CheckConstraint("qty_received >= 0 AND qty_received <= qty", name="qty_received_range"),
        sa.CheckConstraint("est_unit_cost >= 0", name="est_unit_cost_positive"),
        sa.UniqueConstraint("request_id", "part_id", name="uq_purchase_line_part"),
    )


class StocktakeStatus(CodeEnum):
    counting = "counting", _l("Counting")
    submitted = "submitted", _l("Awaiting approval")
    approved = "approved", _l("Approved and posted")
    cancelled = "cancelled", _l("Cancelled")


class Stocktake(Numbered, Approved, Timestamped, Validated, db.Model):
    """A count of one warehouse against a snapshot of its book quantities."""

    __tablename__ = "stocktake"
    __field_labels__ = {
        "number": _l("Stocktake no."), "warehouse": _l("Warehouse"), "status": _l("Status"),
        "blind": _l("Blind count"), "started_at": _l("Started at"),
        "snapshot_movement_id": _l("Snapshot after movement"), "lines": _l("Lines"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouse.id", ondelete="RESTRICT"), index=True)
    status: Mapped[StocktakeStatus] = mapped_column(
        enum_column(StocktakeStatus), default=StocktakeStatus.counting, index=True
    )
    # blind: counters do not see the book quantity until the count is submitted
    blind: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # the last ledger movement included in the book snapshot; later postings are not in book_qty
    snapshot_movement_id: Mapped[int | None] = mapped_column()

    warehouse: Mapped[Warehouse] = relationship()
    lines: Mapped[list[StocktakeLine]] = relationship(
        back_populates="stocktake", cascade="all, delete-orphan", order_by="StocktakeLine.id"
    )


class StocktakeLine(Timestamped, db.Model):
    """Book quantity frozen at the start, the counted quantity, and the variance."""

    __tablename__ = "stocktake_line"
    __field_labels__ = {"book_qty": _l("Book qty"), "counted_qty": _l("Counted qty"),
                        "variance": _l("Variance"), "part": _l("Part")}

    id: Mapped[int] = mapped_column(primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(sa.ForeignKey("stocktake.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[int] = mapped_column(sa.ForeignKey("part.id", ondelete="RESTRICT"), index=True)
    book_qty: Mapped[int] = mapped_column()
    counted_qty: Mapped[int | None] = mapped_column()
    adjustment_movement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stock_movement.id", ondelete="RESTRICT")
    )

    stocktake: Mapped[Stocktake] = relationship(back_populates="lines")
    part: Mapped[Part] = relationship()

    __table_args__ = (
        sa.CheckConstraint("book_qty >= 0", name="book_qty_positive"),
        sa.CheckConstraint("counted_qty IS NULL OR counted_qty >= 0", name="counted_qty_positive"),
        sa.UniqueConstraint("stocktake_id", "part_id", name="uq_stocktake_line_part"),
    )

    @property
    def variance(self) -> int | None:
        return None if self.counted_qty is None else self.counted_qty - self.book_qty
