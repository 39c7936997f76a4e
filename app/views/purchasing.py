"""Purchase requests and stocktakes: screens and APIs over app/services/purchasing.py."""
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
from ..models.parts import Warehouse
from ..models.purchasing import PurchaseRequest, Stocktake, StocktakeStatus
from ..services import purchasing as svc
from ..services import stock
from .base import ServiceApi, ServiceInterface, ServiceModelView, flash_errors
from .parts_common import SHOWN_BY_FIELD, check_lengths, pk_or_404, api_action, form_int, html_action, id_qty_map, json_body


LINE_SLOTS = 8


def purchase_dict(pr: PurchaseRequest) -> dict:
    return {"id": pr.id, "number": pr.number, "status": pr.status.value, "warehouse": pr.warehouse_id,
            "reason": pr.reason, "requested_by": pr.requested_by_id, "approved_by": pr.approved_by_id,
            "lines": [{"id": ln.id, "part": ln.part_id, "qty": ln.qty, "qty_received": ln.qty_received,
                       "est_unit_cost": stock.money(ln.est_unit_cost)} for ln in pr.lines]}


def stocktake_dict(st: Stocktake) -> dict:
    hide = st.blind and st.status is StocktakeStatus.counting  # a blind count shows no book figures
    return {"id": st.id, "number": st.number, "status": st.status.value, "warehouse": st.warehouse_id,
            "blind": st.blind, "snapshot_movement_id": st.snapshot_movement_id,
            "lines": [{"id": ln.id, "part": ln.part_id, "book_qty": None if hide else ln.book_qty,
                       "counted_qty": ln.counted_qty, "variance": None if hide else ln.variance,
                       "adjustment_movement": ln.adjustment_movement_id} for ln in st.lines]}


