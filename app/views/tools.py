"""Tools and instruments register, lending and return (000 §六(二))."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import clock
from ..extensions import db
from ..models.base import DomainError
from ..models.staff import Staff
from ..models.tools import Tool, ToolLoan
from ..security.rows import own_rows
from ..services import tools as svc
from ..services.export import DATE, Column
from .actions import run_api, run_html
from .endpoints import api_action, screen_action
from .parts_common import parse_date, pk_or_404, post_document
from .parts_forms import form_int
from .register_spec import Register, build
from .table_export import Table, TableExport

TOOL_COLUMNS = ["code", "name", "kind", "model", "serial_number", "warehouse", "status",
                "last_upkeep_on", "upkeep_interval_days", "calibration_due_on", "notes"]


def loan_dict(loan: ToolLoan) -> dict:
    return {"id": loan.id, "tool": loan.tool_id, "borrower": loan.borrower_id, "purpose": loan.purpose,
            "lent_at": clock.isoformat(loan.lent_at), "due_on": loan.due_on.isoformat(),
            "returned_at": clock.isoformat(loan.returned_at),
            "return_condition": loan.return_condition, "overdue": loan.is_overdue}


class LoanGuard:
    """A tool with loan history is retired, not deleted (SQLite does not enforce FKs here)."""

    def pre_delete(self, item):
        if db.session.scalar(sa.select(ToolLoan.id).where(ToolLoan.tool_id == item.id).limit(1)) is not None:
            raise DomainError(_("The tool has loan history; retire it instead."), status=409)


class ToolDesk(LoanGuard):
    """The tool's page is the keeper's desk: lend, take back, record upkeep."""

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        """The tool with its open loan; the keeper lends, takes back and records upkeep here."""
        tool = db.session.get(Tool, pk_or_404(pk)) or abort(404)
        loan = db.session.scalar(sa.select(ToolLoan).where(ToolLoan.tool_id == tool.id, ToolLoan.returned_at.is_(None)))
        staff = db.session.scalars(sa.select(Staff).where(Staff.active.is_(True)).order_by(Staff.name)).all()
        return self.render_template("parts/tool_desk.html", tool=tool, loan=loan, staff=staff, title=str(tool),
                                    can_lend=self.may("can_lend"))

    @screen_action("/lend/<int:pk>", "lend")
    def lend(self, pk):
        def run():
            svc.lend_tool(pk, form_int("borrower"), parse_date(request.form.get("due_on"), "due_on"),
                          request.form.get("purpose") or None)
            return _("Tool lent.")
        return run_html(run, url_for("ToolView.show", pk=pk))

    @screen_action("/return/<int:loan_id>", "lend")
    def give_back(self, loan_id):
        loan = db.session.get(ToolLoan, loan_id) or abort(404)

        def run():
            svc.return_tool(loan_id, request.form.get("condition"), request.form.get("needs_upkeep") == "y")
            return _("Tool returned.")
        return run_html(run, url_for("ToolView.show", pk=loan.tool_id))

    @screen_action("/upkeep/<int:pk>", "lend")
    def upkeep(self, pk):
        def run():
            svc.record_upkeep(pk, parse_date(request.form.get("on"), "on"),
                              parse_date(request.form.get("calibrated_until"), "calibration_due_on"))
            return _("Upkeep recorded.")
        return run_html(run, url_for("ToolView.show", pk=pk))


class LoanCalls:
    """Lending is a POST of the loan; returning and the overdue list are calls of their own."""

    def post_headless(self):
        """Lend: {tool, borrower, due_on, purpose?}."""
        return post_document(self, lambda data: svc.lend_tool(
            data.get("tool"), data.get("borrower"), parse_date(data.get("due_on"), "due_on"), data.get("purpose")),
            loan_dict)

    @api_action("/<int:pk>/return", "return")
    def give_back(self, pk):
        """Return: {condition?, needs_upkeep?}; twice → 409."""
        def run():
            data = request.get_json(silent=True) or {}
            if not isinstance(data, dict):
                data = {}
            return {"result": loan_dict(svc.return_tool(pk, data.get("condition"), bool(data.get("needs_upkeep"))))}
        return run_api(self, run)

    @api_action("/overdue", "get", methods=["GET"])
    def overdue(self):
        """Open loans past their due date."""
        return run_api(self, lambda: {"result": [loan_dict(x) for x in svc.overdue_loans()]})


TOOL = Register(
    Tool, "tool", base_order=("code", "asc"), show=TOOL_COLUMNS,
    # status changes only through lending / return / upkeep
    form=[c for c in TOOL_COLUMNS if c != "status"],
    list=["code", "name", "kind", "status", "warehouse", "calibration_due_on", "last_upkeep_on"],
    search=["code", "name", "kind", "status", "serial_number", "calibration_due_on"],
    api_list=["id", "code", "name", "kind", "model", "serial_number", "warehouse_id", "status", "last_upkeep_on",
              "upkeep_interval_days", "calibration_due_on"],
    api_show=["notes"], api_search=["code", "name", "kind", "status", "calibration_due_on"],
    api_order=["code", "name", "status", "calibration_due_on"],
    order=["code", "name", "status", "calibration_due_on"],
    screen={"base_permissions": ["can_list", "can_show", "can_add", "can_edit", "can_lend"]},
    screen_mixins=(ToolDesk,), api_mixins=(LoanGuard,),
)
ToolView, ToolApi = build(TOOL)

# loans are made by lending (services/tools.py), never typed in: the screen only lists and shows them
LOAN = Register(
    ToolLoan, "tool_loan", form=(), base_order=("lent_at", "desc"), base_filters=[own_rows("borrower_id")],
    list=["tool", "borrower", "lent_at", "due_on", "returned_at", "return_condition"],
    search=["tool_id", "borrower_id", "due_on", "returned_at", "lent_at"],
    api_list=["id", "tool_id", "tool.code", "borrower_id", "purpose", "lent_at", "due_on", "returned_at",
              "return_condition"],
    api_search=["tool_id", "borrower_id", "due_on", "returned_at"], api_order=["lent_at", "due_on", "returned_at"],
    order=["lent_at", "due_on", "returned_at"], screen={"base_permissions": ["can_list", "can_show"]},
    api={"add_columns": ["tool", "borrower", "due_on", "purpose"],
         "include_route_methods": {"get", "get_list", "info", "post", "export_xlsx", "give_back", "overdue"}},
    api_mixins=(LoanCalls,),
)
ToolLoanView, ToolLoanApi = build(LOAN)


class ToolOverdueView(TableExport, BaseView):
    """Overdue loans and calibration coming due."""

    def table(self, **_args) -> Table:
        """Both lists of the page on one sheet, the list named in the first column."""
        columns = [Column(_("List")), Column(_("Tool")), Column(_("Borrower")), Column(_("Date"), DATE)]
        overdue, due = _("Overdue loans"), _("Calibration due within 30 days")
        rows = [(overdue, str(loan.tool), str(loan.borrower), loan.due_on) for loan in svc.overdue_loans()]
        rows += [(due, str(tool), None, tool.calibration_due_on) for tool in svc.upkeep_due()]
        return Table(str(_l("Overdue tools and calibration due")), columns, rows, "overdue_tools")

    route_base = "/tool_overdue"
    default_view = "list"

    @screen_action("/list/", "list", methods=["GET"])
    def list(self):
        return self.render_template("parts/tool_overdue.html", loans=svc.overdue_loans(), due=svc.upkeep_due(),
                                    title=_l("Overdue tools and calibration due"))
