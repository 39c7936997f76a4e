"""Screens and APIs of complaints, their progress entries, the overdue list and the report."""
from __future__ import annotations

from flask_appbuilder.models.filters import BaseFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

from ..actor import current_staff_id
from ..models import Complaint, ComplaintProgress, ComplaintStatus
from ..services import complaints as svc
from ..services.paper.complaint_report import write_complaint_report
from .date_entry import LocalDateTimeField
from .endpoints import api_action, screen_action
from .interface import ServiceInterface
from .registers import RegisterApi, RegisterView, WorkflowApi, WorkflowView

COMPLAINT_FIELDS = [
    "customer", "ticket", "received_at", "received_by", "channel", "complainant", "subject", "content",
    "team", "verified", "findings", "root_cause", "measures", "owner_department", "owner", "deadline",
    "result", "satisfaction", "improvement",
]


class ComplaintProgressView(RegisterView):
    datamodel = ServiceInterface(ComplaintProgress)
    list_title = _l("Progress")
    list_columns = ["at", "staff", "from_status", "to_status", "note"]
    search_columns = ["at", "note"]
    add_columns = edit_columns = ["complaint", "at", "note"]
    base_order = ("at", "asc")

    def pre_add(self, item):
        item.staff_id = item.staff_id or current_staff_id()


class ComplaintView(WorkflowView):
    attachment_record = "complaint"
    datamodel = ServiceInterface(Complaint)
    paper_form = write_complaint_report
    paper_form_label = _l("Complaint report (Excel)")
    workflow, status_enum = svc, ComplaintStatus
    list_columns = ["number", "received_at", "customer", "subject", "status", "owner", "deadline", "overdue"]
    search_columns = ["number", "subject", "status", "received_at", "deadline", "verified", "satisfaction"]
    add_columns = edit_columns = COMPLAINT_FIELDS
    show_columns = ["number", "status", "overdue", "closed_at"] + COMPLAINT_FIELDS
    base_order = ("received_at", "desc")
    related_views = [ComplaintProgressView]
    # empty = now (the moment the CS rep records it)
    add_form_extra_fields = {"received_at": LocalDateTimeField(_l("Received at"), validators=[Optional()])}

    def pre_add(self, item):
        svc.prepare(item, current_staff_id())

    def show_actions(self, item):
        from flask import url_for

        return super().show_actions(item) + [
            {"label": _("Complaint report"), "url": url_for("ComplaintView.report", pk=item.id), "get": True}
        ]

    @screen_action("/report/<int:pk>", "show", methods=["GET"])
    def report(self, pk):
        from flask import abort

        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        return self.render_template("registers/complaint_report.html", title=_("Complaint report"),
                                    c=item, report=svc.report(item))


class OverdueFilter(BaseFilter):
    """Deadline passed (as of today, evaluated per request) and not closed."""

    name = "Overdue"
    arg_name = None

    def apply(self, query, value):
        return query.filter(svc.overdue_clause())


class OverdueComplaintView(ComplaintView):
    """Complaints past their handling deadline and not closed (same permissions as the register)."""

    class_permission_name = "ComplaintView"
    route_base = "/overduecomplaints"
    list_title = _l("Overdue complaints")
    base_filters = [["deadline", OverdueFilter, None]]


class ComplaintApi(WorkflowApi):
    resource_name = "complaint"
    datamodel = ServiceInterface(Complaint)
    workflow = svc
    list_columns = [
        "id", "number", "customer_id", "customer.name", "received_at", "channel", "subject", "status",
        "verified", "owner_id", "owner_department", "deadline", "closed_at", "satisfaction", "overdue",
    ]
    show_columns = list_columns + [
        "ticket_id", "received_by_id", "complainant", "content", "team.id", "team.name", "findings",
        "root_cause", "measures", "result", "improvement",
    ]
    add_columns = edit_columns = COMPLAINT_FIELDS
    search_columns = ["customer", "number", "status", "received_at", "deadline", "verified"]
    order_columns = ["number", "received_at", "deadline", "status"]
    base_order = ("received_at", "desc")

    def prepare(self, item):
        svc.prepare(item, current_staff_id())

    @api_action("/<int:pk>/report", "get", methods=["GET"])
    def report(self, pk):
        """The complaint report (001 §五(四)).
        ---
        get:
          responses:
            200:
              description: basic facts, process, causes, measures, result
        """
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return self.response_404()
        return self.response(200, result=svc.report(item))


class ComplaintProgressApi(RegisterApi):
    resource_name = "complaint_progress"
    datamodel = ServiceInterface(ComplaintProgress)
    list_columns = ["id", "complaint_id", "at", "staff_id", "staff.name", "from_status", "to_status", "note"]
    show_columns = list_columns
    add_columns = edit_columns = ["complaint", "at", "note"]
    search_columns = ["complaint", "at"]
    order_columns = ["at"]
    base_order = ("at", "asc")

    def prepare(self, item):
        item.staff_id = item.staff_id or current_staff_id()
