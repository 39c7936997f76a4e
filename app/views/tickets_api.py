"""The ticket API's endpoints (intake, moves, notes) and the read-only timeline API."""
from __future__ import annotations

from flask import g, request
from flask_appbuilder.const import API_RESULT_RES_KEY
from flask_babel import gettext as _
from marshmallow import fields

from ..clock import now_utc
from ..extensions import db
from ..models import Ticket, TicketEvent
from ..notifications import survey
from ..security.rows import own_rows
from ..services import tickets as service
from .actions import run_api
from .endpoints import api_action
from .interface import ServiceInterface
from .service_api import ServiceApi
from .ticket_bulk import TicketBulkApiMixin
from .ticket_filters import DueSoonFilter, OpenFilter, OverdueFilter

API_LIST = [
    "id", "number", "status", "severity", "category", "channel", "customer.id", "customer.name",
    "title", "assignee.id", "assignee.name", "handling_mode", "received_at", "respond_by",
    "resolve_by", "first_response_at", "resolved_at", "closed_at", "reopen_count",
]
API_SHOW = [  # the record: the list's columns and these
    "description", "contact.id", "project.id", "equipment.id", "occurred_at", "place", "impact",
    "received_by.id", "received_by.name", "promised_feedback_at", "notify_by", "assigned_at",
    "resolution", "root_cause", "prevention",
]


class TicketCalls(TicketBulkApiMixin):
    """The ticket API's own endpoints: intake (numbered, deadlines computed), moves, notes, the
    survey link on every record; the resource itself is declared in views/tickets.py (TICKET)."""

    # rison: (col:resolve_by,opr:ovd,value:1) overdue, opr:dsn due soon; (col:status,opr:opn,value:1) open
    search_filters = {"resolve_by": [OverdueFilter, DueSoonFilter], "status": [OpenFilter]}

    def _build_model_schemas(self):
        super()._build_model_schemas()
        # pre_get adds the link to every record shown: declared, or the document would forbid it
        self.show_model_schema.fields["survey_url"] = fields.String(allow_none=True, dump_only=True)

    def pre_get(self, data):
        """The customer's survey link while it is open (API.md "Customer survey link")."""
        ticket = db.session.get(Ticket, int(data["id"]))
        link = survey.open_link_of(ticket, now_utc()) if ticket is not None else None
        data[API_RESULT_RES_KEY]["survey_url"] = survey.url_of(link) if link else None

    def post_headless(self):
        """Intake: the service numbers the ticket and computes its deadlines."""
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message=_("Request body must be a JSON object"))
        item, error = self._load_checked(self.add_model_schema, request.json)
        if error:
            return error
        return self._commit(lambda: service.intake(item, g.user), item, 201)

    @api_action("/<int:pk>/transition", "transition")
    def transition(self, pk):
        """Move a ticket: {"to", "assignee", "note"} (+ optional handling_mode, resolution, root_cause, prevention).
        ---
        post:
          responses:
            200: {description: the ticket after the move}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: move not allowed from the current status}
            422: {$ref: '#/components/responses/422'}
        """
        ticket, body, refusal = self._ticket_and_body(pk)
        if refusal is not None:
            return refusal
        if "to" not in body:
            return self.response_422(message={"to": _("Give the status to move to.")})
        extras = {k: body.get(k) for k in ("handling_mode", "resolution", "root_cause", "prevention")}
        return self._commit(
            lambda: service.transition(ticket, body["to"], g.user, assignee_id=body.get("assignee"),
                                       note=body.get("note"), **extras),
            ticket, 200,
        )

    def _ticket_and_body(self, pk):
        """The ticket the caller may see and the JSON object posted, or the 404 / 400 to answer instead."""
        ticket = self.datamodel.get(pk, self._base_filters)
        if ticket is None:
            return None, None, self.response_404()
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return ticket, None, self.response_400(message=_("Request body must be a JSON object"))
        return ticket, body, None

    @api_action("/<int:pk>/note", "note")
    def note(self, pk):
        """Add a progress note {"note"} to the ticket's timeline.
        ---
        post:
          responses:
            200: {description: the ticket}
            404: {$ref: '#/components/responses/404'}
            422: {$ref: '#/components/responses/422'}
        """
        ticket, body, refusal = self._ticket_and_body(pk)
        if refusal is not None:
            return refusal
        return self._commit(lambda: service.add_note(ticket, g.user, body.get("note")), ticket, 200)

    def _commit(self, action, ticket: Ticket, status: int):
        """Run a service action and commit; its DomainError status (403/409/422) becomes the reply."""
        def act():
            action()
            db.session.add(ticket)
            db.session.flush()
            return {"id": ticket.id, "result": self.show_model_schema.dump(ticket)}

        return run_api(self, act, status)


class TicketEventApi(ServiceApi):
    """The timeline, read-only: entries are written by the ticket service only."""

    resource_name = "ticket_event"
    datamodel = ServiceInterface(TicketEvent)
    include_route_methods = {"get", "get_list", "info", "export_xlsx"}
    base_filters = [own_rows("ticket_id", lambda model, mine: model.ticket.has(Ticket.assignee_id.in_(mine)))]
    list_columns = ["id", "ticket.id", "ticket.number", "at", "user.username", "from_status", "to_status", "note"]
    show_columns = list_columns
    search_columns = ["ticket", "at", "to_status"]
    order_columns = ["at", "id"]
    base_order = ("id", "asc")
