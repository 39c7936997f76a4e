"""Screens and APIs of callback plans and callback records, and the CS rep's due list."""
from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from .. import clock
from ..actor import current_staff_id
from ..extensions import db
from ..models import CallbackPlan, CallbackRecord
from ..models.base import DomainError
from ..services import callbacks as svc
from ..services.paper.callback_record import write_callback_record
from ..unit_of_work import unit_of_work
from .actions import run_api, run_html
from .base import flash_errors
from .endpoints import api_action, screen_action
from .register_spec import Register, build

RECORD_FIELDS = [
    "customer", "plan", "ticket", "inspection", "due_date", "status", "method", "called_at", "caller",
    "contact_person", "content", "opinions", "score_function", "score_performance", "score_quality",
    "score_service", "new_needs", "follow_up",
]
PLAN_FIELDS = ["customer", "year", "target", "frequency_per_year", "method", "content", "owner", "active"]


class CallbackRecordScreen:
    """The callback record's buttons and the CS rep's due list."""

    def show_actions(self, item):
        if item.follow_up_ticket_id:
            return []
        return [{"label": _("Open a ticket from this callback"),
                 "url": url_for("CallbackRecordView.open_ticket", pk=item.id)}]

    @screen_action("/open_ticket/<int:pk>", "open_ticket")
    def open_ticket(self, pk):
        def act(item):
            ticket = svc.open_follow_up_ticket(item, current_staff_id())
            return _("Ticket %(n)s opened.", n=ticket.number)

        return self.run_action(pk, act)

    @screen_action("/due", "list", methods=["GET"])
    def due(self):
        """The CS rep's due callbacks, closed tickets and done inspections to call back."""
        return self.render_template("registers/due_callbacks.html", title=_("Due callbacks"), **svc.due_list())

    @screen_action("/generate", "add")
    def generate(self):
        return run_html(lambda: _("%(n)d due callbacks generated from the plans.", n=svc.generate_due_callbacks()),
                        url_for("CallbackRecordView.due"))

    @screen_action("/start", "add")
    def start(self):
        try:
            with unit_of_work():
                record = svc.start_callback(ticket_id=request.form.get("ticket", type=int),
                                            inspection_id=request.form.get("inspection", type=int))
        except DomainError as err:
            flash_errors(err)
            return redirect(url_for("CallbackRecordView.due"))
        return redirect(url_for("CallbackRecordView.edit", pk=record.id))


class CallbackPlanCalls:
    """Generating the due callbacks."""

    @api_action("/generate", "post")
    def generate(self):
        """Generate the due callbacks of the active plans (idempotent), `horizon_days` ahead.
        ---
        post:
          parameters:
          - {in: query, name: horizon_days, schema: {type: integer, minimum: 0, maximum: 366, default: 30}}
          responses:
            200:
              description: how many were created
        """
        horizon = request.args.get("horizon_days", 30, type=int)
        if not 0 <= horizon <= 366:
            return self.response_400(message="horizon_days must be 0–366")
        return run_api(self, lambda: {"created": svc.generate_due_callbacks(horizon_days=horizon)})


class CallbackRecordCalls:
    """The due list, starting a callback, a ticket from its needs."""

    @api_action("/due", "get", methods=["GET"])
    def due(self):
        """The CS rep's due list.
        ---
        get:
          responses:
            200:
              description: due callbacks, closed tickets and done inspections without a callback
        """
        lists = svc.due_list()
        return self.response(
            200,
            callbacks=[{"id": c.id, "customer": c.customer_id, "due_date": c.due_date.isoformat(),
                        "plan": c.plan_id, "method": c.method.value} for c in lists["callbacks"]],
            tickets=[{"id": t.id, "number": t.number, "customer": t.customer_id,
                      "closed_at": clock.isoformat(t.closed_at)} for t in lists["tickets"]],
            inspections=[{"id": i.id, "customer": i.customer_id, "inspected_on": i.inspected_on.isoformat()}
                         for i in lists["inspections"]],
        )

    @api_action("/start", "post")
    def start(self):
        """A due callback for a closed ticket or a done inspection: {"ticket": pk} or {"inspection": pk}.
        ---
        post:
          responses:
            201:
              description: the callback
        """
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response_400(message="Request body must be a JSON object")

        def start():
            record = svc.start_callback(ticket_id=body.get("ticket"), inspection_id=body.get("inspection"))
            db.session.flush()
            return {"id": record.id, "result": self.show_model_schema.dump(record)}

        return run_api(self, start, 201)

    @api_action("/<int:pk>/open_ticket", "open_ticket")
    def open_ticket(self, pk):
        """Open a ticket from the callback's new needs / follow-up actions.
        ---
        post:
          responses:
            200:
              description: the callback, with the ticket's id and number
        """
        def act(item):
            ticket = svc.open_follow_up_ticket(item, current_staff_id())
            return {"ticket": {"id": ticket.id, "number": ticket.number}}

        return self.run(pk, act)


FREQUENCY = {"frequency_per_year": IntegerField(_l("Callbacks per year"), validators=[Optional(), NumberRange(1, 52)])}


def _complete(item) -> None:
    svc.complete(item, current_staff_id())


PLAN = Register(
    CallbackPlan, "callback_plan", form=PLAN_FIELDS, base_order=("year", "desc"), prepare=svc.prepare_plan,
    list=["year", "customer", "target", "frequency_per_year", "method", "owner", "active"],
    search=["year", "target", "method", "active", "frequency_per_year"],
    api_list=["id", "customer_id", "customer.name", "year", "target", "frequency_per_year", "method", "owner_id",
              "active"],
    api_show=["content"], api_search=["customer", "year", "method", "active"], api_order=["year", "frequency_per_year"],
    screen={
        "description_columns": {"frequency_per_year": _l("Leave empty: key customers 12, important 4, others 2.")},
        "add_form_extra_fields": FREQUENCY, "edit_form_extra_fields": FREQUENCY,
    },
    api_mixins=(CallbackPlanCalls,),
)
RECORD = Register(
    CallbackRecord, "callback_record", form=RECORD_FIELDS, base_order=("due_date", "desc"),
    list=["due_date", "customer", "status", "method", "called_at", "caller", "average_score"],
    search=["due_date", "status", "method", "called_at", "contact_person"],
    show=RECORD_FIELDS + ["follow_up_ticket", "average_score"],
    api_list=["id", "customer_id", "customer.name", "plan_id", "ticket_id", "inspection_id", "due_date", "status",
              "method", "called_at", "caller_id", "score_function", "score_performance", "score_quality",
              "score_service", "follow_up_ticket_id"],
    api_show=["contact_person", "content", "opinions", "new_needs", "follow_up"],
    api_search=["customer", "plan", "status", "method", "due_date", "called_at"],
    api_order=["due_date", "called_at", "status"], conflict_fields=("due_date", "ticket", "inspection"),
    rules=svc.check_callback, prepare=_complete,
    paper_form=write_callback_record, paper_form_label=_l("Callback record (Excel)"),
    screen_mixins=(CallbackRecordScreen,), api_mixins=(CallbackRecordCalls,),
)

CallbackPlanView, CallbackPlanApi = build(PLAN)
CallbackRecordView, CallbackRecordApi = build(RECORD)
