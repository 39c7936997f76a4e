"""Trips (attendance) of field work: who went where, when, for which ticket or inspection (002 §2.2(5), §2.6(3))."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .base import Timestamped, Validated
from .staff import Staff
from .tickets import Ticket


class Trip(Timestamped, Validated, db.Model):
    """A field engineer's trip out of the office, the attendance record of field work."""

    __tablename__ = "trip"
    __field_labels__ = {
        "engineer": _l("Engineer"), "departure_at": _l("Departure"), "return_at": _l("Return"),
        "destination": _l("Destination"), "purpose": _l("Purpose"), "ticket": _l("Ticket"),
        "inspection_ref": _l("Inspection reference"), "vehicle": _l("Vehicle"),
        "mileage_km": _l("Mileage (km)"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    engineer_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id", ondelete="RESTRICT"), index=True)
    departure_at: Mapped[datetime] = mapped_column(index=True)
    return_at: Mapped[datetime | None] = mapped_column(index=True)
    destination: Mapped[str] = mapped_column(sa.String(200), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(300))
    ticket_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    # inspections are another area's register: a free-text reference until they are linked
    inspection_ref: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    vehicle: Mapped[str | None] = mapped_column(sa.String(100))
    mileage_km: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 1))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    engineer: Mapped[Staff] = relationship()
    ticket: Mapped[Ticket | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("return_at IS NULL OR return_at >= departure_at", name="return_after_departure"),
        sa.CheckConstraint("mileage_km IS NULL OR mileage_km >= 0", name="mileage_positive"),
    )

    def __str__(self) -> str:
        return f"{self.destination} {clock.format_date(self.departure_at)}" if self.departure_at else self.destination

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        dep, ret = getattr(self, "departure_at", None), getattr(self, "return_at", None)
        if dep and ret and ret < dep:
            errors["return_at"] = str(_l("The return must not be before the departure."))
        mileage = getattr(self, "mileage_km", None)
        if mileage is not None and mileage < 0:
            errors["mileage_km"] = str(_l("Mileage must not be negative."))
        return errors
