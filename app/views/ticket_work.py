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
from .endpoints import api_action
from .print_views import RepairRecordPrint
from .register_spec import Register, build


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
REPAIR_CHOICES = {"ticket": OPEN_TICKETS, "engineers": ENGINEERS}


REPAIR_FORM = ["ticket", "engineers", "arrived_at", "departed_at", "work_done", "parts_replaced",
               "result", "customer_signer", "signed_at"]
FAULT_FORM = ["ticket", "equipment", "fault_type", "phenomenon", "cause_analysis", "frequency",
              "corrective_action", "improvement_suggestion", "analysed_by", "analysed_on"]
SURVEY_FORM = ["ticket", "timeliness", "effectiveness", "attitude", "comment", "surveyed_by"]
PLAN_FORM = ["ticket", "consulted_experts", "steps", "owner", "milestones", "due_on"]


def _repair(item) -> None:
    ticket_forms.record_repair(item, g.user)


def _survey(item) -> None:
    ticket_forms.record_survey(item, g.user)


class SignatureCalls:
    """PUT the customer's drawn signature on a repair record."""

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


class SurveyForm:
    """One survey per ticket, as an error next to the ticket (the save refuses it too, with a 409)."""

    def record_rules(self, values):
        ticket = values.get("ticket")
        pk = (request.view_args or {}).get("pk")
        taken = ticket_forms.survey_taken(getattr(ticket, "id", None), int(pk) if str(pk).isdigit() else None)
        return {"ticket": taken} if taken else {}


REPAIR = Register(
    RepairRecord, "repair_record", form=REPAIR_FORM, show=REPAIR_FORM, base_order=("arrived_at", "desc"),
    base_filters=[own_rows("id", _my_repairs)],
    list=["ticket", "arrived_at", "departed_at", "engineer_names", "result", "customer_signer", "signed_at"],
    search=["arrived_at", "result", "customer_signer", "signed_at"],
    api_list=["id", "ticket.id", "ticket.number", "arrived_at", "departed_at", "engineers.id", "engineers.name",
              "work_done", "parts_replaced", "result", "customer_signer", "signed_at"],
    api_search=["ticket", "arrived_at", "result", "signed_at"], api_order=["arrived_at", "signed_at"],
    prepare=_repair, paper_form=write_repair_record, paper_form_label=_l("Repair record (Excel)"),
    screen={"attachment_record": "repair_record", "add_form_query_rel_fields": REPAIR_CHOICES,
            "edit_form_query_rel_fields": REPAIR_CHOICES},
    screen_mixins=(RepairRecordPrint,), api_mixins=(SignatureCalls,),
)
RepairRecordView, RepairRecordApi = build(REPAIR)

FAULT = Register(
    FaultAnalysis, "fault_analysis", form=FAULT_FORM, show=FAULT_FORM, base_order=("analysed_on", "desc"),
    base_filters=[own_rows("id", _my_analyses)],
    list=["analysed_on", "fault_type", "equipment", "ticket", "frequency", "analysed_by"],
    search=["fault_type", "analysed_on", "frequency", "equipment_id"],
    api_list=["id", "ticket.id", "ticket.number", "equipment.id", "fault_type", "phenomenon", "cause_analysis",
              "frequency", "corrective_action", "improvement_suggestion", "analysed_by.id", "analysed_on"],
    api_search=["ticket", "equipment", "fault_type", "analysed_on"], api_order=["analysed_on", "fault_type"],
    paper_form=write_fault_analysis, paper_form_label=_l("Fault analysis form (Excel)"),
    screen={"add_form_query_rel_fields": {"analysed_by": ENGINEERS},
            "edit_form_query_rel_fields": {"analysed_by": ENGINEERS}},
)
FaultAnalysisView, FaultAnalysisApi = build(FAULT)

SURVEY = Register(
    SatisfactionSurvey, "satisfaction_survey", form=SURVEY_FORM, show=SURVEY_FORM + ["surveyed_at"],
    base_order=("surveyed_at", "desc"),
    list=["ticket", "timeliness", "effectiveness", "attitude", "surveyed_by", "surveyed_at"],
    search=["timeliness", "effectiveness", "attitude", "surveyed_at"],
    api_list=["id", "ticket.id", "ticket.number", "timeliness", "effectiveness", "attitude", "comment",
              "surveyed_by.id", "surveyed_at"],
    api_search=["ticket", "surveyed_at"], api_order=["surveyed_at"], prepare=_survey,
    screen={"add_form_query_rel_fields": {"ticket": CLOSED_TICKETS}}, screen_mixins=(SurveyForm,),
)
SatisfactionSurveyView, SatisfactionSurveyApi = build(SURVEY)

PLAN = Register(
    SolutionPlan, "solution_plan", form=PLAN_FORM, show=PLAN_FORM, base_order=("due_on", "asc"),
    base_filters=[own_rows("ticket_id", _mine_via_ticket)], list=["ticket", "owner", "due_on", "updated_at"],
    search=["due_on"],
    api_list=["id", "ticket.id", "ticket.number", "consulted_experts", "steps", "owner.id", "milestones", "due_on"],
    api_search=["ticket", "due_on"], api_order=["due_on"],
    screen={"add_form_query_rel_fields": {"ticket": OPEN_TICKETS, "owner": ENGINEERS}},
)
SolutionPlanView, SolutionPlanApi = build(PLAN)

SLA_FORM = ["severity", "notify_minutes", "respond_minutes", "resolve_minutes", "warn_minutes"]
SLA = Register(
    SlaPolicy, "sla_policy", form=SLA_FORM, list=SLA_FORM, show=SLA_FORM, search=["severity"],
    base_order=("severity", "asc"), api_list=["id", *SLA_FORM], api_search=["severity"], api_order=["severity"],
)
SlaPolicyView, SlaPolicyApi = build(SLA)
