"""Stocktakes: the keeper's count of one warehouse (blind or not) and the manager's approval, screens and
APIs over app/services/purchasing.py."""
from __future__ import annotations

from flask import abort, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _

from ..extensions import db
from ..models.base import DomainError, is_digits
from ..models.purchasing import Stocktake, StocktakeStatus
from ..services import purchasing as svc
from ..services import stock
from .actions import run_api, run_html
from .endpoints import api_action, screen_action
from .parts_common import id_qty_map, json_body, pk_or_404, post_document
from .parts_forms import form_int, line_fields, save_new
from .register_spec import Register, build


def stocktake_dict(st: Stocktake) -> dict:
    hide = st.blind and st.status is StocktakeStatus.counting  # a blind count shows no book figures
    return {"id": st.id, "number": st.number, "status": st.status.value, "warehouse": st.warehouse_id,
            "blind": st.blind, "snapshot_movement_id": st.snapshot_movement_id,
            "lines": [{"id": ln.id, "part": ln.part_id, "book_qty": None if hide else ln.book_qty,
                       "counted_qty": ln.counted_qty, "variance": None if hide else ln.variance,
                       "adjustment_movement": ln.adjustment_movement_id} for ln in st.lines]}


class StocktakeDesk:
    """The stocktake's own pages: the count sheet, starting one, counting, approving."""

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        st = db.session.get(Stocktake, pk_or_404(pk)) or abort(404)
        return self.render_template("parts/stocktake.html", st=st, title=_("Stocktake %(no)s", no=st.number),
                                    can_count=self.may("can_count"), can_approve=self.may("can_approve"),
                                    hide_book=st.blind and st.status is StocktakeStatus.counting)

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        saved, _errors = save_new(
            Stocktake, lambda: svc.start_stocktake(form_int("warehouse"), request.form.get("blind") == "y"))
        return saved or self.render_template("parts/stocktake_add.html", warehouses=stock.active_warehouses(),
                                             title=_("Start a stocktake"))

    @screen_action("/count/<int:pk>", "count")
    def count(self, pk):
        action = request.form.get("action", "save")

        def run():
            counts = {line: (request.form.get(name) or "").strip() or None for line, name in line_fields("counted_")}
            svc.record_count(pk, {k: (int(v) if v and is_digits(v) else v) for k, v in counts.items()})
            if action == "cancel":
                svc.cancel_stocktake(pk)
                return _("Stocktake cancelled.")
            if action == "submit":
                svc.submit_stocktake(pk)
                return _("Count submitted to the manager.")
            return _("Counts saved.")
        return run_html(run, url_for("StocktakeView.show", pk=pk))

    @screen_action("/approve/<int:pk>", "approve")
    def approve(self, pk):
        def run():
            moves = svc.approve_stocktake(pk)
            return _("Approved: %(n)s adjustment(s) posted.", n=len(moves))
        return run_html(run, url_for("StocktakeView.show", pk=pk))


class StocktakeCalls:
    """Starting is a POST of the stocktake; the count, its end and the approval are calls of their own."""

    def post_headless(self):
        """Start: {warehouse, blind?} freezes the book quantities."""
        return post_document(self, lambda data: svc.start_stocktake(data.get("warehouse"), bool(data.get("blind"))),
                             stocktake_dict)

    @api_action("/<int:pk>", "get", methods=["GET"])
    def detail(self, pk):
        """The stocktake with its lines (book figures hidden during a blind count)."""
        def run():
            st = db.session.get(Stocktake, pk)
            if st is None:
                raise DomainError(_("Not found."), status=404)
            return {"id": st.id, "result": stocktake_dict(st)}
        return run_api(self, run)

    @api_action("/<int:pk>/count", "count")
    def count(self, pk):
        """{lines: [{line, qty}]} counted quantities (0 allowed)."""
        return run_api(self, lambda: {"result": stocktake_dict(
            svc.record_count(pk, id_qty_map(json_body().get("lines"))))})

    @api_action("/<int:pk>/submit", "count")
    def submit(self, pk):
        """Counting done."""
        return run_api(self, lambda: {"result": stocktake_dict(svc.submit_stocktake(pk))})

    @api_action("/<int:pk>/cancel", "count")
    def cancel(self, pk):
        """Abandon the count; nothing is posted."""
        return run_api(self, lambda: {"result": stocktake_dict(svc.cancel_stocktake(pk))})

    @api_action("/<int:pk>/approve", "approve")
    def approve(self, pk):
        """Manager approves: variances are posted as adjustment movements."""
        def run():
            moves = svc.approve_stocktake(pk)
            return {"result": stocktake_dict(db.session.get(Stocktake, pk)),
                    "movements": [stock.movement_dict(m) for m in moves]}
        return run_api(self, run)


FILTERS, ORDER = ["number", "status", "warehouse_id", "started_at"], ["number", "started_at", "status"]
STOCKTAKE = Register(
    Stocktake, "stocktake", form=(), base_order=("started_at", "desc"),
    list=["number", "started_at", "warehouse", "status", "blind", "approved_by"],
    search=FILTERS, order=ORDER, api_search=FILTERS, api_order=ORDER,
    api_list=["id", "number", "status", "warehouse_id", "blind", "started_at", "snapshot_movement_id",
              "approved_by_id", "approved_at"],
    screen={"base_permissions": ["can_list", "can_show", "can_add", "can_count", "can_approve"]},
    api={"add_columns": ["warehouse", "blind"], "show_columns": [],
         "include_route_methods": {"get_list", "info", "post", "export_xlsx", "detail", "count", "submit",
                                   "approve", "cancel"}},
    screen_mixins=(StocktakeDesk,), api_mixins=(StocktakeCalls,),
)
StocktakeView, StocktakeApi = build(STOCKTAKE)
