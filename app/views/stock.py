"""Ledger screens: movement list (read-only), stock card, valuation, and posting forms."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models.base import DomainError
from ..models.parts import Part, Warehouse
from ..models.stock import StockBalance, StockMovement
from ..services import parts as parts_service
from ..services import stock, stock_reports
from ..services.export import DATETIME, INTEGER, MONEY, Column
from ..unit_of_work import unit_of_work
from .base import flash_errors
from .endpoints import screen_action
from .lookup_fields import resolve
from .parts_forms import form_int
from .register_spec import Register, build
from .table_export import Table, TableExport

READ_ONLY_API = {"get", "get_list", "info", "export_xlsx"}


# FK columns give plain id filters: no dropdown loading every part on each page
LEDGER_FILTERS = ["part_id", "warehouse_id", "kind", "posted_at", "reference", "ticket_id", "requisition_id"]
LEDGER_LIST = ["posted_at", "part", "warehouse", "kind", "qty", "unit_cost", "value", "balance_qty", "balance_value",
               "reference", "posted_by"]
# The ledger: list and show only; no role can add, edit or delete a movement, and no such routes exist at all.
MOVEMENT = Register(
    StockMovement, "stock_movement", form=(), base_order=("id", "desc"), list=LEDGER_LIST,
    show=LEDGER_LIST + ["note", "ticket_id", "requisition_id", "reversal_of_id", "counterpart_id"],
    search=LEDGER_FILTERS, order=["posted_at", "qty", "value", "reference"],
    api_list=["id", "posted_at", "part.id", "part.code", "warehouse.id", "kind", "qty", "unit_cost", "value",
              "balance_qty", "balance_value", "reference", "ticket_id", "requisition_id", "reversal_of_id",
              "counterpart_id", "posted_by_id"],
    api_show=["note", "purchase_line_id"], api_search=LEDGER_FILTERS,
    api_order=["id", "posted_at", "qty", "value", "reference"],
    screen={"base_permissions": ["can_list", "can_show"], "include_route_methods": {"list", "show", "export_xlsx"},
            "list_title": _l("Stock ledger")},
    api={"include_route_methods": READ_ONLY_API},
)
StockMovementView, StockMovementApi = build(MOVEMENT)

# On hand per part and warehouse (what postings lock); read-only. No dotted "part.code" in the API:
# FAB's count query joins it through the model's primary key, and a composite key (part, warehouse)
# has none it can use: every list answered 500.
BALANCE = Register(
    StockBalance, "stock_balance", form=(), base_order=("value", "desc"), list=["part", "warehouse", "qty", "value"],
    search=["part_id", "warehouse_id", "qty"], order=["qty", "value"],
    api_list=["part_id", "warehouse_id", "qty", "value"], api_search=["part_id", "warehouse_id", "qty"],
    api_order=["qty", "value"],
    screen={"base_permissions": ["can_list"], "include_route_methods": {"list"}, "list_title": _l("Stock on hand"),
            "label_columns": {"qty": _l("On hand"), "value": _l("Value")}},
    api={"include_route_methods": {"get_list", "info", "export_xlsx"}, "show_columns": []},
)
StockBalanceView, StockBalanceApi = build(BALANCE)


def _part_by_code(field: str = "part") -> int | None:
    """The part of the form's search box (its id), or of a code typed by hand."""
    code = (request.form.get(field) or "").strip()
    part = resolve("part", code)
    if part is None:
        raise DomainError({field: _("Unknown part code %(code)s.", code=code)})
    return part.id


