"""What the department's documents share: a number to be known by, and who approved them when.

Mixins of the models (`class PurchaseRequest(Numbered, Approved, Timestamped, Validated, db.Model)`):
each brings its columns, relationships and field labels (models/labels.py reads them).
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from .staff import Staff


class Numbered:
    """A document known by its number (a slip, a request, a stocktake): unique, and what it reads as."""

    number: Mapped[str] = mapped_column(sa.String(32), unique=True)

    def __str__(self) -> str:
        return self.number


class Approved:
    """Who approved the document and when; both empty until it is approved."""

    __field_labels__ = {"approved_by": _l("Approved by"), "approved_at": _l("Approved at")}

    approved_at: Mapped[datetime | None] = mapped_column()

    @declared_attr
    def approved_by_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("staff.id", ondelete="RESTRICT"))

    @declared_attr
    def approved_by(cls) -> Mapped[Staff | None]:
        # cls is the mapped class here, cls.approved_by_id its column (mypy reads an instance's value)
        return relationship(Staff, foreign_keys=[cls.approved_by_id])  # type: ignore[list-item]
