"""Staff development: training plans and records with attendees, appraisals (004 §五 §六, 002 §2.1)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import CodeEnum, Timestamped, Validated, enum_column
from .customers import Customer
from .derived import keep_derived
from .periods import QUARTER, YEAR, Periodic, period_kind
from .staff import Staff


class TrainingKind(CodeEnum):
    """002 §2.1: training of customers, of the department's own staff, and by vendors."""

    customer = "customer", _l("Customer training")
    internal = "internal", _l("Internal training")
    vendor = "vendor", _l("Vendor training")


class AssessmentResult(CodeEnum):
    passed = "passed", _l("Passed")
    failed = "failed", _l("Failed")
    absent = "absent", _l("Absent")


class TrainingPlan(Timestamped, Validated, db.Model):
    """A planned training: kind, topic, schedule, trainer, audience."""

    __tablename__ = "training_plan"
    __field_labels__ = {
        "kind": _l("Kind"), "topic": _l("Topic"), "planned_start": _l("Planned start"),
        "planned_end": _l("Planned end"), "trainer": _l("Trainer"), "audience": _l("Target audience"),
        "content": _l("Content"), "records": _l("Training records"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TrainingKind] = mapped_column(enum_column(TrainingKind), index=True)
    topic: Mapped[str] = mapped_column(sa.String(200), index=True)
    planned_start: Mapped[date] = mapped_column(index=True)
    planned_end: Mapped[date] = mapped_column()
    trainer: Mapped[str] = mapped_column(sa.String(100))
    audience: Mapped[str] = mapped_column(sa.String(200))
    # the customer trained, for customer training
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customer.id", ondelete="SET NULL"), index=True)
    content: Mapped[str | None] = mapped_column(sa.Text)

    customer: Mapped[Customer | None] = relationship()
    records: Mapped[list[TrainingRecord]] = relationship(back_populates="plan")

    __table_args__ = (sa.CheckConstraint("planned_end >= planned_start", name="schedule_order"),)

    def __str__(self) -> str:
        return self.topic

    def validation_errors(self) -> dict[str, str]:
        start, end = getattr(self, "planned_start", None), getattr(self, "planned_end", None)
        if start and end and end < start:
            return {"planned_end": str(_l("The planned end must not be before the planned start."))}
        return {}


class TrainingRecord(Timestamped, Validated, db.Model):
    """A training session held: date, hours, place and who attended with their assessment."""

    __tablename__ = "training_record"
    __field_labels__ = {
        "plan": _l("Training plan"), "held_on": _l("Held on"), "hours": _l("Hours"),
        "location": _l("Location"), "trainer": _l("Trainer"), "summary": _l("Summary"),
        "external_attendees": _l("External attendees"), "attendances": _l("Attendees"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("training_plan.id", ondelete="RESTRICT"), index=True)
    held_on: Mapped[date] = mapped_column(index=True)
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1))
    location: Mapped[str | None] = mapped_column(sa.String(200))
    trainer: Mapped[str | None] = mapped_column(sa.String(100))
    summary: Mapped[str | None] = mapped_column(sa.Text)
    # customer or vendor people who are not staff
    external_attendees: Mapped[str | None] = mapped_column(sa.Text)

    plan: Mapped[TrainingPlan] = relationship(back_populates="records")
    attendances: Mapped[list[TrainingAttendance]] = relationship(
        back_populates="record", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.CheckConstraint("hours > 0", name="hours_positive"),)

    __str_reads__ = ("plan",)  # the name reads it (models/loading.py)

    def __str__(self) -> str:
        return f"{self.plan.topic if self.plan else ''} {self.held_on}"

    def validation_errors(self) -> dict[str, str]:
        hours = getattr(self, "hours", None)
        if hours is not None and hours <= 0:
            return {"hours": str(_l("Hours must be greater than 0."))}
        return {}


