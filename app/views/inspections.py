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
from .interface import ServiceInterface
from .registers import RegisterApi, RegisterView

PLAN_FIELDS = ["customer", "site", "equipment", "cycle", "cycle_days", "phase", "start_date", "end_date",
               "engineer", "active", "notes"]
RECORD_FIELDS = ["plan", "customer", "site", "equipment", "phase", "due_date", "status", "inspected_on",
                 "engineer", "engineers", "hidden_dangers", "customer_questions", "dust_cleaned", "summary",
                 "customer_signer", "analysis"]


class InspectionChecklistItemView(RegisterView):
    datamodel = ServiceInterface(InspectionChecklistItem)
    list_title = _l("Checklist items")
    list_columns = ["position", "text"]
    search_columns = ["text"]
    add_columns = edit_columns = ["plan", "position", "text"]
    base_order = ("position", "asc")


class InspectionPlanView(RegisterView):
    datamodel = ServiceInterface(InspectionPlan)
    list_columns = ["customer", "site", "cycle", "phase", "start_date", "end_date", "engineer", "active"]
    search_columns = ["site", "cycle", "phase", "start_date", "active"]
    add_columns = edit_columns = PLAN_FIELDS
    base_order = ("start_date", "desc")
    related_views = [InspectionChecklistItemView]


class InspectionItemResultView(RegisterView):
    datamodel = ServiceInterface(InspectionItemResult)
    list_title = _l("Checklist")
    base_filters = [own_rows("record_id", svc.mine)]
    list_columns = ["position", "text", "result", "note", "ticket"]
    search_columns = ["result", "text"]
    add_columns = ["record", "position", "text", "result", "note"]
    edit_columns = ["result", "note"]
    base_order = ("position", "asc")


class InspectionRecordView(RegisterView):
    attachment_record = "inspection_record"
    datamodel = ServiceInterface(InspectionRecord)
    paper_form = write_inspection_record
    paper_form_label = _l("Inspection record (Excel)")
    base_filters = [own_rows("engineer_id", svc.mine)]
    list_columns = ["due_date", "customer", "site", "phase", "status", "inspected_on", "engineer", "dust_cleaned"]
    search_columns = ["due_date", "site", "phase", "status", "inspected_on", "dust_cleaned"]
    add_columns = edit_columns = RECORD_FIELDS
    show_columns = RECORD_FIELDS + ["abnormal_count"]
    base_order = ("due_date", "desc")
    related_views = [InspectionItemResultView]

    def form_rules(self, values, pk):
        return svc.check_record(values, pk)

    def pre_add(self, item):
        svc.fill_checklist(item)

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


class InspectionPlanApi(RegisterApi):
    resource_name = "inspection_plan"
    datamodel = ServiceInterface(InspectionPlan)
    list_columns = ["id", "customer_id", "customer.name", "site", "equipment_id", "cycle", "cycle_days",
                    "phase", "start_date", "end_date", "engineer_id", "active"]
    show_columns = list_columns + ["notes"]
    add_columns = edit_columns = PLAN_FIELDS
    search_columns = ["customer", "cycle", "phase", "active", "start_date"]
    order_columns = ["start_date", "site"]
    base_order = ("start_date", "desc")

    def item_rules(self, item, pk):
        if item.equipment is not None and item.customer is not None and item.equipment.customer_id != item.customer.id:
            return {"equipment": _("The equipment belongs to another customer.")}
        return {}


class InspectionChecklistItemApi(RegisterApi):
    resource_name = "inspection_checklist_item"
    datamodel = ServiceInterface(InspectionChecklistItem)
    list_columns = ["id", "plan_id", "position", "text"]
    show_columns = list_columns
    add_columns = edit_columns = ["plan", "position", "text"]
    search_columns = ["plan"]
    order_columns = ["position"]
    base_order = ("position", "asc")


class InspectionRecordApi(RegisterApi):
    resource_name = "inspection_record"
    datamodel = ServiceInterface(InspectionRecord)
    base_filters = [own_rows("engineer_id", svc.mine)]
    list_columns = ["id", "plan_id", "customer_id", "customer.name", "site", "equipment_id", "phase",
                    "due_date", "status", "inspected_on", "engineer_id", "dust_cleaned"]
    show_columns = list_columns + [
        "engineers.id", "hidden_dangers", "customer_questions", "summary", "customer_signer", "analysis",
        "results.id", "results.position", "results.text", "results.result", "results.note",
    ]
    add_columns = edit_columns = RECORD_FIELDS
    search_columns = ["customer", "plan", "status", "phase", "due_date", "inspected_on", "engineer"]
    order_columns = ["due_date", "inspected_on", "status"]
    base_order = ("due_date", "desc")
    conflict_fields = ("due_date",)

    def item_rules(self, item, pk):
        return svc.check_record(item, pk)

    def prepare(self, item):
        svc.fill_checklist(item)

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


class InspectionItemResultApi(RegisterApi):
    resource_name = "inspection_item_result"
    datamodel = ServiceInterface(InspectionItemResult)
    base_filters = [own_rows("record_id", svc.mine)]
    list_columns = ["id", "record_id", "position", "text", "result", "note", "ticket_id"]
    show_columns = list_columns
    add_columns = ["record", "position", "text", "result", "note"]
    edit_columns = ["result", "note"]
    search_columns = ["record", "result"]
    order_columns = ["position"]
    base_order = ("position", "asc")
