"""Spare-part catalogue and warehouses (001 §三(四), 002 §2.5)."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import Timestamped, Validated

MONEY = sa.Numeric(14, 2)


class Warehouse(Timestamped, Validated, db.Model):
    """A store holding spare parts, e.g. the county-town store near the sites (002 §一.1)."""

    __tablename__ = "warehouse"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    location: Mapped[str | None] = mapped_column(sa.String(300))
    active: Mapped[bool] = mapped_column(default=True, index=True)

    __table_args__ = (sa.CheckConstraint("length(trim(code)) > 0", name="code_not_blank"),)

    def __str__(self) -> str:
        return self.name


class Part(Timestamped, Validated, db.Model):
    """A spare part in the catalogue; key parts are supplied first (002 §2.5(2))."""

    __tablename__ = "part"
    __field_labels__ = {
        "spec": _l("Model / spec"), "unit": _l("Unit"), "category": _l("Category"),
        "is_key": _l("Key part"), "safety_stock": _l("Safety stock"),
        "reorder_point": _l("Reorder point"), "reorder_qty": _l("Reorder quantity"),
        "standard_cost": _l("Standard cost"), "expects_return": _l("Faulty part comes back"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    spec: Mapped[str | None] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(16), default="pc")
    category: Mapped[str] = mapped_column(sa.String(64), index=True)
    is_key: Mapped[bool] = mapped_column(default=False, index=True)
    safety_stock: Mapped[int] = mapped_column(default=0)
    reorder_point: Mapped[int] = mapped_column(default=0)
    reorder_qty: Mapped[int] = mapped_column(default=1)
    standard_cost: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    # a replaced module's faulty unit is owed back (002 §2.6(6)); consumables are not
    expects_return: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True, index=True)

    __table_args__ = (
        sa.CheckConstraint("length(trim(code)) > 0", name="code_not_blank"),
        sa.CheckConstraint("safety_stock >= 0", name="safety_stock_positive"),
        sa.CheckConstraint("reorder_point >= 0", name="reorder_point_positive"),
        sa.CheckConstraint("reorder_qty > 0", name="reorder_qty_positive"),
        sa.CheckConstraint("standard_cost >= 0", name="standard_cost_positive"),
    )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        for field in ("safety_stock", "reorder_point"):
            value = getattr(self, field, None)
            if value is not None and value < 0:
                errors[field] = str(_l("Must not be negative."))
        if self.reorder_qty is not None and self.reorder_qty <= 0:
            errors["reorder_qty"] = str(_l("Must be at least 1."))
        if self.standard_cost is not None and Decimal(self.standard_cost) < 0:
            errors["standard_cost"] = str(_l("Must not be negative."))
        return errors
