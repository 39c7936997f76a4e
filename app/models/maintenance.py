"""Maintenance plans and records, upgrade requests and their evaluation (001 §四)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .base import CodeEnum, Level, Timestamped, Validated, enum_column
from .customers import Customer, OnEquipment
from .staff import Owned, Staff


class MaintenanceKind(CodeEnum):
    """001 §四(一)2: hardware, software, system upgrade."""

    hardware = "hardware", _l("Hardware maintenance")
    software = "software", _l("Software maintenance")
    upgrade = "upgrade", _l("System upgrade")


class MaintenanceStatus(CodeEnum):
    planned = "planned", _l("Planned")
    completed = "completed", _l("Completed")
    cancelled = "cancelled", _l("Cancelled")


class MaintenanceOutcome(CodeEnum):
    done = "done", _l("Done")
    partial = "partial", _l("Partly done")
    failed = "failed", _l("Failed")


class MaintenancePlan(OnEquipment, Owned, Timestamped, Validated, db.Model):
    """What to maintain, when, how and by whom (001 §四(一))."""

    __tablename__ = "maintenance_plan"
    __field_labels__ = {
        "title": _l("Plan"), "kind": _l("Kind"), "content": _l("Maintenance content"), "method": _l("Method"),
        "planned_start": _l("Planned start"), "planned_end": _l("Planned end"),
        "status": _l("Status"), "completed_on": _l("Completed on"), "records": _l("Maintenance records"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[MaintenanceKind] = mapped_column(enum_column(MaintenanceKind), index=True)
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customer.id", ondelete="RESTRICT"), index=True)
    content: Mapped[str] = mapped_column(sa.Text)
    method: Mapped[str | None] = mapped_column(sa.String(300))
    planned_start: Mapped[date] = mapped_column(index=True)
    planned_end: Mapped[date] = mapped_column(index=True)
    status: Mapped[MaintenanceStatus] = mapped_column(
        enum_column(MaintenanceStatus), default=MaintenanceStatus.planned, index=True
    )
    completed_on: Mapped[date | None] = mapped_column()

    customer: Mapped[Customer | None] = relationship()
    records: Mapped[list[MaintenanceRecord]] = relationship(back_populates="plan", passive_deletes=True)

    __table_args__ = (
        sa.CheckConstraint("planned_end >= planned_start", name="date_order"),
        sa.CheckConstraint("status <> 'completed' OR completed_on IS NOT NULL", name="completed_has_date"),
    )

    def __str__(self) -> str:
        return self.title

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = str(_l("The planned end must not be before the planned start."))
        if self.status is not None and str(self.status) == MaintenanceStatus.completed and not self.completed_on:
            errors["completed_on"] = str(_l("A completed plan needs its completion date."))
        if self.completed_on and self.planned_start and self.completed_on < self.planned_start:
            errors["completed_on"] = str(_l("A plan cannot be completed before it starts."))
        return errors


class MaintenanceRecord(Timestamped, Validated, db.Model):
    """What was done when carrying out a maintenance plan (001 §四(二))."""

    __tablename__ = "maintenance_record"
    __field_labels__ = {
        "plan": _l("Maintenance plan"), "performed_on": _l("Performed on"), "performed_by": _l("Performed by"),
        "content": _l("Work done"), "outcome": _l("Outcome"), "result": _l("Result and findings"),
        "tested": _l("Tested before release"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("maintenance_plan.id", ondelete="CASCADE"), index=True)
    performed_on: Mapped[date] = mapped_column(index=True)
    performed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    content: Mapped[str] = mapped_column(sa.Text)
    outcome: Mapped[MaintenanceOutcome] = mapped_column(enum_column(MaintenanceOutcome), index=True)
    result: Mapped[str | None] = mapped_column(sa.Text)
    # 001 §四(二)2: software maintenance and upgrades are tested before they reach the customer
    tested: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[MaintenancePlan] = relationship(back_populates="records")
    performed_by: Mapped[Staff | None] = relationship()

    def __str__(self) -> str:
        return f"{self.performed_on} {self.plan}"

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        if self.performed_on and self.performed_on > clock.today_local():
            errors["performed_on"] = str(_l("Maintenance cannot be recorded for a future date."))
        plan = self.plan
        if plan is not None and self.performed_on and plan.planned_start and self.performed_on < plan.planned_start:
            errors["performed_on"] = str(_l("The work cannot be before the plan's start."))
        return errors


class UpgradeSource(CodeEnum):
    market = "market", _l("Market")
    after_sales = "after_sales", _l("After-sales")
    customer = "customer", _l("Customer")


class UpgradeNeed(CodeEnum):
    function = "function", _l("Function improvement")
    performance = "performance", _l("Performance")
    security = "security", _l("Security")


class UpgradeStatus(CodeEnum):
    """submitted → evaluated → approved / rejected; approved → implemented."""

    submitted = "submitted", _l("Submitted")
    evaluated = "evaluated", _l("Evaluated")
    approved = "approved", _l("Approved")
    rejected = "rejected", _l("Rejected")
    implemented = "implemented", _l("Implemented")


class UpgradeRequest(Timestamped, Validated, db.Model):
    """An upgrade need, its evaluation, the decision and the upgrade plan (001 §四(三)(四))."""

    __tablename__ = "upgrade_request"
    __field_labels__ = {
        "title": _l("Upgrade need"), "source": _l("Source"), "need": _l("Kind of need"),
        "product": _l("Product / system"), "requested_on": _l("Requested on"), "requester": _l("Raised by"),
        "status": _l("Status"), "feasibility": _l("Technical feasibility"), "cost_benefit": _l("Cost-benefit"),
        "estimated_cost": _l("Estimated cost"), "priority": _l("Priority"), "evaluation": _l("Evaluation"),
        "evaluated_by": _l("Evaluated by"), "evaluated_on": _l("Evaluated on"),
        "decided_by": _l("Decided by"), "decided_on": _l("Decided on"), "decision_note": _l("Decision"),
        "plan_goal": _l("Upgrade goal"), "plan_steps": _l("Upgrade content and steps"),
        "test_plan": _l("Test plan"), "risk_measures": _l("Risks and measures"),
        "planned_start": _l("Planned start"), "planned_end": _l("Planned end"),
        "implemented_on": _l("Implemented on"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    source: Mapped[UpgradeSource] = mapped_column(enum_column(UpgradeSource), index=True)
    need: Mapped[UpgradeNeed] = mapped_column(enum_column(UpgradeNeed), default=UpgradeNeed.function, index=True)
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customer.id", ondelete="RESTRICT"), index=True)
    product: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text)
    requested_on: Mapped[date] = mapped_column(default=clock.today_local, index=True)
    requester: Mapped[str | None] = mapped_column(sa.String(100))
    status: Mapped[UpgradeStatus] = mapped_column(
        enum_column(UpgradeStatus), default=UpgradeStatus.submitted, index=True
    )
    feasibility: Mapped[Level | None] = mapped_column(enum_column(Level, name="feasibility"))
    cost_benefit: Mapped[str | None] = mapped_column(sa.Text)
    estimated_cost: Mapped[float | None] = mapped_column(sa.Numeric(12, 2))
    priority: Mapped[Level | None] = mapped_column(enum_column(Level, name="priority"), index=True)
    evaluation: Mapped[str | None] = mapped_column(sa.Text)
    evaluated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"))
    evaluated_on: Mapped[date | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"))
    decided_on: Mapped[date | None] = mapped_column()
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    plan_goal: Mapped[str | None] = mapped_column(sa.Text)
    plan_steps: Mapped[str | None] = mapped_column(sa.Text)
    test_plan: Mapped[str | None] = mapped_column(sa.Text)
    risk_measures: Mapped[str | None] = mapped_column(sa.Text)
    planned_start: Mapped[date | None] = mapped_column()
    planned_end: Mapped[date | None] = mapped_column()
    implemented_on: Mapped[date | None] = mapped_column()

    customer: Mapped[Customer | None] = relationship()
    evaluated_by: Mapped[Staff | None] = relationship(foreign_keys=[evaluated_by_id])
    decided_by: Mapped[Staff | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        sa.CheckConstraint("planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start",
                           name="date_order"),
        sa.CheckConstraint("estimated_cost IS NULL OR estimated_cost >= 0", name="cost_positive"),
    )

    def __str__(self) -> str:
        return self.title

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = str(_l("The planned end must not be before the planned start."))
        if self.estimated_cost is not None and self.estimated_cost < 0:
            errors["estimated_cost"] = str(_l("The estimated cost cannot be negative."))
        return errors
