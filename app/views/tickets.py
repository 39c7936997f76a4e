"""Ticket screens: list with SLA filters, the ticket page with timeline and move buttons."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import notifications
from ..clock import now_utc
from ..extensions import db
from ..models import Staff, Ticket, TicketStatus
from ..notifications import survey
from ..security.rows import own_rows
from ..services import ticket_links
from ..services import tickets as service
from ..services.paper.service_report import write_service_report
from .actions import run_html
from .customer_story import customer_link
from .print_views import ServiceReportPrint
from .register_spec import Register, build
from .sla_badge import sla_badge
from .ticket_bulk import TicketBulkMixin, TicketLinkMixin
from .ticket_filters import EXTRA_FILTERS, DueSoonFilter, OpenFilter, OverdueFilter, add_extra_filters, filter_url_arg
from .ticket_parts import ticket_parts
from .tickets_api import API_LIST, API_SHOW, TicketCalls

LIST_COLUMNS = ["number", "received_at", "customer", "title", "severity", "status",
                "assignee", "resolve_by", "sla_flag"]
SHOW_COLUMNS = [
    "number", "status", "sla_flag", "severity", "category", "channel", "customer", "contact",
    "project", "equipment", "warranty", "title", "description", "occurred_at", "place", "impact",
    "received_at", "received_by", "promised_feedback_at", "assignee", "handling_mode",
    "notify_by", "respond_by", "resolve_by", "assigned_at", "first_response_at", "resolved_at",
    "closed_at", "reopen_count", "resolution", "root_cause", "prevention",
]
ADD_COLUMNS = [
    "customer", "contact", "project", "equipment", "channel", "category", "severity", "title",
    "description", "occurred_at", "place", "impact", "promised_feedback_at", "handling_mode",
]
EDIT_COLUMNS = [
    "contact", "project", "equipment", "category", "severity", "title", "description",
    "occurred_at", "place", "impact", "promised_feedback_at", "handling_mode",
    "resolution", "root_cause", "prevention",
]
SEARCH_COLUMNS = ["number", "title", "status", "severity", "category", "channel", "assignee",
                  "customer_id", "received_at", "resolve_by"]

TICKET_LABELS = Ticket.__field_labels__


def engineers() -> list[Staff]:
    """Active engineers a ticket can be assigned to."""
    stmt = sa.select(Staff).where(Staff.active, Staff.position.in_(service.ASSIGNABLE)).order_by(Staff.name)
    return list(db.session.scalars(stmt))


class TicketScreen(TicketBulkMixin, TicketLinkMixin, ServiceReportPrint):
    """The ticket screens' own pages: the list with quick SLA filters, the ticket page with its
    timeline, parts and move buttons, moves and progress notes."""

    attachment_record = "ticket"
    label_columns = dict(TICKET_LABELS)  # a copy: FAB fills English defaults into this dict in place
    list_template = "tickets/list.html"
    show_template = "tickets/show.html"
    # the customer's name opens the customer's story
    formatters_columns = {"customer": customer_link, "sla_flag": sla_badge}
    # the list actions check can_bulk_assign / can_link
    method_permission_name = {"bulk_assign_action": "bulk_assign", "link_related_action": "link",
                              "mark_duplicates_action": "link"}

    def _init_properties(self):
        super()._init_properties()
        add_extra_filters(self, EXTRA_FILTERS)
        # the customer filter's value is a search box (an id): "name contains" stays for old links only
        self._filters._search_filters["customer_id"] = [
            f for f in self._filters._search_filters.get("customer_id", []) if f.arg_name != "cnm"]

    # --- pages ------------------------------------------------------------------
    @expose("/list/")
    @has_access
    def list(self):
        self.update_redirect()
        widgets = self._list()
        base = url_for(f"{type(self).__name__}.list")
        quick = [
            (_("Open"), f"{base}?{filter_url_arg(self, 'status', OpenFilter)}=1"),
            (_("Overdue"), f"{base}?{filter_url_arg(self, 'resolve_by', OverdueFilter)}=1"),
            (_("Due soon"), f"{base}?{filter_url_arg(self, 'resolve_by', DueSoonFilter)}=1"),
        ]
        return self.render_template(self.list_template, title=self.list_title, widgets=widgets, quick=quick)

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        widgets = self._show(pk)  # 404 for a row the base filters hide
        ticket = self.datamodel.get(pk, self._base_filters)
        return self.render_template(
            self.show_template, pk=pk, title=self.show_title, widgets=widgets,
            related_views=self._related_views, ticket=ticket,
            moves=service.allowed_moves(ticket, g.user), move_labels=service.MOVE_LABELS,
            engineers=engineers(), statuses=TicketStatus, can=self._can,
            timeline=timeline(ticket), survey_link=_survey_url(ticket), parts=ticket_parts(ticket),
            links=ticket_links.links_of(ticket),
        )

    def _can(self, view: str, perm: str) -> bool:
        return self.appbuilder.sm.has_access(perm, view)

    @expose("/transition/<int:pk>", methods=["POST"])
    @has_access
    def transition(self, pk):
        """A move button / form of the ticket page, through the same service as the API."""
        ticket = self.datamodel.get(pk, self._base_filters) or abort(404)
        form = request.form

        def move():
            service.transition(
                ticket, form.get("to"), g.user, assignee_id=form.get("assignee") or None,
                note=form.get("note"), handling_mode=form.get("handling_mode") or None,
                resolution=form.get("resolution"), root_cause=form.get("root_cause"),
                prevention=form.get("prevention"),
            )
            return _("Ticket %(number)s is now: %(status)s", number=ticket.number, status=ticket.status.label)

        return run_html(move, url_for("TicketView.show", pk=pk))

    @expose("/note/<int:pk>", methods=["POST"])
    @has_access
    def note(self, pk):
        """Add a free-text progress note to the timeline."""
        ticket = self.datamodel.get(pk, self._base_filters) or abort(404)

        def add():
            service.add_note(ticket, g.user, request.form.get("note", ""))
            return _("Progress note added.")

        return run_html(add, url_for("TicketView.show", pk=pk))


def timeline(ticket: Ticket) -> list[tuple]:
    """The ticket's moves and notes with what was sent to whom about it, in time order."""
    entries = [(e.at, 0, "event", e) for e in ticket.events]
    entries += [(sent["at"], 1, "sent", sent) for sent in notifications.sent_for("ticket", ticket.id)]
    return [(kind, item) for _at, _order, kind, item in sorted(entries, key=lambda e: (e[0], e[1]))]


