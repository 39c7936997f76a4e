"""Callback plans per customer and the callback records they generate (001 §二, 002 §2.2(3))."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import CodeEnum, Timestamped, Validated, enum_column
from .customers import ForCustomer
from .staff import Owned, Staff

SCORE_FIELDS = ("score_function", "score_performance", "score_quality", "score_service")


class CallbackMethod(CodeEnum):
    """001 §二(二): phone, email or a visit on site."""

    phone = "phone", _l("Phone")
    email = "email", _l("Email")
    site = "site", _l("Site visit")


class CallbackStatus(CodeEnum):
    due = "due", _l("Due")
    done = "done", _l("Done")
    cancelled = "cancelled", _l("Cancelled")


def score_error(value) -> str | None:
    """The message for a 1–5 score out of range, else None."""
    if value is None:
        return None
    if not isinstance(value, int) or not 1 <= value <= 5:
        return str(_l("A score is a whole number from 1 to 5."))
    return None


class CallbackPlan(ForCustomer, Owned, Timestamped, Validated, db.Model):
    """A customer's callback plan for one year: who, how often, how, about what."""

    __tablename__ = "callback_plan"
    __field_labels__ = {
        "year": _l("Year"), "target": _l("Callback target"), "frequency_per_year": _l("Callbacks per year"),
        "method": _l("Method"), "content": _l("Callback content"), "active": _l("Active"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    target: Mapped[str] = mapped_column(sa.String(200))
    # empty on input = suggested from the customer's importance (key customers more often)
    frequency_per_year: Mapped[int | None] = mapped_column()
    method: Mapped[CallbackMethod] = mapped_column(enum_column(CallbackMethod), index=True)
    content: Mapped[str] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True, index=True)

    __table_args__ = (
        sa.UniqueConstraint("customer_id", "year", name="uq_callback_plan_customer_year"),
        sa.CheckConstraint(
            "frequency_per_year IS NULL OR (frequency_per_year >= 1 AND frequency_per_year <= 52)",
            name="frequency_range",
        ),
        sa.CheckConstraint("year >= 2000 AND year <= 2100", name="year_range"),
    )

    def __str__(self) -> str:
        return f"{self.year} {self.customer}"

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        freq = self.frequency_per_year
        if freq is not None and (not isinstance(freq, int) or not 1 <= freq <= 52):
            errors["frequency_per_year"] = str(_l("Callbacks per year must be between 1 and 52."))
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = str(_l("The year must be between 2000 and 2100."))
        return errors


class CallbackRecord(ForCustomer, Timestamped, Validated, db.Model):
    """One callback: due from a plan, a closed ticket or a done inspection; filled in when made."""

    __tablename__ = "callback_record"
    __field_labels__ = {
        "plan": _l("Callback plan"), "ticket": _l("Source ticket"), "inspection": _l("Source inspection"),
        "due_date": _l("Due date"), "status": _l("Status"), "method": _l("Method"),
        "called_at": _l("Called at"), "caller": _l("Called by"), "contact_person": _l("Person spoken to"),
        "content": _l("Content"), "opinions": _l("Opinions and suggestions"),
        "score_function": _l("Satisfaction: function"), "score_performance": _l("Satisfaction: performance"),
        "score_quality": _l("Satisfaction: quality"), "score_service": _l("Satisfaction: service"),
        "new_needs": _l("New needs"), "follow_up": _l("Follow-up actions"),
        "follow_up_ticket": _l("Follow-up ticket"), "average_score": _l("Average score"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("callback_plan.id", ondelete="CASCADE"))
    ticket_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ticket.id", ondelete="SET NULL"), unique=True
    )
    inspection_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("inspection_record.id", ondelete="SET NULL"), unique=True
    )
    due_date: Mapped[date] = mapped_column(index=True)
    status: Mapped[CallbackStatus] = mapped_column(
        enum_column(CallbackStatus), default=CallbackStatus.due, index=True
    )
    method: Mapped[CallbackMethod] = mapped_column(enum_column(CallbackMethod), default=CallbackMethod.phone)
    called_at: Mapped[datetime | None] = mapped_column(index=True)
    caller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    contact_person: Mapped[str | None] = mapped_column(sa.String(100))
    content: Mapped[str | None] = mapped_column(sa.Text)
    opinions: Mapped[str | None] = mapped_column(sa.Text)
    score_function: Mapped[int | None] = mapped_column()
    score_performance: Mapped[int | None] = mapped_column()
    score_quality: Mapped[int | None] = mapped_column()
    score_service: Mapped[int | None] = mapped_column()
    new_needs: Mapped[str | None] = mapped_column(sa.Text)
    follow_up: Mapped[str | None] = mapped_column(sa.Text)
    follow_up_ticket_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ticket.id", ondelete="SET NULL"), index=True
    )

    plan: Mapped[CallbackPlan | None] = relationship()
    ticket = relationship("Ticket", foreign_keys=[ticket_id])
    inspection = relationship("InspectionRecord", foreign_keys=[inspection_id])
    caller: Mapped[Staff | None] = relationship()
    follow_up_ticket = relationship("Ticket", foreign_keys=[follow_up_ticket_id])

    __table_args__ = (
        # the generation from plans is idempotent: one callback per plan and due date
        sa.UniqueConstraint("plan_id", "due_date", name="uq_callback_record_plan_due"),
        *(
            sa.CheckConstraint(f"{f} IS NULL OR ({f} >= 1 AND {f} <= 5)", name=f"{f}_range")
            for f in SCORE_FIELDS
        ),
        sa.CheckConstraint("status <> 'done' OR called_at IS NOT NULL", name="done_has_time"),
        sa.Index("ix_callback_record_status_due", "status", "due_date"),
    )

    def __str__(self) -> str:
        return f"{self.due_date} {self.customer}"

    @property
    def average_score(self) -> float | None:
        """Mean of the satisfaction scores given, None when none."""
        scores = [getattr(self, f) for f in SCORE_FIELDS if getattr(self, f) is not None]
        return round(sum(scores) / len(scores), 2) if scores else None

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        for field in SCORE_FIELDS:
            message = score_error(getattr(self, field, None))
            if message:
                errors[field] = message
        status = self.status
        if status is not None and str(status) == CallbackStatus.done and not self.called_at:
            errors["called_at"] = str(_l("A callback marked done needs the time it was made."))
        return errors
