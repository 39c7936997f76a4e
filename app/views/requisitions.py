"""Requisition slips: screens and APIs over app/services/parts.py."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.api import expose as api_expose
from flask_appbuilder.api import safe
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _

from ..extensions import db
from ..models.base import DomainError, is_digits
from ..models.parts import Part, Warehouse
from ..models.requisitions import Requisition
from ..models.staff import Staff
from ..models.tickets import Ticket
from ..security.rows import own_rows, restricted_to_own_rows
from ..services import parts as svc
from ..services import stock
from .base import ServiceApi, ServiceInterface, ServiceModelView, flash_errors
from .parts_common import SHOWN_BY_FIELD, check_lengths, pk_or_404, api_action, form_int, html_action, id_qty_map, json_body
from ..services.paper.requisition_slip import write_requisition_slip
from flask_babel import lazy_gettext as _l

LINE_SLOTS = 6


def requisition_dict(req: Requisition) -> dict:
    return {
        "id": req.id, "number": req.number, "status": req.status.value, "engineer": req.engineer_id,
        "ticket": req.ticket_id, "warehouse": req.warehouse_id, "purpose": req.purpose,
        "in_warranty": req.in_warranty, "approved_by": req.approved_by_id,
        "charge_total": stock.money(req.charge_total),
        "lines": [{"id": ln.id, "part": ln.part_id, "qty_requested": ln.qty_requested, "qty_issued": ln.qty_issued,
                   "qty_returned": ln.qty_returned, "cost": stock.money(ln.cost), "charge": stock.money(ln.charge)}
                  for ln in req.lines],
    }


class RequisitionView(ServiceModelView):
    """Slips: a field engineer sees only their own; approvers and the keeper see all."""

    datamodel = ServiceInterface(Requisition)
    paper_form = write_requisition_slip
    paper_form_label = _l("Requisition slip (Excel)")
    base_permissions = ["can_list", "can_show", "can_add", "can_approve", "can_issue", "can_return_unused"]
    base_filters = [own_rows("engineer_id")]
    list_columns = ["number", "requested_at", "engineer", "ticket", "warehouse", "status", "approved_by"]
    search_columns = ["number", "status", "engineer_id", "ticket_id", "warehouse_id", "requested_at"]
    order_columns = ["number", "requested_at", "status"]
    base_order = ("requested_at", "desc")

    def _slip(self, pk) -> Requisition:
        return self.datamodel.get(pk, self._base_filters) or abort(404)

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        req = self._slip(pk_or_404(pk))
        sm = self.appbuilder.sm
        return self.render_template("parts/requisition.html", req=req, money=stock.money,
                                    can_approve=sm.has_access("can_approve", "RequisitionView"),
                                    can_issue=sm.has_access("can_issue", "RequisitionView"),
                                    can_return=sm.has_access("can_return_unused", "RequisitionView"),
                                    title=_("Requisition slip %(no)s", no=req.number))

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        errors = {}
        if request.method == "POST":
            try:
                check_lengths(Requisition, "purpose")
                with stock.atomic():
                    req = svc.create_requisition(
                        form_int("engineer"), form_int("warehouse"), _form_lines(),
                        ticket_id=_ticket_from_form(), purpose=request.form.get("purpose") or None)
                return redirect(url_for("RequisitionView.show", pk=req.id))
            except DomainError as err:
                errors = err.errors
                flash_errors(err, shown=SHOWN_BY_FIELD)
        engineers = db.session.scalars(sa.select(Staff).where(Staff.active.is_(True)).order_by(Staff.name)).all()
        warehouses = db.session.scalars(sa.select(Warehouse).where(Warehouse.active.is_(True))).all()
        return self.render_template("parts/requisition_add.html", engineers=engineers, warehouses=warehouses,
                                    slots=range(LINE_SLOTS), form=request.form or request.args, restricted=restricted_to_own_rows(),
                                    errors=errors, title=_("New requisition slip"))

    @expose("/decide/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("approve")
    def decide(self, pk):
        self._slip(pk)
        approve = request.form.get("decision") == "approve"

        def run():
            req = svc.decide_requisition(pk, approve, request.form.get("note") or None)
            return _("%(no)s: %(status)s", no=req.number, status=req.status.label)
        return html_action(run, url_for("RequisitionView.show", pk=pk))

    @expose("/issue/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("issue")
    def issue(self, pk):
        def run():
            quantities = {int(k[4:]): form_int(k) for k in request.form if k.startswith("qty_") and is_digits(k[4:])}
            moves = svc.issue_requisition(pk, {k: v for k, v in quantities.items() if v not in (None, 0)})
            return _("Issued %(n)s line(s).", n=len(moves))
        return html_action(run, url_for("RequisitionView.show", pk=pk))

    @expose("/return_unused/<int:line_id>", methods=["POST"])
    @has_access
    @permission_name("return_unused")
    def return_unused(self, line_id):
        pk = form_int("requisition")

        def run():
            mv = svc.return_unused(line_id, form_int("qty"))
            return _("%(q)s back in stock.", q=mv.qty)
        return html_action(run, url_for("RequisitionView.show", pk=pk) if isinstance(pk, int) else "/")


def _form_lines() -> list[tuple]:
    lines = []
    for i in range(LINE_SLOTS):
        code = (request.form.get(f"part_{i}") or "").strip()
        if not code:
            continue
        part_id = db.session.scalar(sa.select(Part.id).where(Part.code == code))
        if part_id is None:
            raise DomainError({f"part_{i}": _("Unknown part code %(code)s.", code=code)})
        lines.append((part_id, form_int(f"qty_{i}")))
    return lines


def _ticket_from_form():
    text = (request.form.get("ticket") or "").strip()
    if not text:
        return None
    ticket_id = db.session.scalar(sa.select(Ticket.id).where(Ticket.number == text))
    if ticket_id is None:
        raise DomainError({"ticket": _("Unknown ticket %(no)s.", no=text)})
    return ticket_id


class RequisitionApi(ServiceApi):
    resource_name = "requisition"
    datamodel = ServiceInterface(Requisition)
    include_route_methods = {"get", "get_list", "info", "post", "export_xlsx", "approve", "reject", "issue", "lines",
                             "return_unused"}
    base_filters = [own_rows("engineer_id")]
    list_columns = ["id", "number", "status", "engineer_id", "ticket_id", "warehouse_id", "requested_at",
                    "approved_by_id", "approved_at", "in_warranty", "purpose"]
    show_columns = list_columns + ["decision_note"]
    add_columns = ["engineer", "warehouse", "ticket", "purpose"]
    search_columns = ["number", "status", "engineer_id", "ticket_id", "warehouse_id", "requested_at"]
    order_columns = ["number", "requested_at", "status"]
    base_order = ("requested_at", "desc")

    def post_headless(self):
        """Create a slip with its lines: {engineer, warehouse, ticket?, purpose?, lines: [{part, qty}]}."""
        def run():
            data = json_body()
            lines = data.get("lines")
            if not isinstance(lines, list) or not all(isinstance(x, dict) for x in lines):
                raise DomainError({"lines": _("Give a list of {part, qty}.")})
            req = svc.create_requisition(data.get("engineer"), data.get("warehouse"),
                                         [(x.get("part"), x.get("qty")) for x in lines],
                                         ticket_id=data.get("ticket"), purpose=data.get("purpose"))
            return {"id": req.id, "result": requisition_dict(req)}
        return api_action(self, run, 201)

    def _visible(self, pk) -> Requisition:
        req = self.datamodel.get(pk, self._base_filters)
        if req is None:
            raise DomainError(_("Not found."), status=404)
        return req

    @api_expose("/<int:pk>/lines", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def lines(self, pk):
        """The slip with its lines, costs and charges."""
        return api_action(self, lambda: {"result": requisition_dict(self._visible(pk))})

    @api_expose("/<int:pk>/approve", methods=["POST"])
    @protect()
    @safe
    @permission_name("approve")
    def approve(self, pk):
        """Approve a requested slip (tech engineer or manager; not one's own)."""
        def run():
            self._visible(pk)
            note = (request.get_json(silent=True) or {}).get("note") if request.is_json else None
            return {"result": requisition_dict(svc.decide_requisition(pk, True, note))}
        return api_action(self, run)

    @api_expose("/<int:pk>/reject", methods=["POST"])
    @protect()
    @safe
    @permission_name("approve")
    def reject(self, pk):
        """Reject a requested slip."""
        def run():
            self._visible(pk)
            note = (request.get_json(silent=True) or {}).get("note") if request.is_json else None
            return {"result": requisition_dict(svc.decide_requisition(pk, False, note))}
        return api_action(self, run)

    @api_expose("/<int:pk>/issue", methods=["POST"])
    @protect()
    @safe
    @permission_name("issue")
    def issue(self, pk):
        """The keeper issues: {lines: [{line, qty}]}; partial issues allowed."""
        def run():
            moves = svc.issue_requisition(pk, id_qty_map(json_body().get("lines")))
            req = db.session.get(Requisition, pk)
            return {"result": requisition_dict(req), "movements": [stock.movement_dict(m) for m in moves]}
        return api_action(self, run, 201)

    @api_expose("/<int:pk>/return_unused", methods=["POST"])
    @protect()
    @safe
    @permission_name("return_unused")
    def return_unused(self, pk):
        """Unused parts back into stock: {line, qty}."""
        def run():
            data = json_body()
            req = db.session.get(Requisition, pk)
            if req is None or data.get("line") not in {ln.id for ln in req.lines}:
                raise DomainError({"line": _("That line is not on this slip.")}, status=404)
            mv = svc.return_unused(data["line"], data.get("qty"))
            return {"movement": stock.movement_dict(mv), "result": requisition_dict(req)}
        return api_action(self, run, 201)