class PurchaseRequestView(ServiceModelView):
    datamodel = ServiceInterface(PurchaseRequest)
    base_permissions = ["can_list", "can_show", "can_add", "can_approve", "can_receive"]
    list_columns = ["number", "requested_at", "warehouse", "status", "requested_by", "approved_by", "reason"]
    search_columns = ["number", "status", "warehouse_id", "requested_at"]
    order_columns = ["number", "requested_at", "status"]
    base_order = ("requested_at", "desc")

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        pr = db.session.get(PurchaseRequest, pk_or_404(pk)) or abort(404)
        sm = self.appbuilder.sm
        return self.render_template("parts/purchase.html", pr=pr, money=stock.money,
                                    can_approve=sm.has_access("can_approve", "PurchaseRequestView"),
                                    can_receive=sm.has_access("can_receive", "PurchaseRequestView"),
                                    title=_("Purchase request %(no)s", no=pr.number))

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        """The keeper's own request (besides the one-click reorder): part codes, quantities, estimated costs."""
        errors = {}
        if request.method == "POST":
            try:
                check_lengths(PurchaseRequest, "reason")
                with stock.atomic():
                    pr = svc.create_purchase(form_int("warehouse"), _purchase_lines(), request.form.get("reason") or None)
                return redirect(url_for("PurchaseRequestView.show", pk=pr.id))
            except DomainError as err:
                errors = err.errors
                flash_errors(err, shown=SHOWN_BY_FIELD)
        warehouses = db.session.scalars(sa.select(Warehouse).where(Warehouse.active.is_(True))).all()
        return self.render_template("parts/purchase_add.html", warehouses=warehouses, slots=range(LINE_SLOTS),
                                    form=request.form, errors=errors, title=_("New purchase request"))

    @expose("/decide/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("approve")
    def decide(self, pk):
        def run():
            pr = svc.decide_purchase(pk, request.form.get("decision") == "approve")
            return _("%(no)s: %(status)s", no=pr.number, status=pr.status.label)
        return html_action(run, url_for("PurchaseRequestView.show", pk=pk))

    @expose("/receive/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("receive")
    def receive(self, pk):
        def run():
            receipts = {int(k[4:]): (form_int(k), request.form.get(f"cost_{k[4:]}"))
                        for k in request.form if k.startswith("qty_") and is_digits(k[4:])}
            moves = svc.receive_purchase(pk, {k: v for k, v in receipts.items() if v[0] not in (None, 0)},
                                         request.form.get("reference") or None)
            return _("Received %(n)s line(s) into stock.", n=len(moves))
        return html_action(run, url_for("PurchaseRequestView.show", pk=pk))


class PurchaseRequestApi(ServiceApi):
    resource_name = "purchase_request"
    datamodel = ServiceInterface(PurchaseRequest)
    include_route_methods = {"get", "get_list", "info", "post", "export_xlsx", "approve", "reject", "receive"}
    list_columns = ["id", "number", "status", "warehouse_id", "reason", "requested_at", "requested_by_id",
                    "approved_by_id", "approved_at"]
    show_columns = list_columns
    add_columns = ["warehouse", "reason"]
    search_columns = ["number", "status", "warehouse_id", "requested_at"]
    order_columns = ["number", "requested_at", "status"]
    base_order = ("requested_at", "desc")

    def post_headless(self):
        """{warehouse, reason?, lines: [{part, qty, est_unit_cost?}]}."""
        def run():
            data = json_body()
            lines = data.get("lines")
            if not isinstance(lines, list) or not all(isinstance(x, dict) for x in lines):
                raise DomainError({"lines": _("Give a list of {part, qty}.")})
            pr = svc.create_purchase(data.get("warehouse"),
                                     [(x.get("part"), x.get("qty"), x.get("est_unit_cost")) for x in lines],
                                     data.get("reason"))
            return {"id": pr.id, "result": purchase_dict(pr)}
        return api_action(self, run, 201)

    @api_expose("/<int:pk>/approve", methods=["POST"])
    @protect()
    @safe
    @permission_name("approve")
    def approve(self, pk):
        """Manager approves."""
        return api_action(self, lambda: {"result": purchase_dict(svc.decide_purchase(pk, True))})

    @api_expose("/<int:pk>/reject", methods=["POST"])
    @protect()
    @safe
    @permission_name("approve")
    def reject(self, pk):
        """Manager rejects."""
        return api_action(self, lambda: {"result": purchase_dict(svc.decide_purchase(pk, False))})

    @api_expose("/<int:pk>/receive", methods=["POST"])
    @protect()
    @safe
    @permission_name("receive")
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
        return api_action(self, run, 201)


def _purchase_lines() -> list[tuple]:
    from ..models.parts import Part

    lines = []
    for i in range(LINE_SLOTS):
        code = (request.form.get(f"part_{i}") or "").strip()
        if not code:
            continue
        part_id = db.session.scalar(sa.select(Part.id).where(Part.code == code))
        if part_id is None:
            raise DomainError({f"part_{i}": _("Unknown part code %(code)s.", code=code)})
        lines.append((part_id, form_int(f"qty_{i}"), (request.form.get(f"cost_{i}") or "").strip() or None))
    return lines


class StocktakeView(ServiceModelView):
    datamodel = ServiceInterface(Stocktake)
    base_permissions = ["can_list", "can_show", "can_add", "can_count", "can_approve"]
    list_columns = ["number", "started_at", "warehouse", "status", "blind", "approved_by"]
    search_columns = ["number", "status", "warehouse_id", "started_at"]
    order_columns = ["number", "started_at", "status"]
    base_order = ("started_at", "desc")

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        st = db.session.get(Stocktake, pk_or_404(pk)) or abort(404)
        sm = self.appbuilder.sm
        return self.render_template("parts/stocktake.html", st=st, title=_("Stocktake %(no)s", no=st.number),
                                    can_count=sm.has_access("can_count", "StocktakeView"),
                                    can_approve=sm.has_access("can_approve", "StocktakeView"),
                                    hide_book=st.blind and st.status is StocktakeStatus.counting)

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        if request.method == "POST":
            try:
                with stock.atomic():
                    st = svc.start_stocktake(form_int("warehouse"), request.form.get("blind") == "y")
                return redirect(url_for("StocktakeView.show", pk=st.id))
            except DomainError as err:
                from .stock import flash_errors

                flash_errors(err)
        warehouses = db.session.scalars(sa.select(Warehouse).where(Warehouse.active.is_(True))).all()
        return self.render_template("parts/stocktake_add.html", warehouses=warehouses, title=_("Start a stocktake"))

    @expose("/count/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("count")
    def count(self, pk):
        action = request.form.get("action", "save")

        def run():
            counts = {int(k[8:]): (request.form.get(k) or "").strip() or None
                      for k in request.form if k.startswith("counted_") and is_digits(k[8:])}
            svc.record_count(pk, {k: (int(v) if v and is_digits(v) else v) for k, v in counts.items()})
            if action == "cancel":
                svc.cancel_stocktake(pk)
                return _("Stocktake cancelled.")
            if action == "submit":
                svc.submit_stocktake(pk)
                return _("Count submitted to the manager.")
            return _("Counts saved.")
        return html_action(run, url_for("StocktakeView.show", pk=pk))

    @expose("/approve/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("approve")
    def approve(self, pk):
        def run():
            moves = svc.approve_stocktake(pk)
            return _("Approved: %(n)s adjustment(s) posted.", n=len(moves))
        return html_action(run, url_for("StocktakeView.show", pk=pk))


class StocktakeApi(ServiceApi):
    resource_name = "stocktake"
    datamodel = ServiceInterface(Stocktake)
    include_route_methods = {"get_list", "info", "post", "export_xlsx", "detail", "count", "submit", "approve", "cancel"}
    list_columns = ["id", "number", "status", "warehouse_id", "blind", "started_at", "snapshot_movement_id",
                    "approved_by_id", "approved_at"]
    add_columns = ["warehouse", "blind"]
    search_columns = ["number", "status", "warehouse_id", "started_at"]
    order_columns = ["number", "started_at", "status"]
    base_order = ("started_at", "desc")

    def post_headless(self):
        """Start: {warehouse, blind?} freezes the book quantities."""
        def run():
            data = json_body()
            st = svc.start_stocktake(data.get("warehouse"), bool(data.get("blind")))
            return {"id": st.id, "result": stocktake_dict(st)}
        return api_action(self, run, 201)

    @api_expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def detail(self, pk):
        """The stocktake with its lines (book figures hidden during a blind count)."""
        def run():
            st = db.session.get(Stocktake, pk)
            if st is None:
                raise DomainError(_("Not found."), status=404)
            return {"id": st.id, "result": stocktake_dict(st)}
        return api_action(self, run)

    @api_expose("/<int:pk>/count", methods=["POST"])
    @protect()
    @safe
    @permission_name("count")
    def count(self, pk):
        """{lines: [{line, qty}]} counted quantities (0 allowed)."""
        return api_action(self, lambda: {"result": stocktake_dict(
            svc.record_count(pk, id_qty_map(json_body().get("lines"))))})

    @api_expose("/<int:pk>/submit", methods=["POST"])
    @protect()
    @safe
    @permission_name("count")
    def submit(self, pk):
        """Counting done."""
        return api_action(self, lambda: {"result": stocktake_dict(svc.submit_stocktake(pk))})

    @api_expose("/<int:pk>/cancel", methods=["POST"])
    @protect()
    @safe
    @permission_name("count")
    def cancel(self, pk):
        """Abandon the count; nothing is posted."""
        return api_action(self, lambda: {"result": stocktake_dict(svc.cancel_stocktake(pk))})

    @api_expose("/<int:pk>/approve", methods=["POST"])
    @protect()
    @safe
    @permission_name("approve")
    def approve(self, pk):
        """Manager approves: variances are posted as adjustment movements."""
        def run():
            moves = svc.approve_stocktake(pk)
            return {"result": stocktake_dict(db.session.get(Stocktake, pk)),
                    "movements": [stock.movement_dict(m) for m in moves]}
        return api_action(self, run)
