"""What happens on a ticket: timeline, solution plan, on-site repair record, fault analysis, survey."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .attachments import Attachment
from .base import CodeEnum, Timestamped, Validated, enum_column, utcnow
from .customers import OnEquipment
from .staff import Owned, Staff
from .system_text import SystemLongText
from .tickets import Ticket, TicketStatus

# Labels of the form fields (002 §2.4, §2.6; 000 §四), shared by screens, API and exports.
WORK_LABELS = {
    "ticket": _l("Ticket"), "engineers": _l("Engineers"), "engineer_names": _l("Engineers"),
    "arrived_at": _l("Arrival"), "departed_at": _l("Departure"), "work_done": _l("Work done"),
    "parts_replaced": _l("Parts replaced"), "result": _l("Result"),
    "customer_signer": _l("Customer signer"), "signed_at": _l("Signed at"),
    "signature": _l("Customer signature"),
    "fault_type": _l("Fault type"), "phenomenon": _l("Phenomenon"), "cause_analysis": _l("Cause analysis"),
    "frequency": _l("Frequency"), "corrective_action": _l("Corrective action"),
    "improvement_suggestion": _l("Product improvement suggestion"), "analysed_by": _l("Analysed by"),
    "analysed_on": _l("Analysed on"), "timeliness": _l("Timeliness (1-5)"),
    "effectiveness": _l("Effectiveness (1-5)"), "attitude": _l("Attitude (1-5)"), "comment": _l("Comment"),
    "surveyed_by": _l("Surveyed by"), "surveyed_at": _l("Surveyed at"),
    "consulted_experts": _l("Consulted experts"), "steps": _l("Steps"), "owner": _l("Owner"),
    "milestones": _l("Milestones"), "due_on": _l("Due on"),
}



class TicketEvent(db.Model):
    """One timeline entry: a status move (from → to) or a free-text progress note."""

    __tablename__ = "ticket_event"
    __field_labels__ = {"at": _l("When"), "user": _l("Who"), "from_status": _l("From"),
                        "to_status": _l("To"), "note": _l("Note"), "ticket": _l("Ticket")}

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ab_user.id", ondelete="SET NULL"))
    from_status: Mapped[TicketStatus | None] = mapped_column(enum_column(TicketStatus, name="fromstatus"))
    to_status: Mapped[TicketStatus | None] = mapped_column(enum_column(TicketStatus, name="tostatus"))
    note: Mapped[str | None] = mapped_column(SystemLongText)  # typed, or written by the system

    ticket: Mapped[Ticket] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship(User)

    @property
    def who(self) -> str:
        """The login's full name, or "system" for seeding / CLI entries."""
        if self.user is None:
            return str(_l("system"))
        return self.user.get_full_name()  # family name first for a Chinese name (security/names.py)

    @property
    def ticket_number(self) -> str:
        return self.ticket.number


class SolutionPlan(Owned, Timestamped, Validated, db.Model):
    """Solution plan of an important / emergency ticket: consultation, steps, owner, milestones."""

    __tablename__ = "solution_plan"
    __field_labels__ = WORK_LABELS

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id", ondelete="CASCADE"), unique=True)
    consulted_experts: Mapped[str | None] = mapped_column(sa.Text)
    steps: Mapped[str] = mapped_column(sa.Text)
    milestones: Mapped[str | None] = mapped_column(sa.Text)
    due_on: Mapped[date | None] = mapped_column(index=True)

    ticket: Mapped[Ticket] = relationship(back_populates="solution_plan")

    __str_reads__ = ("ticket",)  # the name reads it (models/loading.py)

    def __str__(self) -> str:
        return str(self.ticket.number) if self.ticket else ""

    def validation_errors(self) -> dict[str, str]:
        ticket = self.ticket
        if ticket is not None and not ticket.needs_solution_plan:
            return {"ticket": str(_l("Solution plans are for important and emergency tickets."))}
        return {}


