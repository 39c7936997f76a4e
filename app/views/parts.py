"""Part catalogue, warehouses and the reorder list (with one-click purchase request)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import request, url_for
from flask_appbuilder import BaseView
from flask_babel import gettext as _

from ..extensions import db
from ..models.base import DomainError, is_digits
from ..models.parts import Part, Warehouse
from ..models.stock import StockMovement
from ..services import purchasing
from ..services.export import BOOLEAN, INTEGER, Column
from .actions import run_html
from .endpoints import screen_action
from .register_spec import Register, build
from .table_export import Table, TableExport

PART_COLUMNS = ["code", "name", "spec", "unit", "category", "is_key", "safety_stock", "reorder_point",
                "reorder_qty", "standard_cost", "expects_return", "active"]


class InLedgerGuard:
    """Refuses to delete a part or warehouse the ledger refers to (SQLite does not enforce FKs here)."""

    ledger_column = "part_id"

    def pre_delete(self, item):
        column = getattr(StockMovement, self.ledger_column)
        if db.session.scalar(sa.select(StockMovement.id).where(column == item.id).limit(1)) is not None:
            raise DomainError(_("It has stock movements; set it inactive instead."), status=409)


class WarehouseGuard(InLedgerGuard):
    ledger_column = "warehouse_id"


class PartScreen(InLedgerGuard):
    """The catalogue links each part to its stock card."""

    @screen_action("/card/<int:pk>", "show", methods=["GET"])
    def card(self, pk):
        """From the catalogue to the part's stock card."""
        from flask import redirect

        return redirect(url_for("StockLedgerView.card", part_id=pk))


PART_ORDER = ["code", "name", "category", "reorder_point", "standard_cost"]
PART = Register(
    Part, "part", form=PART_COLUMNS, show=PART_COLUMNS + ["created_at"], base_order=("code", "asc"),
    list=["code", "name", "spec", "unit", "category", "is_key", "reorder_point", "standard_cost"],
    search=["code", "name", "spec", "category", "is_key", "active"],
    api_list=["id"] + PART_COLUMNS, api_show=["created_at", "updated_at"],
    api_search=["code", "name", "category", "is_key", "active"], api_order=PART_ORDER,
    order=PART_ORDER, screen_mixins=(PartScreen,), api_mixins=(InLedgerGuard,),
)
PartView, PartApi = build(PART)

WAREHOUSE = Register(
    Warehouse, "warehouse", form=["code", "name", "location", "active"], base_order=("code", "asc"),
    list=["code", "name", "location", "active"], search=["code", "name", "location", "active"],
    api_list=["id", "code", "name", "location", "active"], api_search=["code", "name", "active"],
    api_order=["code", "name"], screen_mixins=(WarehouseGuard,), api_mixins=(WarehouseGuard,),
)
WarehouseView, WarehouseApi = build(WAREHOUSE)


class ReorderView(TableExport, BaseView):
    """Parts at or below their reorder point, key parts first (002 §2.5(2))."""

    def table(self, **_args) -> Table:
        columns = [Column(_("Code")), Column(_("Name")), Column(_("Key part"), BOOLEAN),
                   Column(_("On hand"), INTEGER), Column(_("Reorder point"), INTEGER),
                   Column(_("Safety stock"), INTEGER), Column(_("Suggested"), INTEGER)]
        rows = ((r.part.code, r.part.name, r.part.is_key, r.on_hand, r.part.reorder_point, r.part.safety_stock,
                 r.suggested) for r in purchasing.reorder_list())
        return Table(_("Reorder list"), columns, rows, "reorder_list")

    route_base = "/reorder"
    default_view = "list"

    @screen_action("/list/", "list", methods=["GET"])
    def list(self):
        warehouses = db.session.scalars(sa.select(Warehouse).where(Warehouse.active.is_(True))
                                        .order_by(Warehouse.code)).all()
        return self.render_template("parts/reorder.html", rows=purchasing.reorder_list(), warehouses=warehouses,
                                    title=_("Reorder list"))

    @screen_action("/purchase", "purchase")
    def purchase(self):
        """One click: a purchase request for the ticked parts (all listed when none ticked)."""
        chosen = [int(p) for p in request.form.getlist("part") if is_digits(p)] or None

        def run():
            pr = purchasing.purchase_from_reorder(_warehouse_id(), chosen)
            return _("Purchase request %(no)s sent to the manager.", no=pr.number)
        return run_html(run, url_for("PurchaseRequestView.list"))


def _warehouse_id():
    raw = request.form.get("warehouse", "")
    return int(raw) if is_digits(raw) else None
