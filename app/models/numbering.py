"""The one document counter: the last number handed out per document kind and year."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class DocumentCounter(db.Model):
    """One row per (prefix, year), e.g. ("LY", 2026) → 41. Incrementing it with one UPDATE takes
    the row's lock, so two clerks saving at the same moment get consecutive numbers, never one
    number twice (where max(number) + 1 gave both the same and the second a 409)."""

    __tablename__ = "document_counter"

    prefix: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
