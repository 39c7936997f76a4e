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
from .register_spec import Register, build

COMPLAINT_FIELDS = [
    "customer", "ticket", "received_at", "received_by", "channel", "complainant", "subject", "content",
    "team", "verified", "findings", "root_cause", "measures", "owner_department", "owner", "deadline",
    "result", "satisfaction", "improvement",
]


def _received(item) -> None:
    svc.prepare(item, current_staff_id())


def _by_me(item) -> None:
    item.staff_id = item.staff_id or current_staff_id()


class ComplaintScreen:
    """The complaint report, linked from the record page."""

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


class ComplaintCalls:
    """GET /<pk>/report."""

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


PROGRESS = Register(
    ComplaintProgress, "complaint_progress", form=["complaint", "at", "note"], base_order=("at", "asc"),
    list=["at", "staff", "from_status", "to_status", "note"], search=["at", "note"],
    api_list=["id", "complaint_id", "at", "staff_id", "staff.name", "from_status", "to_status", "note"],
    api_search=["complaint", "at"], api_order=["at"], prepare=_by_me, screen={"list_title": _l("Progress")},
)
ComplaintProgressView, ComplaintProgressApi = build(PROGRESS)

COMPLAINT = Register(
    Complaint, "complaint", form=COMPLAINT_FIELDS, base_order=("received_at", "desc"),
    workflow=svc, status_enum=ComplaintStatus,
    list=["number", "received_at", "customer", "subject", "status", "owner", "deadline", "overdue"],
    search=["number", "subject", "status", "received_at", "deadline", "verified", "satisfaction"],
    show=["number", "status", "overdue", "closed_at"] + COMPLAINT_FIELDS,
    api_list=["id", "number", "customer_id", "customer.name", "received_at", "channel", "subject", "status",
              "verified", "owner_id", "owner_department", "deadline", "closed_at", "satisfaction", "overdue"],
    api_show=["ticket_id", "received_by_id", "complainant", "content", "team.id", "team.name", "findings",
              "root_cause", "measures", "result", "improvement"],
    api_search=["customer", "number", "status", "received_at", "deadline", "verified"],
    api_order=["number", "received_at", "deadline", "status"], prepare=_received,
    paper_form=write_complaint_report, paper_form_label=_l("Complaint report (Excel)"),
    screen={"attachment_record": "complaint", "related_views": [ComplaintProgressView],
            # empty = now (the moment the CS rep records it)
            "add_form_extra_fields": {"received_at": LocalDateTimeField(_l("Received at"), validators=[Optional()])}},
    screen_mixins=(ComplaintScreen,), api_mixins=(ComplaintCalls,),
)
ComplaintView, ComplaintApi = build(COMPLAINT)


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
