"""Periodic inspections: plans with a cycle and phase, checklist templates, records (002 §2.3, 003 §四.2)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .base import CodeEnum, Timestamped, Validated, enum_column
from .customers import ForCustomer, OnEquipment
from .staff import Staff


class Cycle(CodeEnum):
    monthly = "monthly", _l("Monthly")
    quarterly = "quarterly", _l("Quarterly")
    half_yearly = "half_yearly", _l("Half-yearly")
    yearly = "yearly", _l("Yearly")
    days = "days", _l("Every N days")

    @property
    def months(self) -> int | None:
        return {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}.get(self.value)


class Phase(CodeEnum):
    """002 §2.3: early = usage and questions; middle = equipment and lines; late = full check, dust, callback."""

    early = "early", _l("Early phase")
    middle = "middle", _l("Middle phase")
    late = "late", _l("Late phase")


class InspectionStatus(CodeEnum):
    due = "due", _l("Due")
    done = "done", _l("Done")
    cancelled = "cancelled", _l("Cancelled")


class ItemResult(CodeEnum):
    pending = "pending", _l("Not checked")
    ok = "ok", _l("OK")
    abnormal = "abnormal", _l("Abnormal")


class InspectionPlan(ForCustomer, OnEquipment, Timestamped, Validated, db.Model):
    """Inspect a customer's site (or one piece of equipment) every cycle."""

    __tablename__ = "inspection_plan"
    __field_labels__ = {
        "site": _l("Site"), "cycle": _l("Cycle"), "cycle_days": _l("Cycle (days)"), "phase": _l("Phase"),
        "start_date": _l("First inspection"), "end_date": _l("Plan ends"), "engineer": _l("Engineer"),
        "active": _l("Active"), "items": _l("Checklist items"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(sa.String(200))
    cycle: Mapped[Cycle] = mapped_column(enum_column(Cycle), index=True)
    cycle_days: Mapped[int | None] = mapped_column()
    phase: Mapped[Phase] = mapped_column(enum_column(Phase), index=True)
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date | None] = mapped_column()
    engineer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    engineer: Mapped[Staff | None] = relationship()
    items: Mapped[list[InspectionChecklistItem]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True,
        order_by="InspectionChecklistItem.position",
    )

    __table_args__ = (
        sa.CheckConstraint("cycle_days IS NULL OR cycle_days > 0", name="cycle_days_positive"),
        sa.CheckConstraint("cycle <> 'days' OR cycle_days IS NOT NULL", name="days_cycle_has_days"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="date_order"),
    )

    def __str__(self) -> str:
        return f"{self.customer} {self.site}"

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        if self.cycle_days is not None and self.cycle_days <= 0:
            errors["cycle_days"] = str(_l("The cycle must be at least 1 day."))
        elif self.cycle is not None and str(self.cycle) == Cycle.days and not self.cycle_days:
            errors["cycle_days"] = str(_l("Give the number of days of the cycle."))
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = str(_l("The plan cannot end before its first inspection."))
        return errors


class InspectionChecklistItem(Timestamped, Validated, db.Model):
    """One line of a plan's checklist template, copied into every inspection record."""

    __tablename__ = "inspection_checklist_item"
    __field_labels__ = {"position": _l("No."), "text": _l("Check item"), "plan": _l("Inspection plan")}

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_plan.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.String(300))

    plan: Mapped[InspectionPlan] = relationship(back_populates="items")

    __table_args__ = (
        sa.UniqueConstraint("plan_id", "position", name="uq_inspection_checklist_item_plan_pos"),
        sa.CheckConstraint("position > 0", name="position_positive"),
    )

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


