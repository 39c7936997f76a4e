"""Screens and APIs of training plans and records, attendees and appraisals."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Appraisal, TrainingAttendance, TrainingPlan, TrainingRecord
from ..services.development import before_appraisal_save, before_attendance_save, fill_kpis
from .actions import run_api
from .base import ServiceModelView
from .endpoints import api_action, screen_action
from .interface import ServiceInterface
from .registers_common import RulesApi, RulesModelView
from .service_api import ServiceApi

PLAN_FORM = ["kind", "topic", "planned_start", "planned_end", "trainer", "audience", "customer", "content"]
RECORD_FORM = ["plan", "held_on", "hours", "location", "trainer", "summary", "external_attendees"]
ATTENDANCE_FORM = ["record", "staff", "score", "result"]
APPRAISAL_FORM = ["staff", "period", "self_score", "supervisor_score", "customer_score", "comments"]
APPRAISAL_SHOWN = ["staff", "period", "period_start", "period_end", "self_score", "supervisor_score",
                   "customer_score", "total_score", "tickets_closed", "on_time_rate", "satisfaction",
                   "kpis_at", "comments"]


def _percent(value) -> str:
    return f"{value * 100:.1f} %" if value not in (None, "") else ""  # blanks arrive as ""


class TrainingAttendanceView(RulesModelView):
    datamodel = ServiceInterface(TrainingAttendance)
    list_columns = ["record", "staff", "score", "result"]
    add_columns = edit_columns = ATTENDANCE_FORM
    search_columns = ["record_id", "staff_id", "score", "result"]
    base_order = ("id", "asc")

    def before_save(self, item):
        before_attendance_save(item)


class TrainingRecordView(ServiceModelView):
    datamodel = ServiceInterface(TrainingRecord)
    list_columns = ["held_on", "plan", "hours", "location", "trainer"]
    show_columns = RECORD_FORM + ["created_at"]
    add_columns = edit_columns = RECORD_FORM
    search_columns = ["plan_id", "held_on", "hours", "location", "trainer"]
    base_order = ("held_on", "desc")
    related_views = [TrainingAttendanceView]
    show_template = "appbuilder/general/model/show_cascade.html"


class TrainingPlanView(ServiceModelView):
    datamodel = ServiceInterface(TrainingPlan)
    list_columns = ["planned_start", "kind", "topic", "trainer", "audience", "customer"]
    show_columns = PLAN_FORM + ["created_at"]
    add_columns = edit_columns = PLAN_FORM
    search_columns = ["kind", "topic", "planned_start", "trainer", "audience", "customer_id"]
    base_order = ("planned_start", "desc")
    related_views = [TrainingRecordView]
    show_template = "appbuilder/general/model/show_cascade.html"


class AppraisalView(RulesModelView):
    datamodel = ServiceInterface(Appraisal)
    list_columns = ["period", "staff", "self_score", "supervisor_score", "customer_score", "total_score",
                    "tickets_closed", "on_time_rate", "satisfaction"]
    show_columns = APPRAISAL_SHOWN
    add_columns = edit_columns = APPRAISAL_FORM
    search_columns = ["period", "staff_id", "period_start", "total_score"]
    formatters_columns = {"on_time_rate": _percent}
    base_order = ("period_start", "desc")
    description_columns = {
        "supervisor_score": _l("Weighted total: self 20%, supervisor 50%, customer 30% (each 0–100)."),
    }
    extra_args = {"show_actions": [{
        "endpoint": "AppraisalView.refresh_kpis", "view": "AppraisalView", "permission": "can_refresh_kpis",
        "label": _l("Measure KPIs again"), "icon": "fa-refresh", "input": None,
    }]}

    def before_save(self, item):
        before_appraisal_save(item)

    @screen_action("/refresh_kpis/<int:pk>", "refresh_kpis")
    def refresh_kpis(self, pk):
        """Measure the appraisal's KPIs again from the current data."""
        def action(item, form):
            fill_kpis(item)

        return self.run_action(pk, action, _l("KPIs measured from the current data."))


class TrainingPlanApi(ServiceApi):
    resource_name = "training_plan"
    datamodel = ServiceInterface(TrainingPlan)
    list_columns = ["id", "kind", "topic", "planned_start", "planned_end", "trainer", "audience",
                    "customer.id", "customer.name"]
    show_columns = list_columns + ["content", "created_at"]
    add_columns = edit_columns = PLAN_FORM
    search_columns = ["kind", "topic", "planned_start", "trainer", "customer"]
    order_columns = ["planned_start", "kind", "topic"]
    base_order = ("planned_start", "desc")


class TrainingRecordApi(ServiceApi):
    resource_name = "training_record"
    datamodel = ServiceInterface(TrainingRecord)
    list_columns = ["id", "plan.id", "plan.topic", "held_on", "hours", "location", "trainer"]
    show_columns = list_columns + ["summary", "external_attendees", "created_at"]
    add_columns = edit_columns = RECORD_FORM
    search_columns = ["plan", "held_on", "location", "trainer"]
    order_columns = ["held_on", "hours"]
    base_order = ("held_on", "desc")


class TrainingAttendanceApi(RulesApi):
    resource_name = "training_attendance"
    datamodel = ServiceInterface(TrainingAttendance)
    list_columns = ["id", "record.id", "record.held_on", "staff.id", "staff.name", "score", "result"]
    show_columns = list_columns
    add_columns = edit_columns = ATTENDANCE_FORM
    search_columns = ["record", "staff", "result", "score"]
    order_columns = ["score", "result"]
    base_order = ("id", "asc")

    def before_save(self, item):
        before_attendance_save(item)


class AppraisalApi(RulesApi):
    resource_name = "appraisal"
    datamodel = ServiceInterface(Appraisal)
    list_columns = ["id", "staff.id", "staff.name"] + APPRAISAL_SHOWN[1:-1]
    show_columns = list_columns + ["comments", "updated_at"]
    add_columns = edit_columns = APPRAISAL_FORM
    search_columns = ["staff", "period", "period_start", "total_score"]
    order_columns = ["period", "period_start", "total_score", "tickets_closed"]
    base_order = ("period_start", "desc")

    def before_save(self, item):
        before_appraisal_save(item)

    @api_action("/<int:pk>/refresh_kpis", "refresh_kpis")
    def refresh_kpis(self, pk):
        """Measure the appraisal's KPIs again from the current data.
        ---
        post:
          responses:
            200: {description: the appraisal with its KPIs}
            404: {description: no such appraisal}
        """
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return self.response_404()

        def act():
            fill_kpis(item)
            db.session.flush()
            return {"id": item.id, "result": self.show_model_schema.dump(item)}

        return run_api(self, act)
