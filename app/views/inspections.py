"""Screens and APIs of inspection plans, checklist templates, inspection records and item results."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..actor import current_staff_id
from ..models import InspectionChecklistItem, InspectionItemResult, InspectionPlan, InspectionRecord, ItemResult
from ..models.base import DomainError
from ..security.rows import own_rows
from ..services import inspections as svc
from ..services.paper.inspection_record import write_inspection_record
from .actions import run_api, run_html
from .endpoints import api_action, screen_action
from .register_spec import Register, build

PLAN_FIELDS = ["customer", "site", "equipment", "cycle", "cycle_days", "phase", "start_date", "end_date",
               "engineer", "active", "notes"]
RECORD_FIELDS = ["plan", "customer", "site", "equipment", "phase", "due_date", "status", "inspected_on",
                 "engineer", "engineers", "hidden_dangers", "customer_questions", "dust_cleaned", "summary",
                 "customer_signer", "analysis"]


def _plan_rules(self, item, pk):
    if item.equipment is not None and item.customer is not None and item.equipment.customer_id != item.customer.id:
        return {"equipment": _("The equipment belongs to another customer.")}
    return {}


class InspectionRecordScreen:
    """Tickets from abnormal checklist items; generating the due inspections."""

    def show_actions(self, item):
        return [
            {"label": _("Open a ticket for item %(n)d: %(t)s", n=r.position, t=r.text),
             "url": url_for("InspectionRecordView.open_ticket", pk=item.id, item_id=r.id)}
            for r in item.results if r.result == ItemResult.abnormal and not r.ticket_id
        ]

    @screen_action("/open_ticket/<int:pk>/<int:item_id>", "open_ticket")
    def open_ticket(self, pk, item_id):
        def act(record):
            item = next((r for r in record.results if r.id == item_id), None)
            if item is None:
                raise DomainError(_("No such checklist item in this inspection."), status=404)
            ticket = svc.open_ticket_for_item(item, current_staff_id())
            return _("Ticket %(n)s opened.", n=ticket.number)

        return self.run_action(pk, act)

    @screen_action("/generate", "add")
    def generate(self):
        return run_html(lambda: _("%(n)d due inspections generated from the plans.",
                                  n=svc.generate_due_inspections()), url_for("InspectionRecordView.list"))


class InspectionRecordCalls:
    """POST /generate and /<pk>/items/<item_id>/open_ticket."""

    @api_action("/generate", "post")
    def generate(self):
        """Generate the due inspections of the active plans (idempotent).
        ---
        post:
          responses:
            200:
              description: how many were created
        """
        return run_api(self, lambda: {"created": svc.generate_due_inspections()})

    @api_action("/<int:pk>/items/<int:item_id>/open_ticket", "open_ticket")
    def open_ticket(self, pk, item_id):
        """Open a ticket from an abnormal checklist item.
        ---
        post:
          responses:
            200:
              description: the inspection, with the ticket's id and number
        """
        def act(record):
            item = next((r for r in record.results if r.id == item_id), None)
            if item is None:
                raise DomainError(_("No such checklist item in this inspection."), status=404)
            ticket = svc.open_ticket_for_item(item, current_staff_id())
            return {"ticket": {"id": ticket.id, "number": ticket.number}}

        return self.run(pk, act)


CHECKLIST_ITEM = Register(
    InspectionChecklistItem, "inspection_checklist_item", form=["plan", "position", "text"],
    base_order=("position", "asc"), list=["position", "text"], search=["text"],
    api_list=["id", "plan_id", "position", "text"], api_search=["plan"], api_order=["position"],
    screen={"list_title": _l("Checklist items")},
)
InspectionChecklistItemView, InspectionChecklistItemApi = build(CHECKLIST_ITEM)

PLAN = Register(
    InspectionPlan, "inspection_plan", form=PLAN_FIELDS, base_order=("start_date", "desc"),
    list=["customer", "site", "cycle", "phase", "start_date", "end_date", "engineer", "active"],
    search=["site", "cycle", "phase", "start_date", "active"],
    api_list=["id", "customer_id", "customer.name", "site", "equipment_id", "cycle", "cycle_days", "phase",
              "start_date", "end_date", "engineer_id", "active"],
    api_show=["notes"], api_search=["customer", "cycle", "phase", "active", "start_date"],
    api_order=["start_date", "site"],
    # the screen narrows the equipment to the form's customer (lookup_fields); the API checks it
    screen={"related_views": [InspectionChecklistItemView]}, api={"item_rules": _plan_rules},
)
InspectionPlanView, InspectionPlanApi = build(PLAN)

ITEM_RESULT = Register(
    InspectionItemResult, "inspection_item_result", form=["record", "position", "text", "result", "note"],
    edit=["result", "note"], base_order=("position", "asc"), base_filters=[own_rows("record_id", svc.mine)],
    list=["position", "text", "result", "note", "ticket"], search=["result", "text"],
    api_list=["id", "record_id", "position", "text", "result", "note", "ticket_id"],
    api_search=["record", "result"], api_order=["position"], screen={"list_title": _l("Checklist")},
)
InspectionItemResultView, InspectionItemResultApi = build(ITEM_RESULT)

RECORD = Register(
    InspectionRecord, "inspection_record", form=RECORD_FIELDS, base_order=("due_date", "desc"),
    base_filters=[own_rows("engineer_id", svc.mine)],
    list=["due_date", "customer", "site", "phase", "status", "inspected_on", "engineer", "dust_cleaned"],
    search=["due_date", "site", "phase", "status", "inspected_on", "dust_cleaned"],
    show=RECORD_FIELDS + ["abnormal_count"],
    api_list=["id", "plan_id", "customer_id", "customer.name", "site", "equipment_id", "phase", "due_date",
              "status", "inspected_on", "engineer_id", "dust_cleaned"],
    api_show=["engineers.id", "hidden_dangers", "customer_questions", "summary", "customer_signer", "analysis",
              "results.id", "results.position", "results.text", "results.result", "results.note"],
    api_search=["customer", "plan", "status", "phase", "due_date", "inspected_on", "engineer"],
    api_order=["due_date", "inspected_on", "status"], conflict_fields=("due_date",),
    rules=svc.check_record, prepare=svc.fill_checklist,
    paper_form=write_inspection_record, paper_form_label=_l("Inspection record (Excel)"),
    screen={"attachment_record": "inspection_record", "related_views": [InspectionItemResultView]},
    screen_mixins=(InspectionRecordScreen,), api_mixins=(InspectionRecordCalls,),
)
InspectionRecordView, InspectionRecordApi = build(RECORD)
