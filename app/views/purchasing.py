"""Purchase requests: screens and APIs over app/services/purchasing.py (stocktakes: stocktakes.py)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _

from ..extensions import db
from ..models.purchasing import PurchaseRequest
from ..services import purchasing as svc
from ..services import stock
from .actions import run_api, run_html
from .endpoints import api_action, screen_action
from .parts_common import id_qty_map, json_body, json_lines, pk_or_404, post_document
from .parts_forms import SHOWN_BY_FIELD, form_int, line_fields, save_new, slot_parts
from .register_spec import Register, build

LINE_SLOTS = 8


def purchase_dict(pr: PurchaseRequest) -> dict:
    return {"id": pr.id, "number": pr.number, "status": pr.status.value, "warehouse": pr.warehouse_id,
            "reason": pr.reason, "requested_by": pr.requested_by_id, "approved_by": pr.approved_by_id,
            "lines": [{"id": ln.id, "part": ln.part_id, "qty": ln.qty, "qty_received": ln.qty_received,
                       "est_unit_cost": stock.money(ln.est_unit_cost)} for ln in pr.lines]}


class PurchaseDesk:
    """The request's own pages: the request with its lines, a new one, the decision, the receipt."""

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        pr = db.session.get(PurchaseRequest, pk_or_404(pk)) or abort(404)
        return self.render_template("parts/purchase.html", pr=pr, money=stock.money,
                                    can_approve=self.may("can_approve"), can_receive=self.may("can_receive"),
                                    title=_("Purchase request %(no)s", no=pr.number))

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        """The keeper's own request (besides the one-click reorder): part codes, quantities, estimated costs."""
        saved, errors = save_new(
            PurchaseRequest, lambda: svc.create_purchase(form_int("warehouse"), _purchase_lines(),
                                                         request.form.get("reason") or None),
            texts=("reason",), shown=SHOWN_BY_FIELD)
        return saved or self.render_template(
            "parts/purchase_add.html", warehouses=stock.active_warehouses(), slots=range(LINE_SLOTS),
            form=request.form, errors=errors, title=_("New purchase request"))

    @screen_action("/decide/<int:pk>", "approve")
    def decide(self, pk):
        def run():
            pr = svc.decide_purchase(pk, request.form.get("decision") == "approve")
            return _("%(no)s: %(status)s", no=pr.number, status=pr.status.label)
        return run_html(run, url_for("PurchaseRequestView.show", pk=pk))

    @screen_action("/receive/<int:pk>", "receive")
    def receive(self, pk):
        def run():
            receipts = {line: (form_int(name), request.form.get(f"cost_{line}")) for line, name in line_fields("qty_")}
            moves = svc.receive_purchase(pk, {k: v for k, v in receipts.items() if v[0] not in (None, 0)},
                                         request.form.get("reference") or None)
            return _("Received %(n)s line(s) into stock.", n=len(moves))
        return run_html(run, url_for("PurchaseRequestView.show", pk=pk))


class PurchaseCalls:
    """A request is a POST with its lines; the decision and the receipt are calls of their own."""

    def post_headless(self):
        """{warehouse, reason?, lines: [{part, qty, est_unit_cost?}]}."""
        return post_document(self, lambda data: svc.create_purchase(
            data.get("warehouse"), [(x.get("part"), x.get("qty"), x.get("est_unit_cost")) for x in json_lines(data)],
            data.get("reason")), purchase_dict)

    @api_action("/<int:pk>/approve", "approve")
    def approve(self, pk):
        """Manager approves."""
        return run_api(self, lambda: {"result": purchase_dict(svc.decide_purchase(pk, True))})

    @api_action("/<int:pk>/reject", "approve")
    def reject(self, pk):
        """Manager rejects."""
        return run_api(self, lambda: {"result": purchase_dict(svc.decide_purchase(pk, False))})

    @api_action("/<int:pk>/receive", "receive")
    def receive(self, pk):
        """Goods arrive: {lines: [{line, qty, unit_cost}], reference?} → stock-in at the actual cost."""
        def run():
            data = json_body()
            items = data.get("lines")
            qtys = id_qty_map(items)
            costs = {x["line"]: x.get("unit_cost") for x in items}
            moves = svc.receive_purchase(pk, {k: (q, costs[k]) for k, q in qtys.items()}, data.get("reference"))
            return {"result": purchase_dict(db.session.get(PurchaseRequest, pk)),
                    "movements": [stock.movement_dict(m) for m in moves]}
        return run_api(self, run, 201)


def _purchase_lines() -> list[tuple]:
    """(part id, qty, estimated unit cost) of the filled slots, the parts typed by their code."""
    from ..models.parts import Part

    def part_id(code):
        return db.session.scalar(sa.select(Part.id).where(Part.code == code))
    return [(pid, form_int(f"qty_{i}"), (request.form.get(f"cost_{i}") or "").strip() or None)
            for i, pid in slot_parts(LINE_SLOTS, part_id)]


FILTERS, ORDER = ["number", "status", "warehouse_id", "requested_at"], ["number", "requested_at", "status"]
PURCHASE = Register(
    PurchaseRequest, "purchase_request", form=(), base_order=("requested_at", "desc"),
    list=["number", "requested_at", "warehouse", "status", "requested_by", "approved_by", "reason"],
    search=FILTERS, order=ORDER, api_search=FILTERS, api_order=ORDER,
    api_list=["id", "number", "status", "warehouse_id", "reason", "requested_at", "requested_by_id",
              "approved_by_id", "approved_at"],
    screen={"base_permissions": ["can_list", "can_show", "can_add", "can_approve", "can_receive"]},
    api={"add_columns": ["warehouse", "reason"],
         "include_route_methods": {"get", "get_list", "info", "post", "export_xlsx", "approve", "reject", "receive"}},
    screen_mixins=(PurchaseDesk,), api_mixins=(PurchaseCalls,),
)
PurchaseRequestView, PurchaseRequestApi = build(PURCHASE)
