"""Forms attached to tickets: solution plan, on-site repair record, fault analysis, survey; SLA policy."""
from __future__ import annotations

from flask import g, request
from flask_appbuilder.models.sqla.filters import FilterEqual, FilterInFunction
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..clock import isoformat
from ..models import (
    FaultAnalysis,
    Position,
    RepairRecord,
    SatisfactionSurvey,
    SlaPolicy,
    SolutionPlan,
    Staff,
    Ticket,
    TicketStatus,
)
from ..models.base import DomainError
from ..security.rows import OwnRowsFilter, own_rows
from ..services import sla, ticket_forms
from ..services.paper.fault_analysis import write_fault_analysis
from ..services.paper.repair_record import write_repair_record
from ..unit_of_work import unit_of_work
from .base import ServiceModelView
from .endpoints import api_action
from .interface import ServiceInterface
from .print_views import RepairRecordPrint
from .service_api import ServiceApi
from .tickets import _rolled_back


def _open_statuses():
    return sla.OPEN_STATUSES


def _engineer_positions():
    return [Position.tech_engineer, Position.field_engineer]


def _mine_via_ticket(model, mine):
    return model.ticket.has(Ticket.assignee_id.in_(mine))


def _my_repairs(model, mine):
    return model.engineers.any(Staff.id.in_(mine)) | model.ticket.has(Ticket.assignee_id.in_(mine))


def _my_analyses(model, mine):
    """Field engineers see analyses of their own tickets and those tied to equipment only."""
    return model.ticket_id.is_(None) | model.ticket.has(Ticket.assignee_id.in_(mine))


OPEN_TICKETS = [["status", FilterInFunction, _open_statuses], ["assignee_id", OwnRowsFilter, None]]
CLOSED_TICKETS = [["status", FilterEqual, TicketStatus.closed]]
ENGINEERS = [["position", FilterInFunction, _engineer_positions], ["active", FilterEqual, True]]


REPAIR_FORM = ["ticket", "engineers", "arrived_at", "departed_at", "work_done", "parts_replaced",
               "result", "customer_signer", "signed_at"]
FAULT_FORM = ["ticket", "equipment", "fault_type", "phenomenon", "cause_analysis", "frequency",
              "corrective_action", "improvement_suggestion", "analysed_by", "analysed_on"]
SURVEY_FORM = ["ticket", "timeliness", "effectiveness", "attitude", "comment", "surveyed_by"]
PLAN_FORM = ["ticket", "consulted_experts", "steps", "owner", "milestones", "due_on"]


class RepairRecordView(RepairRecordPrint, ServiceModelView):
    attachment_record = "repair_record"
    datamodel = ServiceInterface(RepairRecord)
    paper_form = write_repair_record
    paper_form_label = _l("Repair record (Excel)")
    base_filters = [own_rows("id", _my_repairs)]
    list_columns = ["ticket", "arrived_at", "departed_at", "engineer_names", "result", "customer_signer", "signed_at"]
    show_columns = REPAIR_FORM
    add_columns = edit_columns = REPAIR_FORM
    search_columns = ["arrived_at", "result", "customer_signer", "signed_at"]
    base_order = ("arrived_at", "desc")
    add_form_query_rel_fields = edit_form_query_rel_fields = {"ticket": OPEN_TICKETS, "engineers": ENGINEERS}

    def pre_add(self, item):
        _rolled_back(ticket_forms.record_repair, item, g.user)

    pre_update = pre_add


class RepairRecordApi(ServiceApi):
    resource_name = "repair_record"
    datamodel = ServiceInterface(RepairRecord)
    base_filters = [own_rows("id", _my_repairs)]
    list_columns = ["id", "ticket.id", "ticket.number", "arrived_at", "departed_at", "engineers.id",
                    "engineers.name", "work_done", "parts_replaced", "result", "customer_signer", "signed_at"]
    show_columns = list_columns
    add_columns = edit_columns = REPAIR_FORM
    search_columns = ["ticket", "arrived_at", "result", "signed_at"]
    order_columns = ["arrived_at", "signed_at"]
    base_order = ("arrived_at", "desc")

    def pre_add(self, item):
        ticket_forms.record_repair(item, g.user)

    pre_update = pre_add


    @api_action("/<int:pk>/signature", "put")
    def signature(self, pk):
        """The customer's drawn signature: {"signer", "image": "data:image/png;base64,…"} → 201; then locked.
        ---
        post:
          responses:
            201: {description: Signed}
            409: {description: Already signed}
            413: {description: Image over 512 KB}
        """
        record = self.datamodel.get(pk, self._base_filters)
        if record is None:
            return self.response_404()
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response_400(message=_("Request body must be a JSON object"))
        try:
            with unit_of_work():
                ticket_forms.sign_repair(record, body.get("signer"), body.get("image"), g.user)
        except DomainError as err:
            return self.response(err.status, message=err.errors)
        return self.response(201, id=record.id, customer_signer=record.customer_signer,
                             signed_at=isoformat(record.signed_at), signature_id=record.signature_id,
                             sha256=record.signature.sha256)


