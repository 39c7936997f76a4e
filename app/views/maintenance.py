"""Screens and APIs of maintenance plans and records, and of upgrade requests."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

from .. import clock
from ..models import MaintenancePlan, MaintenanceRecord, UpgradeRequest, UpgradeStatus
from ..services import maintenance as svc
from .date_entry import LocalDateField
from .interface import ServiceInterface
from .registers import RegisterApi, RegisterView, WorkflowApi, WorkflowView

PLAN_FIELDS = ["title", "kind", "customer", "equipment", "content", "method", "owner",
               "planned_start", "planned_end", "status", "completed_on"]
RECORD_FIELDS = ["plan", "performed_on", "performed_by", "content", "outcome", "result", "tested"]
UPGRADE_FIELDS = [
    "title", "source", "need", "customer", "product", "description", "requested_on", "requester",
    "feasibility", "cost_benefit", "estimated_cost", "priority", "evaluation",
    "plan_goal", "plan_steps", "test_plan", "risk_measures", "planned_start", "planned_end", "decision_note",
]


class MaintenanceRecordView(RegisterView):
    datamodel = ServiceInterface(MaintenanceRecord)
    list_columns = ["performed_on", "plan", "performed_by", "outcome", "tested"]
    search_columns = ["performed_on", "outcome", "tested", "content"]
    add_columns = edit_columns = RECORD_FIELDS
    base_order = ("performed_on", "desc")

    def pre_add(self, item):
        svc.apply_record(item)

    pre_update = pre_add


class MaintenancePlanView(RegisterView):
    datamodel = ServiceInterface(MaintenancePlan)
    list_columns = ["title", "kind", "customer", "owner", "planned_start", "planned_end", "status"]
    search_columns = ["title", "kind", "status", "planned_start", "planned_end"]
    add_columns = edit_columns = PLAN_FIELDS
    base_order = ("planned_start", "desc")
    related_views = [MaintenanceRecordView]


class UpgradeRequestView(WorkflowView):
    datamodel = ServiceInterface(UpgradeRequest)
    workflow, status_enum = svc, UpgradeStatus
    list_columns = ["requested_on", "title", "source", "customer", "priority", "status", "planned_end"]
    search_columns = ["title", "source", "need", "priority", "status", "requested_on"]
    add_columns = edit_columns = UPGRADE_FIELDS
    show_columns = UPGRADE_FIELDS[:8] + ["status", "evaluated_by", "evaluated_on", "decided_by", "decided_on",
                                         "implemented_on"] + UPGRADE_FIELDS[8:]
    base_order = ("requested_on", "desc")
    add_form_extra_fields = {"requested_on": LocalDateField(_l("Requested on"), validators=[Optional()])}

    def pre_add(self, item):
        item.requested_on = item.requested_on or clock.today_local()


class MaintenancePlanApi(RegisterApi):
    resource_name = "maintenance_plan"
    datamodel = ServiceInterface(MaintenancePlan)
    list_columns = ["id", "title", "kind", "customer_id", "equipment_id", "owner_id", "planned_start",
                    "planned_end", "status", "completed_on"]
    show_columns = list_columns + ["content", "method"]
    add_columns = edit_columns = PLAN_FIELDS
    search_columns = ["kind", "status", "customer", "planned_start", "planned_end"]
    order_columns = ["planned_start", "planned_end", "status"]
    base_order = ("planned_start", "desc")


class MaintenanceRecordApi(RegisterApi):
    resource_name = "maintenance_record"
    datamodel = ServiceInterface(MaintenanceRecord)
    list_columns = ["id", "plan_id", "performed_on", "performed_by_id", "outcome", "tested"]
    show_columns = list_columns + ["content", "result"]
    add_columns = edit_columns = RECORD_FIELDS
    search_columns = ["plan", "outcome", "performed_on"]
    order_columns = ["performed_on"]
    base_order = ("performed_on", "desc")

    def prepare(self, item):
        svc.apply_record(item)


class UpgradeRequestApi(WorkflowApi):
    resource_name = "upgrade_request"
    datamodel = ServiceInterface(UpgradeRequest)
    workflow = svc
    list_columns = ["id", "title", "source", "need", "customer_id", "requested_on", "status", "priority",
                    "feasibility", "planned_start", "planned_end"]
    show_columns = list_columns + [
        "product", "description", "requester", "cost_benefit", "estimated_cost", "evaluation",
        "evaluated_by_id", "evaluated_on", "decided_by_id", "decided_on", "decision_note", "plan_goal",
        "plan_steps", "test_plan", "risk_measures", "implemented_on",
    ]
    add_columns = edit_columns = UPGRADE_FIELDS
    search_columns = ["source", "status", "priority", "requested_on", "customer"]
    order_columns = ["requested_on", "status", "priority"]
    base_order = ("requested_on", "desc")