def _survey_url(ticket: Ticket) -> str | None:
    link = survey.open_link_of(ticket, now_utc())
    return survey.url_of(link) if link else None


def _intake_or_edit(ticket: Ticket) -> None:
    """A new ticket is registered by the service (number, deadlines, timeline); an edit is checked
    by it (a new severity moves the deadlines, a closed ticket keeps its record)."""
    if sa.inspect(ticket).persistent:
        service.check_edit(ticket)
    else:
        service.intake(ticket, g.user)


TICKET = Register(
    Ticket, "ticket", form=ADD_COLUMNS, edit=EDIT_COLUMNS, base_order=("received_at", "desc"),
    list=LIST_COLUMNS, show=SHOW_COLUMNS, search=SEARCH_COLUMNS,
    order=["number", "received_at", "severity", "status", "resolve_by"],
    api_list=API_LIST, api_show=API_SHOW,
    api_form=[*ADD_COLUMNS[:-1], "resolve_by", ADD_COLUMNS[-1]],  # the API may set the deadline
    api_search=["number", "status", "severity", "category", "channel", "customer", "assignee", "received_at",
                "resolve_by", "closed_at"],
    api_order=["number", "received_at", "severity", "status", "resolve_by", "closed_at"],
    prepare=_intake_or_edit, base_filters=[own_rows("assignee_id")],
    paper_form=write_service_report, paper_form_label=_l("Service report (Excel)"),
    screen_mixins=(TicketScreen,), api_mixins=(TicketCalls,),
)
TicketView, TicketApi = build(TICKET)
