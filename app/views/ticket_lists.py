"""Work lists over tickets: my tickets, the manager's escalation list, the CS call-back list."""
from __future__ import annotations

import sqlalchemy as sa
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l

from ..models import SatisfactionSurvey, Ticket, TicketStatus
from ..security.rows import my_staff_ids, own_rows
from ..services import sla
from .base import ServiceModelView
from .interface import ServiceInterface
from .sla_badge import sla_badge
from .tickets import TICKET_LABELS


class _Where(BaseFilter):
    """A fixed SQL condition given as a function of nothing (evaluated per request)."""

    name = "where"
    arg_name = None

    def apply(self, query, clause_fn):
        return query.filter(clause_fn())


def _mine_and_open():
    return sa.and_(Ticket.assignee_id.in_(my_staff_ids()), Ticket.status.in_(sla.OPEN_STATUSES))


def _closed_without_survey():
    surveyed = sa.select(SatisfactionSurvey.ticket_id)
    return sa.and_(Ticket.status == TicketStatus.closed, Ticket.id.not_in(surveyed))


class _WorkList(ServiceModelView):
    datamodel = ServiceInterface(Ticket)
    base_permissions = ["can_list"]
    # every listed column labelled here: the subclasses share this dict and FAB fills English into it
    label_columns = {**TICKET_LABELS, "customer": _l("Customer")}
    list_columns = ["link", "received_at", "customer", "title", "severity", "status", "assignee",
                    "respond_by", "resolve_by", "sla_flag"]
    formatters_columns = {"sla_flag": sla_badge}
    search_columns = ["number", "severity", "status", "received_at"]
    order_columns = ["received_at", "severity", "respond_by", "resolve_by"]


class MyTicketsView(_WorkList):
    """Open tickets assigned to the engineer who is logged in."""

    base_filters = [["id", _Where, _mine_and_open]]
    base_order = ("resolve_by", "asc")


class EscalationView(_WorkList):
    """Overdue tickets for the manager (seed 004 §四: escalate breaches)."""

    base_filters = [["id", _Where, lambda: sla.overdue_clause()], own_rows("assignee_id")]
    base_order = ("resolve_by", "asc")


class CallbackView(_WorkList):
    """Closed tickets whose customer has not been called back for the survey yet."""

    list_columns = ["link", "customer", "contact", "title", "assignee", "closed_at"]
    base_filters = [["id", _Where, _closed_without_survey]]
    order_columns = ["closed_at"]
    base_order = ("closed_at", "asc")