class FaultAnalysisView(ServiceModelView):
    datamodel = ServiceInterface(FaultAnalysis)
    paper_form = write_fault_analysis
    paper_form_label = _l("Fault analysis form (Excel)")
    base_filters = [own_rows("id", _my_analyses)]
    list_columns = ["analysed_on", "fault_type", "equipment", "ticket", "frequency", "analysed_by"]
    show_columns = add_columns = edit_columns = FAULT_FORM
    search_columns = ["fault_type", "analysed_on", "frequency", "equipment_id"]
    base_order = ("analysed_on", "desc")
    add_form_query_rel_fields = edit_form_query_rel_fields = {"analysed_by": ENGINEERS}


class FaultAnalysisApi(ServiceApi):
    resource_name = "fault_analysis"
    datamodel = ServiceInterface(FaultAnalysis)
    base_filters = [own_rows("id", _my_analyses)]
    list_columns = ["id", "ticket.id", "ticket.number", "equipment.id", "fault_type", "phenomenon",
                    "cause_analysis", "frequency", "corrective_action", "improvement_suggestion",
                    "analysed_by.id", "analysed_on"]
    show_columns = list_columns
    add_columns = edit_columns = FAULT_FORM
    search_columns = ["ticket", "equipment", "fault_type", "analysed_on"]
    order_columns = ["analysed_on", "fault_type"]
    base_order = ("analysed_on", "desc")


class SatisfactionSurveyView(ServiceModelView):
    datamodel = ServiceInterface(SatisfactionSurvey)
    list_columns = ["ticket", "timeliness", "effectiveness", "attitude", "surveyed_by", "surveyed_at"]
    show_columns = SURVEY_FORM + ["surveyed_at"]
    add_columns = edit_columns = SURVEY_FORM
    search_columns = ["timeliness", "effectiveness", "attitude", "surveyed_at"]
    base_order = ("surveyed_at", "desc")
    add_form_query_rel_fields = {"ticket": CLOSED_TICKETS}

    def record_rules(self, values):
        ticket = values.get("ticket")
        pk = (request.view_args or {}).get("pk")
        taken = ticket_forms.survey_taken(getattr(ticket, "id", None), int(pk) if str(pk).isdigit() else None)
        return {"ticket": taken} if taken else {}

    def pre_add(self, item):
        _rolled_back(ticket_forms.record_survey, item, g.user)


class SatisfactionSurveyApi(ServiceApi):
    resource_name = "satisfaction_survey"
    datamodel = ServiceInterface(SatisfactionSurvey)
    list_columns = ["id", "ticket.id", "ticket.number", "timeliness", "effectiveness", "attitude",
                    "comment", "surveyed_by.id", "surveyed_at"]
    show_columns = list_columns
    add_columns = edit_columns = SURVEY_FORM
    search_columns = ["ticket", "surveyed_at"]
    order_columns = ["surveyed_at"]
    base_order = ("surveyed_at", "desc")

    def pre_add(self, item):
        ticket_forms.record_survey(item, g.user)

    pre_update = pre_add


class SolutionPlanView(ServiceModelView):
    datamodel = ServiceInterface(SolutionPlan)
    base_filters = [own_rows("ticket_id", _mine_via_ticket)]
    list_columns = ["ticket", "owner", "due_on", "updated_at"]
    show_columns = add_columns = edit_columns = PLAN_FORM
    search_columns = ["due_on"]
    base_order = ("due_on", "asc")
    add_form_query_rel_fields = {"ticket": OPEN_TICKETS, "owner": ENGINEERS}


class SolutionPlanApi(ServiceApi):
    resource_name = "solution_plan"
    datamodel = ServiceInterface(SolutionPlan)
    base_filters = [own_rows("ticket_id", _mine_via_ticket)]
    list_columns = ["id", "ticket.id", "ticket.number", "consulted_experts", "steps", "owner.id",
                    "milestones", "due_on"]
    show_columns = list_columns
    add_columns = edit_columns = PLAN_FORM
    search_columns = ["ticket", "due_on"]
    order_columns = ["due_on"]
    base_order = ("due_on", "asc")


class SlaPolicyView(ServiceModelView):
    datamodel = ServiceInterface(SlaPolicy)
    list_columns = ["severity", "notify_minutes", "respond_minutes", "resolve_minutes", "warn_minutes"]
    show_columns = add_columns = edit_columns = list_columns
    search_columns = ["severity"]
    base_order = ("severity", "asc")


class SlaPolicyApi(ServiceApi):
    resource_name = "sla_policy"
    datamodel = ServiceInterface(SlaPolicy)
    list_columns = ["id", "severity", "notify_minutes", "respond_minutes", "resolve_minutes", "warn_minutes"]
    show_columns = list_columns
    add_columns = edit_columns = list_columns[1:]
    search_columns = ["severity"]
    order_columns = ["severity"]
    base_order = ("severity", "asc")
