"""Requisition slips: screens and APIs over app/services/parts.py."""
from __future__ import annotations

from flask import abort, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models.base import DomainError
from ..models.requisitions import Requisition
from ..security.rows import own_rows, restricted_to_own_rows
from ..services import parts as svc
from ..services import stock
from ..services.paper.requisition_slip import write_requisition_slip
from .actions import run_api, run_html
from .endpoints import api_action, screen_action
from .lookup_fields import resolve
from .parts_common import id_qty_map, json_body, json_lines, pk_or_404, post_document
from .parts_forms import SHOWN_BY_FIELD, form_int, line_fields, save_new, slot_parts
from .register_spec import Register, build

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


class SlipDesk:
    """Slips: a field engineer sees only their own; approvers and the keeper see all."""

    def _slip(self, pk) -> Requisition:
        return self.datamodel.get(pk, self._base_filters) or abort(404)

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        req = self._slip(pk_or_404(pk))
        return self.render_template("parts/requisition.html", req=req, money=stock.money,
                                    can_approve=self.may("can_approve"), can_issue=self.may("can_issue"),
                                    can_return=self.may("can_return_unused"),
                                    title=_("Requisition slip %(no)s", no=req.number))

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        def create():
            return svc.create_requisition(form_int("engineer"), form_int("warehouse"), _form_lines(),
                                          ticket_id=_ticket_from_form(), purpose=request.form.get("purpose") or None)
        saved, errors = save_new(Requisition, create, texts=("purpose",),
                                 shown=(*SHOWN_BY_FIELD, "engineer", *(f"part_{i}" for i in range(LINE_SLOTS))))
        form = request.form or request.args
        return saved or self.render_template(
            "parts/requisition_add.html", warehouses=stock.active_warehouses(), chosen=_chosen(form),
            slots=range(LINE_SLOTS), form=form, restricted=restricted_to_own_rows(), errors=errors,
            title=_("New requisition slip"))

    @screen_action("/decide/<int:pk>", "approve")
    def decide(self, pk):
        self._slip(pk)
        approve = request.form.get("decision") == "approve"

        def run():
            req = svc.decide_requisition(pk, approve, request.form.get("note") or None)
            return _("%(no)s: %(status)s", no=req.number, status=req.status.label)
        return run_html(run, url_for("RequisitionView.show", pk=pk))

    @screen_action("/issue/<int:pk>", "issue")
    def issue(self, pk):
        def run():
            quantities = {line: form_int(name) for line, name in line_fields("qty_")}
            moves = svc.issue_requisition(pk, {k: v for k, v in quantities.items() if v not in (None, 0)})
            return _("Issued %(n)s line(s).", n=len(moves))
        return run_html(run, url_for("RequisitionView.show", pk=pk))

    @screen_action("/return_unused/<int:line_id>", "return_unused")
    def return_unused(self, line_id):
        pk = form_int("requisition")

        def run():
            mv = svc.return_unused(line_id, form_int("qty"))
            return _("%(q)s back in stock.", q=mv.qty)
        return run_html(run, url_for("RequisitionView.show", pk=pk) if isinstance(pk, int) else "/")


def _form_lines() -> list[tuple]:
    """(part id, qty) of the filled slots: each box posts the part's id (or a code typed by hand)."""
    return [(part.id, form_int(f"qty_{i}")) for i, part in slot_parts(LINE_SLOTS, lambda code: resolve("part", code))]


def _ticket_from_form():
    """The ticket's id from its box (or a number typed / in a "Request parts" link); whose it is, the
    service decides (its message names the rule)."""
    text = (request.form.get("ticket") or "").strip()
    if not text:
        return None
    ticket = resolve("ticket", text)
    if ticket is None:
        raise DomainError({"ticket": _("Unknown ticket %(no)s.", no=text)})
    return ticket.id


def _chosen(form) -> dict:
    """The records the boxes of the form show as chosen (or what was typed, when it is none)."""
    chosen = {}
    boxes = [("ticket", "ticket"), ("engineer", "staff")] + [(f"part_{i}", "part") for i in range(LINE_SLOTS)]
    for name, kind in boxes:
        raw = (form.get(name) or "").strip()
        if raw:
            chosen[name] = resolve(kind, raw) or raw
    return chosen


