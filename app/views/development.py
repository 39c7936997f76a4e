"""Screens and APIs of training plans and records, attendees and appraisals."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import Appraisal, TrainingAttendance, TrainingPlan, TrainingRecord
from ..services.development import before_appraisal_save, before_attendance_save, fill_kpis
from .endpoints import api_action, screen_action
from .register_spec import Register, build
from .registers_common import ShowButtons, show_button

PLAN_FORM = ["kind", "topic", "planned_start", "planned_end", "trainer", "audience", "customer", "content"]
RECORD_FORM = ["plan", "held_on", "hours", "location", "trainer", "summary", "external_attendees"]
ATTENDANCE_FORM = ["record", "staff", "score", "result"]
APPRAISAL_FORM = ["staff", "period", "self_score", "supervisor_score", "customer_score", "comments"]
CASCADE = "appbuilder/general/model/show_cascade.html"
APPRAISAL_SHOWN = ["staff", "period", "period_start", "period_end", "self_score", "supervisor_score",
                   "customer_score", "total_score", "tickets_closed", "on_time_rate", "satisfaction",
                   "kpis_at", "comments"]


def _percent(value) -> str:
    return f"{value * 100:.1f} %" if value not in (None, "") else ""  # blanks arrive as ""


class AppraisalScreen(ShowButtons):
    """The appraisal page's button: measure the KPIs again."""

    extra_args = {"show_actions": [
        show_button("AppraisalView", "refresh_kpis", _l("Measure KPIs again"), "fa-refresh")]}

    @screen_action("/refresh_kpis/<int:pk>", "refresh_kpis")
    def refresh_kpis(self, pk):
        """Measure the appraisal's KPIs again from the current data."""
        def action(item, form):
            fill_kpis(item)

        return self.run_action(pk, action, _l("KPIs measured from the current data."))


class AppraisalCalls:
    """POST /<pk>/refresh_kpis."""

    @api_action("/<int:pk>/refresh_kpis", "refresh_kpis")
    def refresh_kpis(self, pk):
        """Measure the appraisal's KPIs again from the current data.
        ---
        post:
          responses:
            200: {description: the appraisal with its KPIs}
            404: {description: no such appraisal}
        """
        def measure(item):
            fill_kpis(item)
            return {"id": item.id}

        return self.run(pk, measure)


ATTENDANCE = Register(
    TrainingAttendance, "training_attendance", form=ATTENDANCE_FORM, base_order=("id", "asc"),
    list=["record", "staff", "score", "result"], search=["record_id", "staff_id", "score", "result"],
    api_list=["id", "record.id", "record.held_on", "staff.id", "staff.name", "score", "result"],
    api_search=["record", "staff", "result", "score"], api_order=["score", "result"],
    prepare=before_attendance_save, screen_mixins=(ShowButtons,),
)
TrainingAttendanceView, TrainingAttendanceApi = build(ATTENDANCE)

RECORD = Register(
    TrainingRecord, "training_record", form=RECORD_FORM, base_order=("held_on", "desc"),
    list=["held_on", "plan", "hours", "location", "trainer"], show=RECORD_FORM + ["created_at"],
    search=["plan_id", "held_on", "hours", "location", "trainer"],
    api_list=["id", "plan.id", "plan.topic", "held_on", "hours", "location", "trainer"],
    api_show=["summary", "external_attendees", "created_at"], api_search=["plan", "held_on", "location", "trainer"],
    api_order=["held_on", "hours"], screen={"related_views": [TrainingAttendanceView], "show_template": CASCADE},
)
TrainingRecordView, TrainingRecordApi = build(RECORD)

PLAN = Register(
    TrainingPlan, "training_plan", form=PLAN_FORM, base_order=("planned_start", "desc"),
    list=["planned_start", "kind", "topic", "trainer", "audience", "customer"], show=PLAN_FORM + ["created_at"],
    search=["kind", "topic", "planned_start", "trainer", "audience", "customer_id"],
    api_list=["id", "kind", "topic", "planned_start", "planned_end", "trainer", "audience", "customer.id",
              "customer.name"],
    api_show=["content", "created_at"], api_search=["kind", "topic", "planned_start", "trainer", "customer"],
    api_order=["planned_start", "kind", "topic"],
    screen={"related_views": [TrainingRecordView], "show_template": CASCADE},
)
TrainingPlanView, TrainingPlanApi = build(PLAN)

APPRAISAL = Register(
    Appraisal, "appraisal", form=APPRAISAL_FORM, base_order=("period_start", "desc"),
    list=["period", "staff", "self_score", "supervisor_score", "customer_score", "total_score", "tickets_closed",
          "on_time_rate", "satisfaction"],
    show=APPRAISAL_SHOWN, search=["period", "staff_id", "period_start", "total_score"],
    api_list=["id", "staff.id", "staff.name"] + APPRAISAL_SHOWN[1:-1], api_show=["comments", "updated_at"],
    api_search=["staff", "period", "period_start", "total_score"],
    api_order=["period", "period_start", "total_score", "tickets_closed"], prepare=before_appraisal_save,
    screen={"formatters_columns": {"on_time_rate": _percent}, "description_columns": {
        "supervisor_score": _l("Weighted total: self 20%, supervisor 50%, customer 30% (each 0–100)."),
    }},
    screen_mixins=(AppraisalScreen,), api_mixins=(AppraisalCalls,),
)
AppraisalView, AppraisalApi = build(APPRAISAL)
