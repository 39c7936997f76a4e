"""Links between tickets: related reports of one fault, or a duplicate of an earlier ticket."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import CodeEnum, Timestamped, enum_column
from .tickets import Ticket


class LinkKind(CodeEnum):
    related = "related", _l("Related")
    duplicate = "duplicate", _l("Duplicate")


class TicketLink(Timestamped, db.Model):
    """`ticket` is related to `other` (stored once, lower id first), or is a duplicate of `other`."""

    __tablename__ = "ticket_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    other_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LinkKind] = mapped_column(enum_column(LinkKind), index=True)

    ticket: Mapped[Ticket] = relationship(foreign_keys=[ticket_id])
    other: Mapped[Ticket] = relationship(foreign_keys=[other_id])

    __table_args__ = (
        sa.UniqueConstraint("ticket_id", "other_id", name="uq_ticket_link_pair"),
        sa.CheckConstraint("ticket_id <> other_id", name="not_itself"),
    )