repair_record_engineer = sa.Table(
    "repair_record_engineer",
    db.metadata,
    sa.Column("repair_record_id", sa.ForeignKey("repair_record.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("staff_id", sa.ForeignKey("staff.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class RepairResult(CodeEnum):
    fixed = "fixed", _l("Fixed")
    temporary = "temporary", _l("Temporary fix")
    not_fixed = "not_fixed", _l("Not fixed")


class RepairRecord(Timestamped, Validated, db.Model):
    """On-site repair record 上门维修记录表 (002 §2.6), signed by the customer."""

    __tablename__ = "repair_record"
    __field_labels__ = WORK_LABELS

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id", ondelete="RESTRICT"), index=True)
    arrived_at: Mapped[datetime] = mapped_column(index=True)
    departed_at: Mapped[datetime | None] = mapped_column(index=True)
    work_done: Mapped[str] = mapped_column(sa.Text)
    parts_replaced: Mapped[str | None] = mapped_column(sa.Text)
    result: Mapped[RepairResult] = mapped_column(enum_column(RepairResult), index=True)
    customer_signer: Mapped[str | None] = mapped_column(sa.String(100))
    signed_at: Mapped[datetime | None] = mapped_column(index=True)
    # the customer's drawn signature (a PNG attachment); a signed record is locked
    signature_id: Mapped[int | None] = mapped_column(sa.ForeignKey("attachment.id", ondelete="RESTRICT"))

    ticket: Mapped[Ticket] = relationship(back_populates="repair_records")
    engineers: Mapped[list[Staff]] = relationship(secondary=repair_record_engineer, lazy="selectin")
    signature: Mapped[Attachment | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("departed_at IS NULL OR departed_at >= arrived_at", name="departure_after_arrival"),
        sa.CheckConstraint("(customer_signer IS NULL) = (signed_at IS NULL)", name="signer_with_time"),
    )

    __str_reads__ = ("ticket",)  # the name reads it (models/loading.py)

    def __str__(self) -> str:
        return f"{self.ticket.number if self.ticket else ''} {clock.format_datetime(self.arrived_at)}"

    @property
    def is_signed(self) -> bool:
        return bool(self.customer_signer and self.customer_signer.strip() and self.signed_at)

    @property
    def engineer_names(self) -> str:
        return ", ".join(s.name for s in self.engineers)

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        if self.arrived_at and self.departed_at and self.departed_at < self.arrived_at:
            errors["departed_at"] = str(_l("Departure must not be before arrival."))
        signer = (self.customer_signer or "").strip()
        if bool(signer) != bool(self.signed_at):
            errors["signed_at"] = str(_l("Give both the customer signer and the sign-off time, or neither."))
        elif self.signed_at and self.arrived_at and self.signed_at < self.arrived_at:
            errors["signed_at"] = str(_l("Sign-off must not be before arrival."))
        if self.engineers is not None and len(self.engineers) == 0:
            errors["engineers"] = str(_l("Name at least one engineer."))
        ticket = self.ticket
        if ticket is not None and not ticket.status.is_open:
            errors["ticket"] = str(_l("The ticket is closed or cancelled."))
        return errors


class FaultAnalysis(OnEquipment, Timestamped, Validated, db.Model):
    """Fault analysis form 故障分析表 (002 §2.4(8))."""

    __tablename__ = "fault_analysis"
    __field_labels__ = WORK_LABELS

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    fault_type: Mapped[str] = mapped_column(sa.String(100), index=True)
    phenomenon: Mapped[str] = mapped_column(sa.Text)
    cause_analysis: Mapped[str] = mapped_column(sa.Text)
    frequency: Mapped[str | None] = mapped_column(sa.String(100))
    corrective_action: Mapped[str | None] = mapped_column(sa.Text)
    improvement_suggestion: Mapped[str | None] = mapped_column(sa.Text)
    analysed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    analysed_on: Mapped[date] = mapped_column(default=clock.today_local, index=True)

    ticket: Mapped[Ticket | None] = relationship(back_populates="fault_analyses")
    analysed_by: Mapped[Staff | None] = relationship()

    def __str__(self) -> str:
        return f"{self.fault_type} {self.analysed_on}"

    def validation_errors(self) -> dict[str, str]:
        if self.ticket is None and self.equipment is None:
            return {"equipment": str(_l("Link the analysis to a ticket or to equipment."))}
        return {}


SCORES = ("timeliness", "effectiveness", "attitude")


class SatisfactionSurvey(Timestamped, Validated, db.Model):
    """The customer's satisfaction with a closed ticket (000 §四(六)), from the CS callback."""

    __tablename__ = "satisfaction_survey"
    __field_labels__ = WORK_LABELS

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id", ondelete="CASCADE"), unique=True)
    timeliness: Mapped[int] = mapped_column()
    effectiveness: Mapped[int] = mapped_column()
    attitude: Mapped[int] = mapped_column()
    comment: Mapped[str | None] = mapped_column(sa.Text)
    surveyed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    surveyed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    ticket: Mapped[Ticket] = relationship(back_populates="survey")
    surveyed_by: Mapped[Staff | None] = relationship()

    __table_args__ = tuple(
        sa.CheckConstraint(f"{col} BETWEEN 1 AND 5", name=f"{col}_1_to_5") for col in SCORES
    )

    __str_reads__ = ("ticket",)  # the name reads it (models/loading.py)

    def __str__(self) -> str:
        return self.ticket.number if self.ticket else ""

    @property
    def average(self) -> float:
        return round((self.timeliness + self.effectiveness + self.attitude) / 3, 2)

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        for col in SCORES:
            value = getattr(self, col)
            if value is not None and not 1 <= value <= 5:
                errors[col] = str(_l("A score is a whole number from 1 to 5."))
        ticket = self.ticket
        if ticket is not None and ticket.status is not TicketStatus.closed:
            errors["ticket"] = str(_l("Only a closed ticket can be surveyed."))
        return errors