class TrainingAttendance(Timestamped, Validated, db.Model):
    """One staff member at one training session, with the assessment result."""

    __tablename__ = "training_attendance"
    __field_labels__ = {
        "record": _l("Training record"), "staff": _l("Attendee"), "score": _l("Assessment score"),
        "result": _l("Result"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(sa.ForeignKey("training_record.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id", ondelete="RESTRICT"), index=True)
    score: Mapped[int | None] = mapped_column()
    result: Mapped[AssessmentResult | None] = mapped_column(enum_column(AssessmentResult), index=True)

    record: Mapped[TrainingRecord] = relationship(back_populates="attendances")
    staff: Mapped[Staff] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("record_id", "staff_id"),
        sa.CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="score_range"),
    )

    def validation_errors(self) -> dict[str, str]:
        score = getattr(self, "score", None)
        if score is not None and not 0 <= score <= 100:
            return {"score": str(_l("A score must be from 0 to 100."))}
        return {}


# 004 §六: the supervisor's view weighs most; the customer's next; the person's own least.
APPRAISAL_WEIGHTS = {"self_score": Decimal("0.2"), "supervisor_score": Decimal("0.5"),
                     "customer_score": Decimal("0.3")}


class Appraisal(Periodic, Timestamped, Validated, db.Model):
    """A staff member's quarterly or annual appraisal: scores and the measured KPIs of the period."""

    __tablename__ = "appraisal"
    PERIOD_KINDS = (YEAR, QUARTER)
    __field_labels__ = {
        "period": _l("Period (2026 or 2026-Q1)"), "self_score": _l("Self score"),
        "supervisor_score": _l("Supervisor score"), "customer_score": _l("Customer score"),
        "total_score": _l("Weighted total"), "tickets_closed": _l("Tickets closed"),
        "on_time_rate": _l("On-time rate"), "satisfaction": _l("Satisfaction"),
        "kpis_at": _l("KPIs measured at"), "comments": _l("Comments"), "staff": _l("Staff member"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id", ondelete="RESTRICT"), index=True)
    self_score: Mapped[int | None] = mapped_column()
    supervisor_score: Mapped[int | None] = mapped_column()
    customer_score: Mapped[int | None] = mapped_column()
    total_score: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 1), index=True)
    tickets_closed: Mapped[int | None] = mapped_column()
    on_time_rate: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 4))
    satisfaction: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    kpis_at: Mapped[datetime | None] = mapped_column()
    comments: Mapped[str | None] = mapped_column(sa.Text)

    staff: Mapped[Staff] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("staff_id", "period"),
        sa.CheckConstraint("self_score IS NULL OR self_score BETWEEN 0 AND 100", name="self_range"),
        sa.CheckConstraint(
            "supervisor_score IS NULL OR supervisor_score BETWEEN 0 AND 100", name="supervisor_range"
        ),
        sa.CheckConstraint("customer_score IS NULL OR customer_score BETWEEN 0 AND 100", name="customer_range"),
        sa.CheckConstraint("period_end >= period_start", name="period_order"),
    )

    __str_reads__ = ("staff",)  # the name reads it (models/loading.py)

    def __str__(self) -> str:
        return f"{self.staff.name if self.staff else ''} {self.period}"

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        if period_kind(getattr(self, "period", None)) not in Appraisal.PERIOD_KINDS:
            errors["period"] = str(_l("Write the period as a year (2026) or a quarter (2026-Q1)."))
        for field in APPRAISAL_WEIGHTS:
            value = getattr(self, field, None)
            if value is not None and not 0 <= value <= 100:
                errors[field] = str(_l("A score must be from 0 to 100."))
        return errors

    def sync_derived(self) -> None:
        """Period bounds and the weighted total, from the period text and the three scores."""
        self.sync_period()
        scores = [getattr(self, f) for f in APPRAISAL_WEIGHTS]
        if any(s is None for s in scores):
            self.total_score = None
        else:
            total = sum((Decimal(s) * w for s, w in zip(scores, APPRAISAL_WEIGHTS.values(), strict=True)),
                        Decimal(0))
            self.total_score = total.quantize(Decimal("0.1"))


keep_derived(Appraisal)
