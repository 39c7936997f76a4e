"""Customer complaints: intake, investigation, handling plan, progress, result (001 §五)."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .base import CodeEnum, Timestamped, Validated, enum_column, utcnow
from .callbacks import score_error
from .customers import ForCustomer
from .documents import Numbered
from .staff import Owned, Staff
from .tickets import Channel


class ComplaintStatus(CodeEnum):
    """received → investigating → handling → closed; a dissatisfied customer reopens it."""

    received = "received", _l("Received")
    investigating = "investigating", _l("Investigating")
    handling = "handling", _l("Handling")
    closed = "closed", _l("Closed")


complaint_team = sa.Table(
    "complaint_team",
    db.metadata,
    sa.Column("complaint_id", sa.ForeignKey("complaint.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("staff_id", sa.ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Complaint(Numbered, ForCustomer, Owned, Timestamped, Validated, db.Model):
    """A customer's complaint and how the department dealt with it."""

    __tablename__ = "complaint"
    __field_labels__ = {
        "number": _l("Complaint no."), "received_at": _l("Received at"), "received_by": _l("Received by"),
        "channel": _l("Channel"), "complainant": _l("Complainant"), "subject": _l("Subject"),
        "content": _l("Complaint content"), "ticket": _l("Related ticket"), "status": _l("Status"),
        "team": _l("Investigation team"), "verified": _l("Verified"), "findings": _l("Investigation findings"),
        "root_cause": _l("Root cause"), "measures": _l("Handling measures"),
        "owner_department": _l("Owner department"), "deadline": _l("Deadline"),
        "result": _l("Result"), "closed_at": _l("Closed at"),
        "satisfaction": _l("Satisfaction with the handling"), "improvement": _l("Improvement and prevention"),
        "overdue": _l("Overdue"), "progress": _l("Progress"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel), default=Channel.phone)
    complainant: Mapped[str | None] = mapped_column(sa.String(100))
    subject: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[ComplaintStatus] = mapped_column(
        enum_column(ComplaintStatus), default=ComplaintStatus.received, index=True
    )
    # investigation (001 §五(二)): None = not yet established
    verified: Mapped[bool | None] = mapped_column()
    findings: Mapped[str | None] = mapped_column(sa.Text)
    root_cause: Mapped[str | None] = mapped_column(sa.Text)
    # handling plan (001 §五(三))
    measures: Mapped[str | None] = mapped_column(sa.Text)
    owner_department: Mapped[str | None] = mapped_column(sa.String(100))
    deadline: Mapped[date | None] = mapped_column(index=True)
    # result and the customer's view of it (001 §五(四))
    result: Mapped[str | None] = mapped_column(sa.Text)
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    satisfaction: Mapped[int | None] = mapped_column()
    improvement: Mapped[str | None] = mapped_column(sa.Text)

    ticket = relationship("Ticket")
    received_by: Mapped[Staff | None] = relationship(foreign_keys=[received_by_id])
    team: Mapped[list[Staff]] = relationship(secondary=complaint_team)
    progress: Mapped[list[ComplaintProgress]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ComplaintProgress.at",
    )

    __table_args__ = (
        sa.CheckConstraint("satisfaction IS NULL OR (satisfaction >= 1 AND satisfaction <= 5)",
                           name="satisfaction_range"),
        sa.CheckConstraint("status <> 'closed' OR closed_at IS NOT NULL", name="closed_has_time"),
        sa.Index("ix_complaint_status_deadline", "status", "deadline"),
    )

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def overdue(self) -> bool:
        """Deadline passed and not closed."""
        return bool(
            self.deadline and self.deadline < clock.today_local() and self.status != ComplaintStatus.closed
        )

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        message = score_error(self.satisfaction)
        if message:
            errors["satisfaction"] = message
        received = self.received_at
        if received and self.deadline and self.deadline < clock.to_local(received).date():
            errors["deadline"] = str(_l("The deadline must not be before the complaint was received."))
        if received and self.closed_at and self.closed_at < received:
            errors["closed_at"] = str(_l("A complaint cannot be closed before it was received."))
        return errors


class ComplaintProgress(Timestamped, Validated, db.Model):
    """A dated entry of what was done on a complaint (status moves add one too)."""

    __tablename__ = "complaint_progress"
    __field_labels__ = {"at": _l("Date"), "staff": _l("By"), "note": _l("Progress"),
                        "from_status": _l("From"), "to_status": _l("To"), "complaint": _l("Complaint")}

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(sa.ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    note: Mapped[str] = mapped_column(sa.Text)
    from_status: Mapped[ComplaintStatus | None] = mapped_column(enum_column(ComplaintStatus, name="from_status"))
    to_status: Mapped[ComplaintStatus | None] = mapped_column(enum_column(ComplaintStatus, name="to_status"))

    complaint: Mapped[Complaint] = relationship(back_populates="progress")
    staff: Mapped[Staff | None] = relationship()

    def __str__(self) -> str:
        return f"{clock.format_date(self.at)} {self.note[:30]}"