class StockPostView(BaseView):
    """The keeper's posting forms: receive, issue, transfer, reverse (the same service as the API)."""

    route_base = "/stock_post"
    default_view = "list"

    @screen_action("/", "list", methods=["GET"])
    def list(self):
        return self.render_template("stock/post_menu.html", title=_("Post stock"))

    def _post(self, run, template: str, **ctx):
        if request.method == "POST":
            try:
                with unit_of_work():
                    message, part_id = run()
                flash(message, "success")
                return redirect(url_for("StockLedgerView.card", part_id=part_id))
            except DomainError as err:
                flash_errors(err)
        warehouses = db.session.scalars(sa.select(Warehouse).where(Warehouse.active.is_(True))
                                        .order_by(Warehouse.name)).all()
        typed = (request.form.get("part") or "").strip()
        chosen_part = (resolve("part", typed) or typed) if typed else None
        return self.render_template(template, warehouses=warehouses, form=request.form, chosen_part=chosen_part,
                                    **ctx)

    @screen_action("/receive", "receive", methods=["GET", "POST"])
    def receive(self):
        def run():
            mv = stock.receive(_part_by_code(), form_int("warehouse"), form_int("qty"), request.form.get("unit_cost"),
                               request.form.get("reference"), note=request.form.get("note") or None)
            return _("Received %(q)s; on hand %(b)s.", q=mv.qty, b=mv.balance_qty), mv.part_id
        return self._post(run, "stock/post.html", action="receive", title=_("Receive stock"))

    @screen_action("/issue", "issue", methods=["GET", "POST"])
    def issue(self):
        def run():
            mv = stock.issue(_part_by_code(), form_int("warehouse"), form_int("qty"), request.form.get("reference"),
                             note=request.form.get("note") or None)
            return _("Issued %(q)s at %(v)s; on hand %(b)s.", q=-mv.qty, v=stock.money(-mv.value),
                     b=mv.balance_qty), mv.part_id
        return self._post(run, "stock/post.html", action="issue", title=_("Issue stock"))

    @screen_action("/transfer", "transfer", methods=["GET", "POST"])
    def transfer(self):
        def run():
            out, inn = stock.transfer(_part_by_code(), form_int("warehouse"), form_int("to_warehouse"), form_int("qty"),
                                      request.form.get("reference"))
            return _("Transferred %(q)s.", q=inn.qty), out.part_id
        return self._post(run, "stock/post.html", action="transfer", title=_("Transfer stock"))

    @screen_action("/reverse/<int:pk>", "reverse", methods=["GET", "POST"])
    def reverse(self, pk):
        movement = db.session.get(StockMovement, pk) or abort(404)

        def run():
            movements = parts_service.reverse_movement(pk, request.form.get("reference") or None)
            return _("Reversed movement #%(id)s.", id=pk), movements[0].part_id
        return self._post(run, "stock/reverse.html", movement=movement, title=_("Reverse a movement"))


class StockLedgerView(TableExport, BaseView):
    """Stock card and valuation by warehouse."""

    def table(self, part_id: str | None = None, warehouse: str | None = None, **_args) -> Table:
        """The valuation; with `part_id`, that part's stock card (and `warehouse`)."""
        if part_id is None:
            columns = [Column(_("Warehouse")), Column(_("Parts in stock"), INTEGER), Column(_("Units"), INTEGER),
                       Column(_("Value (FIFO)"), MONEY)]
            rows = ((wh.name, parts, qty, value) for wh, qty, value, parts in stock_reports.valuation_rows())
            return Table(_("Stock valuation by warehouse"), columns, rows, "stock_valuation")
        part = db.session.get(Part, int(part_id)) if part_id.isdigit() else None
        if part is None:
            abort(404)
        columns = [Column("#", INTEGER), Column(_("Posted at"), DATETIME), Column(_("Warehouse")), Column(_("Kind")),
                   Column(_("Reference")), Column(_("Qty in"), INTEGER), Column(_("Qty out"), INTEGER),
                   Column(_("Unit cost"), MONEY), Column(_("Value"), MONEY),
                   Column(_("Balance (warehouse)"), INTEGER), Column(_("Balance value (warehouse)"), MONEY),
                   Column(_("Balance (all)"), INTEGER)]
        rows = ((mv.id, mv.posted_at, str(mv.warehouse), mv.kind.label, mv.reference, mv.qty if mv.qty > 0 else None,
                 -mv.qty if mv.qty < 0 else None, mv.unit_cost, mv.value, mv.balance_qty, mv.balance_value, total)
                for mv, total in stock_reports.card_lines(
                    part.id, int(warehouse) if (warehouse or "").isdigit() else None))
        return Table(f"{_('Stock card')} {part.code}", columns, rows, f"stock_card_{part.code}")

    route_base = "/stock"
    default_view = "valuation"

    @screen_action("/card/<int:part_id>", "card", methods=["GET"])
    def card(self, part_id):
        """Per-part stock card: movements oldest first with the running balance of each warehouse."""
        part = db.session.get(Part, part_id) or abort(404)
        warehouse = request.args.get("warehouse", type=int)
        lines = stock_reports.card_lines(part_id, warehouse)
        balances = db.session.scalars(sa.select(StockBalance).where(StockBalance.part_id == part_id)).all()
        return self.render_template("stock/card.html", part=part, lines=lines, balances=balances,
                                    title=_("Stock card"), warehouse=warehouse, money=stock.money)

    @screen_action("/valuation", "list", methods=["GET"])
    def valuation(self):
        """Stock value by warehouse (sum of remaining FIFO layers = sum of balances)."""
        rows = stock_reports.valuation_rows()
        total = sum((Decimal(str(r[2])) for r in rows), Decimal("0"))
        return self.render_template("stock/valuation.html", rows=rows, total=total, money=stock.money,
                                    title=_("Stock valuation by warehouse"))