class SlipCalls:
    """A slip is a POST with its lines; the decision, the issue and the unused return are calls of their own."""

    def post_headless(self):
        """Create a slip with its lines: {engineer, warehouse, ticket?, purpose?, lines: [{part, qty}]}."""
        return post_document(self, lambda data: svc.create_requisition(
            data.get("engineer"), data.get("warehouse"), [(x.get("part"), x.get("qty")) for x in json_lines(data)],
            ticket_id=data.get("ticket"), purpose=data.get("purpose")), requisition_dict)

    def _visible(self, pk) -> Requisition:
        req = self.datamodel.get(pk, self._base_filters)
        if req is None:
            raise DomainError(_("Not found."), status=404)
        return req

    @api_action("/<int:pk>/lines", "get", methods=["GET"])
    def lines(self, pk):
        """The slip with its lines, costs and charges."""
        return run_api(self, lambda: {"result": requisition_dict(self._visible(pk))})

    def _decide(self, pk, approve: bool):
        """The decision on a slip the caller may see, with the note of a JSON body ({note?})."""
        def run():
            self._visible(pk)
            note = (request.get_json(silent=True) or {}).get("note") if request.is_json else None
            return {"result": requisition_dict(svc.decide_requisition(pk, approve, note))}
        return run_api(self, run)

    @api_action("/<int:pk>/approve", "approve")
    def approve(self, pk):
        """Approve a requested slip (tech engineer or manager; not one's own)."""
        return self._decide(pk, True)

    @api_action("/<int:pk>/reject", "approve")
    def reject(self, pk):
        """Reject a requested slip."""
        return self._decide(pk, False)

    @api_action("/<int:pk>/issue", "issue")
    def issue(self, pk):
        """The keeper issues: {lines: [{line, qty}]}; partial issues allowed."""
        def run():
            moves = svc.issue_requisition(pk, id_qty_map(json_body().get("lines")))
            req = db.session.get(Requisition, pk)
            return {"result": requisition_dict(req), "movements": [stock.movement_dict(m) for m in moves]}
        return run_api(self, run, 201)

    @api_action("/<int:pk>/return_unused", "return_unused")
    def return_unused(self, pk):
        """Unused parts back into stock: {line, qty}."""
        def run():
            data = json_body()
            req = db.session.get(Requisition, pk)
            if req is None or data.get("line") not in {ln.id for ln in req.lines}:
                raise DomainError({"line": _("That line is not on this slip.")}, status=404)
            mv = svc.return_unused(data["line"], data.get("qty"))
            return {"movement": stock.movement_dict(mv), "result": requisition_dict(req)}
        return run_api(self, run, 201)


FILTERS = ["number", "status", "engineer_id", "ticket_id", "warehouse_id", "requested_at"]
ORDER = ["number", "requested_at", "status"]
REQUISITION = Register(
    Requisition, "requisition", form=(), base_order=("requested_at", "desc"), base_filters=[own_rows("engineer_id")],
    list=["number", "requested_at", "engineer", "ticket", "warehouse", "status", "approved_by"],
    search=FILTERS, order=ORDER, api_search=FILTERS, api_order=ORDER,
    api_list=["id", "number", "status", "engineer_id", "ticket_id", "warehouse_id", "requested_at", "approved_by_id",
              "approved_at", "in_warranty", "purpose"],
    api_show=["decision_note"], paper_form=write_requisition_slip, paper_form_label=_l("Requisition slip (Excel)"),
    screen={"base_permissions": ["can_list", "can_show", "can_add", "can_approve", "can_issue", "can_return_unused"]},
    api={"add_columns": ["engineer", "warehouse", "ticket", "purpose"],
         "include_route_methods": {"get", "get_list", "info", "post", "export_xlsx", "approve", "reject", "issue",
                                   "lines", "return_unused"}},
    screen_mixins=(SlipDesk,), api_mixins=(SlipCalls,),
)
RequisitionView, RequisitionApi = build(REQUISITION)
