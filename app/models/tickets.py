"""Service requests (tickets): intake, severity, assignment, status (000 §四, 004 §三)."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .base import Timestamped, Validated, enum_column, meaning_rank, utcnow
from .customers import Contact, ForCustomer, OnEquipment, Project
from .documents import Numbered
from .sla import SlaState, sla_state
from .staff import Staff
from .system_text import SystemTextColumn
from .ticket_codes import Category, Channel, HandlingMode, Severity, TicketStatus

if TYPE_CHECKING:  # the relationships' annotations; ticket_work imports this module
    from .ticket_work import FaultAnalysis, RepairRecord, SatisfactionSurvey, SolutionPlan, TicketEvent


# received_at first (the period), then every column the KPI summary and the period charts read
FIGURE_COLUMNS = ("received_at", "status", "severity", "channel", "category", "customer_id", "equipment_id",
                  "first_response_at", "resolved_at", "resolve_by", "reopen_count")
# the KPI summary's alone, right after received_at: SQLite decodes an index entry up to the last
# column read, and the charts' five columns sat in front of these (migration 0020)
KPI_COLUMNS = ("received_at", "status", "reopen_count", "resolved_at", "resolve_by", "first_response_at")


class Ticket(Numbered, ForCustomer, OnEquipment, Timestamped, Validated, db.Model):
    """A service request from a customer, from intake to closure."""

    __tablename__ = "ticket"
    __field_labels__ = {
        "number": _l("Ticket no."), "title": _l("Subject"), "description": _l("Description"),
        "status": _l("Status"), "assignee": _l("Assignee"),
    "sla_flag": _l("Service level"), "warranty": _l("Warranty"), "customer_id": _l("Customer"),
    "channel": _l("Channel"), "category": _l("Category"), "severity": _l("Severity"),
    "occurred_at": _l("Occurred at"), "place": _l("Place"), "impact": _l("Impact"),
    "received_at": _l("Received at"), "received_by": _l("Received by"),
    "promised_feedback_at": _l("Promised feedback by"), "handling_mode": _l("Remote or on site"),
    "notify_by": _l("Notify engineer by"), "respond_by": _l("Respond by"), "resolve_by": _l("Resolve by"),
    "assigned_at": _l("Assigned at"), "first_response_at": _l("First response at"),
    "resolved_at": _l("Resolved at"), "closed_at": _l("Closed at"), "reopen_count": _l("Reopened"),
    "resolution": _l("Resolution"), "root_cause": _l("Root cause"), "prevention": _l("Prevention advice"),
    "contact": _l("Contact"), "link": _l("Ticket no."),

    }

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel), index=True)
    category: Mapped[Category] = mapped_column(enum_column(Category), index=True)
    severity: Mapped[Severity] = mapped_column(enum_column(Severity), index=True)
    status: Mapped[TicketStatus] = mapped_column(
        enum_column(TicketStatus), default=TicketStatus.new, index=True
    )
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact.id", ondelete="SET NULL"), index=True)
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("project.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(SystemTextColumn(200))  # typed, or written by the system
    # time, place, phenomenon, impact (000 §四(一))
    description: Mapped[str] = mapped_column(sa.Text)
    occurred_at: Mapped[datetime | None] = mapped_column()
    place: Mapped[str | None] = mapped_column(sa.String(300))
    impact: Mapped[str | None] = mapped_column(sa.Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)  # indexed first in ix_ticket_received_figures
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    promised_feedback_at: Mapped[datetime | None] = mapped_column()
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    handling_mode: Mapped[HandlingMode | None] = mapped_column(enum_column(HandlingMode))
    # service-level clocks, computed at intake from the policy of the severity
    notify_by: Mapped[datetime | None] = mapped_column()
    respond_by: Mapped[datetime | None] = mapped_column(index=True)
    resolve_by: Mapped[datetime | None] = mapped_column(index=True)
    assigned_at: Mapped[datetime | None] = mapped_column()
    first_response_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    reopen_count: Mapped[int] = mapped_column(default=0)
    resolution: Mapped[str | None] = mapped_column(sa.Text)
    root_cause: Mapped[str | None] = mapped_column(sa.Text)
    prevention: Mapped[str | None] = mapped_column(sa.Text)

    contact: Mapped[Contact | None] = relationship()
    project: Mapped[Project | None] = relationship()
    assignee: Mapped[Staff | None] = relationship(foreign_keys=[assignee_id])
    received_by: Mapped[Staff | None] = relationship(foreign_keys=[received_by_id])

    __table_args__ = (
        sa.CheckConstraint("reopen_count >= 0", name="reopen_count_positive"),
        sa.Index("ix_ticket_status_resolve_by", "status", "resolve_by"),
        sa.Index("ix_ticket_status_closed_at", "status", "closed_at"),  # CS: closed lately, to call back
        # the lists' sorts by meaning (views/enum_columns.order_by_meaning): rank, then id
        sa.Index("ix_ticket_status_rank", meaning_rank(sa.literal_column("status"), TicketStatus), "id"),
        sa.Index("ix_ticket_severity_rank", meaning_rank(sa.literal_column("severity"), Severity), "id"),
        # KPI summary and the dashboard's period charts read only these columns of a period's
        # tickets: an index-only scan instead of fetching 70 000 wide rows a year (migration 0019)
        sa.Index("ix_ticket_received_figures", *FIGURE_COLUMNS),
        sa.Index("ix_ticket_received_kpi", *KPI_COLUMNS),
        # the list's default order, newest first: a deep page walks these narrow entries, and a
        # list filtered by status reads its page in order (0022)
        sa.Index("ix_ticket_received_order", "received_at", "id"),
        sa.Index("ix_ticket_status_received", "status", "received_at", "id"),
    )

    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", cascade="all, delete-orphan",
        passive_deletes=True,
    )
    repair_records: Mapped[list[RepairRecord]] = relationship(
        back_populates="ticket", order_by="RepairRecord.arrived_at"
    )
    fault_analyses: Mapped[list[FaultAnalysis]] = relationship(back_populates="ticket")
    solution_plan: Mapped[SolutionPlan | None] = relationship(back_populates="ticket", uselist=False)
    survey: Mapped[SatisfactionSurvey | None] = relationship(back_populates="ticket", uselist=False)

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def link(self):
        """The ticket number as a link to the ticket page (used by the work lists)."""
        from flask import url_for
        from markupsafe import Markup, escape

        return Markup('<a href="%s">%s</a>') % (url_for("TicketView.show", pk=self.id), escape(self.number))

    @property
    def sla_flag(self) -> SlaState | str:
        """Overdue / due soon, or "" when on time: the lists and the ticket page show it as a
        badge (views/sla_badge.py), the export as its words."""
        return sla_state(self) or ""

    @property
    def needs_solution_plan(self) -> bool:
        """Important and emergency tickets get a solution plan (000 §四(三))."""
        return self.severity in (Severity.important, Severity.emergency)

    @property
    def signed_repair(self) -> bool:
        """True when an on-site repair record carries the customer's sign-off."""
        return any(r.is_signed for r in self.repair_records)

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        for field in ("title", "description"):
            value = getattr(self, field)
            if isinstance(value, str) and not value.strip():
                errors[field] = str(_l("This field is required."))
        customer = self.customer
        for field in ("contact", "project", "equipment"):
            related = getattr(self, field)
            if related is not None and customer is not None and related.customer_id != customer.id:
                errors[field] = str(_l("It belongs to another customer."))
        return errors

    @property
    def warranty(self):
        """Warranty status for screens: in / out / unknown."""
        state = self.in_warranty()
        return _l("Unknown") if state is None else _l("In warranty") if state else _l("Out of warranty")

    def in_warranty(self, on: date | None = None) -> bool | None:
        """Warranty status derived from the equipment, else the project; None if unknown."""
        on = on or (clock.to_local(self.received_at).date() if self.received_at else clock.today_local())
        if self.equipment is not None and self.equipment.warranty_until():
            return self.equipment.in_warranty(on)
        if self.project is not None:
            return self.project.in_warranty(on)
        return None