inspection_engineer = sa.Table(
    "inspection_engineer",
    db.metadata,
    sa.Column("inspection_id", sa.ForeignKey("inspection_record.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("staff_id", sa.ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class InspectionRecord(ForCustomer, OnEquipment, Timestamped, Validated, db.Model):
    """巡检记录表: one inspection of a site, due from a plan, filled in by the engineers."""

    __tablename__ = "inspection_record"
    __field_labels__ = {
        "plan": _l("Inspection plan"), "site": _l("Site"), "phase": _l("Phase"), "due_date": _l("Due date"),
        "status": _l("Status"), "inspected_on": _l("Inspected on"), "engineer": _l("Lead engineer"),
        "engineers": _l("Other engineers"), "hidden_dangers": _l("Hidden dangers found"),
        "customer_questions": _l("Customer questions collected"), "dust_cleaned": _l("Dust cleaning done"),
        "summary": _l("Summary"), "customer_signer": _l("Customer signer"),
        "analysis": _l("Technical analysis"), "results": _l("Checklist"),
        "abnormal_count": _l("Abnormal items"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection_plan.id", ondelete="SET NULL"))
    site: Mapped[str] = mapped_column(sa.String(200))
    phase: Mapped[Phase] = mapped_column(enum_column(Phase), index=True)
    due_date: Mapped[date] = mapped_column(index=True)
    status: Mapped[InspectionStatus] = mapped_column(
        enum_column(InspectionStatus), default=InspectionStatus.due, index=True
    )
    inspected_on: Mapped[date | None] = mapped_column(index=True)
    engineer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    hidden_dangers: Mapped[str | None] = mapped_column(sa.Text)
    customer_questions: Mapped[str | None] = mapped_column(sa.Text)
    dust_cleaned: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[str | None] = mapped_column(sa.Text)
    customer_signer: Mapped[str | None] = mapped_column(sa.String(100))
    analysis: Mapped[str | None] = mapped_column(sa.Text)

    plan: Mapped[InspectionPlan | None] = relationship()
    engineer: Mapped[Staff | None] = relationship()
    engineers: Mapped[list[Staff]] = relationship(secondary=inspection_engineer)
    results: Mapped[list[InspectionItemResult]] = relationship(
        back_populates="record", cascade="all, delete-orphan", passive_deletes=True,
        order_by="InspectionItemResult.position",
    )

    __table_args__ = (
        # generation from plans is idempotent: one record per plan and due date
        sa.UniqueConstraint("plan_id", "due_date", name="uq_inspection_record_plan_due"),
        sa.CheckConstraint("status <> 'done' OR inspected_on IS NOT NULL", name="done_has_date"),
        sa.Index("ix_inspection_record_status_due", "status", "due_date"),
    )

    def __str__(self) -> str:
        return f"{self.due_date} {self.customer} {self.site}"

    @property
    def abnormal_count(self) -> int:
        return sum(1 for r in self.results if r.result == ItemResult.abnormal)

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        if self.status is not None and str(self.status) == InspectionStatus.done and not self.inspected_on:
            errors["inspected_on"] = str(_l("A done inspection needs the date it was made."))
        if self.inspected_on and self.inspected_on > clock.today_local():
            errors["inspected_on"] = str(_l("The inspection date cannot be in the future."))
        return errors


class InspectionItemResult(Timestamped, Validated, db.Model):
    """The result of one checklist item in one inspection: OK / abnormal, with a note."""

    __tablename__ = "inspection_item_result"
    __field_labels__ = {"position": _l("No."), "text": _l("Check item"), "result": _l("Result"),
                        "note": _l("Note"), "ticket": _l("Follow-up ticket"), "record": _l("Inspection")}

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection_record.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.String(300))
    result: Mapped[ItemResult] = mapped_column(enum_column(ItemResult), default=ItemResult.pending, index=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    ticket_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ticket.id", ondelete="SET NULL"), index=True)

    record: Mapped[InspectionRecord] = relationship(back_populates="results")
    ticket = relationship("Ticket")

    __table_args__ = (
        sa.UniqueConstraint("record_id", "position", name="uq_inspection_item_result_record_pos"),
        sa.CheckConstraint("position > 0", name="position_positive"),
    )

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    def validation_errors(self) -> dict[str, str]:
        if self.result is not None and str(self.result) == ItemResult.abnormal and not (self.note or "").strip():
            return {"note": str(_l("Describe what is abnormal."))}
        return {}
