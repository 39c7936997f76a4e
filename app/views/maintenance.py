"""Screens and APIs of maintenance plans and records, and of upgrade requests."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

from .. import clock
from ..models import MaintenancePlan, MaintenanceRecord, UpgradeRequest, UpgradeStatus
from ..services import maintenance as svc
from .date_entry import LocalDateField
from .register_spec import Register, build

PLAN_FIELDS = ["title", "kind", "customer", "equipment", "content", "method", "owner",
               "planned_start", "planned_end", "status", "completed_on"]
RECORD_FIELDS = ["plan", "performed_on", "performed_by", "content", "outcome", "result", "tested"]
UPGRADE_FIELDS = [
    "title", "source", "need", "customer", "product", "description", "requested_on", "requester",
    "feasibility", "cost_benefit", "estimated_cost", "priority", "evaluation",
    "plan_goal", "plan_steps", "test_plan", "risk_measures", "planned_start", "planned_end", "decision_note",
]


def _requested_today(item) -> None:
    item.requested_on = item.requested_on or clock.today_local()  # a form's empty date is None, not the default


RECORD = Register(
    MaintenanceRecord, "maintenance_record", form=RECORD_FIELDS, base_order=("performed_on", "desc"),
    list=["performed_on", "plan", "performed_by", "outcome", "tested"],
    search=["performed_on", "outcome", "tested", "content"],
    api_list=["id", "plan_id", "performed_on", "performed_by_id", "outcome", "tested"],
    api_show=["content", "result"], api_search=["plan", "outcome", "performed_on"], api_order=["performed_on"],
    prepare=svc.apply_record,
)
MaintenanceRecordView, MaintenanceRecordApi = build(RECORD)

PLAN = Register(
    MaintenancePlan, "maintenance_plan", form=PLAN_FIELDS, base_order=("planned_start", "desc"),
    list=["title", "kind", "customer", "owner", "planned_start", "planned_end", "status"],
    search=["title", "kind", "status", "planned_start", "planned_end"],
    api_list=["id", "title", "kind", "customer_id", "equipment_id", "owner_id", "planned_start", "planned_end",
              "status", "completed_on"],
    api_show=["content", "method"], api_search=["kind", "status", "customer", "planned_start", "planned_end"],
    api_order=["planned_start", "planned_end", "status"], screen={"related_views": [MaintenanceRecordView]},
)
MaintenancePlanView, MaintenancePlanApi = build(PLAN)

UPGRADE = Register(
    UpgradeRequest, "upgrade_request", form=UPGRADE_FIELDS, base_order=("requested_on", "desc"),
    workflow=svc, status_enum=UpgradeStatus,
    list=["requested_on", "title", "source", "customer", "priority", "status", "planned_end"],
    search=["title", "source", "need", "priority", "status", "requested_on"],
    show=UPGRADE_FIELDS[:8] + ["status", "evaluated_by", "evaluated_on", "decided_by", "decided_on",
                               "implemented_on"] + UPGRADE_FIELDS[8:],
    api_list=["id", "title", "source", "need", "customer_id", "requested_on", "status", "priority", "feasibility",
              "planned_start", "planned_end"],
    api_show=["product", "description", "requester", "cost_benefit", "estimated_cost", "evaluation",
              "evaluated_by_id", "evaluated_on", "decided_by_id", "decided_on", "decision_note", "plan_goal",
              "plan_steps", "test_plan", "risk_measures", "implemented_on"],
    api_search=["source", "status", "priority", "requested_on", "customer"],
    api_order=["requested_on", "status", "priority"], prepare=_requested_today,
    screen={"add_form_extra_fields": {"requested_on": LocalDateField(_l("Requested on"), validators=[Optional()])}},
)
UpgradeRequestView, UpgradeRequestApi = build(UPGRADE)
