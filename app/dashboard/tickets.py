"""Ticket charts, the overdue list and the ticket panels of the role home pages."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from ..charts import Chart
from ..date_buckets import hours_between
from ..extensions import db
from ..models import Ticket, TicketStatus
from ..models.base import utcnow
from ..security.roles import CS, FIELD, MANAGER, TECH
from ..services import kpi, sla
from . import DASHBOARD_PERMISSION, Panel, add_chart, add_panel, add_table, link
from .marks import severity_rank

OPEN = [s for s in TicketStatus if s.is_open]
LIST_LIMIT = 20


def is_open():
    return Ticket.status.in_(OPEN)


def overdue_filter(now=None):
    """SLA overdue, as the SLA service defines it: open and past its response or resolve-by time."""
    return sla.overdue_clause(now or utcnow())


def on_time():
    """1 when a counted ticket met resolve-by, else 0: its average is /api/v1/kpi/summary's rate."""
    return sa.case((kpi.on_time_met(utcnow()), 1.0), else_=0.0)


def by_urgency() -> list:
    """Ticket queue order: severity rank (emergency first), then the SLA resolve-by deadline."""
    return [severity_rank(Ticket.severity), Ticket.resolve_by.asc().nulls_last(), Ticket.id]


def ticket_rows(*where, order=None, limit: int = LIST_LIMIT, more: str | None = None, **more_args) -> dict:
    """`{"rows": [...], "total": n}` of the tickets matching, customer and assignee joined."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Ticket).where(*where))
    # only the two relations the lists show: the model's default eager joins (equipment →
    # project → customer …) made PostgreSQL spend ~30 ms planning a 12-table join
    only_shown = (orm.joinedload(Ticket.customer).lazyload("*"),
                  orm.joinedload(Ticket.assignee).lazyload("*"), orm.lazyload("*"))
    rows = db.session.scalars(
        sa.select(Ticket).options(*only_shown).where(*where)
        .order_by(*(order or [Ticket.received_at.desc()])).limit(limit)
    ).unique().all()
    return {"rows": rows, "total": total, "more": link(more, **more_args) if more and total > len(rows) else None}


def overdue_tickets(now=None, limit: int = LIST_LIMIT, *where) -> dict:
    return ticket_rows(overdue_filter(now), *where, order=[Ticket.resolve_by.asc()], limit=limit)


def due_soon_tickets(now=None, hours: int = 24, limit: int = LIST_LIMIT) -> dict:
    now = now or utcnow()
    return ticket_rows(is_open(), Ticket.resolve_by >= now, Ticket.resolve_by < now + timedelta(hours=hours),
                       order=[Ticket.resolve_by.asc()], limit=limit)


def open_counts_by_severity(*where) -> list[tuple]:
    """[(Severity, n)] of open tickets, every severity present once."""
    from ..models import Severity

    found = dict(db.session.execute(
        sa.select(Ticket.severity, sa.func.count()).where(is_open(), *where).group_by(Ticket.severity)
    ).all())
    return [(s, found.get(s, 0)) for s in Severity]


# --- manager dashboard ------------------------------------------------------------------
common = dict(permission=DASHBOARD_PERMISSION, own_rows="assignee_id")

add_chart(Chart("open_by_status", Ticket, _l("Open tickets by status and severity"),
                dimension="status", series="severity", where=is_open, stack=True, **common),
          section="tickets")
add_chart(Chart("open_by_severity", Ticket, _l("Open tickets by severity"),
                dimension="severity", where=is_open, kind="pie", **common), section="tickets")
add_chart(Chart("intake_weekly_by_channel", Ticket, _l("Intake per week by channel"),
                dimension="received_at", bucket="week", series="channel", stack=True,
                period_column="received_at", **common), section="tickets")
add_chart(Chart("intake_monthly_by_category", Ticket, _l("Intake per month by category"),
                dimension="received_at", bucket="month", series="category", stack=True,
                period_column="received_at", **common), section="tickets")
add_table("overdue", _l("Overdue tickets (past a response or resolve-by deadline)"), "service_levels",
          rows=lambda ctx: overdue_tickets(ctx["now"], 10), template="widgets/ticket_table.html", width=7)
add_table("due_soon", _l("Due within 24 hours"), "service_levels",
          rows=lambda ctx: due_soon_tickets(ctx["now"], limit=10), template="widgets/ticket_table.html", width=5)
add_chart(Chart("sla_on_time_monthly", Ticket, _l("Resolved on time, per month of intake"),
                dimension="received_at", bucket="month", measure="avg", value_column=on_time,
                where=lambda: kpi.on_time_counted(utcnow()),
                period_column="received_at", kind="line", value_format="percent",
                unit_label=_l("On-time rate"), **common), section="service_levels", width=4)
add_chart(Chart("response_hours", Ticket, _l("Average response time by severity"),
                dimension="severity", measure="avg", value_format="hours",
                value_column=lambda: hours_between(Ticket.received_at, Ticket.first_response_at),
                where=lambda: Ticket.first_response_at.is_not(None), period_column="received_at",
                unit_label=_l("Hours"), **common), section="service_levels", width=4)
add_chart(Chart("resolution_hours", Ticket, _l("Average resolution time by severity"),
                dimension="severity", measure="avg", value_format="hours",
                value_column=lambda: hours_between(Ticket.received_at, Ticket.resolved_at),
                where=lambda: Ticket.resolved_at.is_not(None), period_column="received_at",
                unit_label=_l("Hours"), **common), section="service_levels", width=4)
add_chart(Chart("workload", Ticket, _l("Engineer workload (open tickets)"),
                dimension="assignee.name", series="severity", where=is_open, kind="hbar",
                stack=True, limit=15, **common), section="service_levels", width=12)
add_chart(Chart("hotspot_equipment", Ticket, _l("Equipment models with most tickets"),
                dimension="equipment.model", kind="hbar", limit=10, period_column="received_at",
                **common), section="faults", width=4)
add_chart(Chart("hotspot_customer", Ticket, _l("Customers with most tickets"),
                dimension="customer.name", kind="hbar", limit=10, period_column="received_at",
                **common), section="faults", width=4)
add_chart(Chart("hotspot_category", Ticket, _l("Tickets by category"),
                dimension="category", kind="pie", period_column="received_at", **common),
          section="faults", width=4)


# --- role home pages --------------------------------------------------------------------
add_panel(Panel("overdue", _l("Overdue tickets"), {MANAGER}, order=10,
                rows=lambda ctx: overdue_tickets(ctx["now"], 10), template="panels/ticket_list.html"))
add_panel(Panel("open_by_severity", _l("Open tickets by severity"), {MANAGER}, order=20,
                rows=lambda ctx: open_counts_by_severity(), template="panels/counts.html"))
add_panel(Panel("new_tickets", _l("New tickets to dispatch"), {CS, MANAGER}, order=30,
                rows=lambda ctx: ticket_rows(Ticket.status == TicketStatus.new, order=by_urgency(), limit=10,
                                             more="TicketView.list", _flt_0_status="new"),
                template="panels/ticket_list.html"))
add_panel(Panel("my_tickets", _l("My open tickets"), {FIELD, TECH}, order=10,
                rows=lambda ctx: ticket_rows(is_open(), Ticket.assignee_id.in_(ctx["my_staff_ids"]),
                                             order=by_urgency(), limit=10, more="TicketView.list"),
                template="panels/ticket_list.html"))
add_panel(Panel("unassigned", _l("Unassigned open tickets"), {TECH, MANAGER}, order=40,
                rows=lambda ctx: ticket_rows(is_open(), Ticket.assignee_id.is_(None), order=by_urgency(), limit=10,
                                             more="TicketView.list"),
                template="panels/ticket_list.html"))
