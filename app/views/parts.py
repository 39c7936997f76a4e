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
from .base import ServiceModelView
from .endpoints import screen_action
from .interface import ServiceInterface
from .service_api import ServiceApi
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


class PartView(InLedgerGuard, ServiceModelView):
    datamodel = ServiceInterface(Part)
    list_columns = ["code", "name", "spec", "unit", "category", "is_key", "reorder_point", "standard_cost"]
    show_columns = PART_COLUMNS + ["created_at"]
    add_columns = edit_columns = PART_COLUMNS
    search_columns = ["code", "name", "spec", "category", "is_key", "active"]
    order_columns = ["code", "name", "category", "reorder_point", "standard_cost"]
    base_order = ("code", "asc")

    @screen_action("/card/<int:pk>", "show", methods=["GET"])
    def card(self, pk):
        """From the catalogue to the part's stock card."""
        from flask import redirect

        return redirect(url_for("StockLedgerView.card", part_id=pk))


class PartApi(InLedgerGuard, ServiceApi):
    resource_name = "part"
    datamodel = ServiceInterface(Part)
    list_columns = ["id"] + PART_COLUMNS
    show_columns = list_columns + ["created_at", "updated_at"]
    add_columns = edit_columns = PART_COLUMNS
    search_columns = ["code", "name", "category", "is_key", "active"]
    order_columns = ["code", "name", "category", "reorder_point", "standard_cost"]
    base_order = ("code", "asc")


class WarehouseView(InLedgerGuard, ServiceModelView):
    ledger_column = "warehouse_id"
    datamodel = ServiceInterface(Warehouse)
    list_columns = ["code", "name", "location", "active"]
    add_columns = edit_columns = ["code", "name", "location", "active"]
    search_columns = ["code", "name", "location", "active"]
    base_order = ("code", "asc")


class WarehouseApi(InLedgerGuard, ServiceApi):
    ledger_column = "warehouse_id"
    resource_name = "warehouse"
    datamodel = ServiceInterface(Warehouse)
    list_columns = ["id", "code", "name", "location", "active"]
    show_columns = list_columns
    add_columns = edit_columns = ["code", "name", "location", "active"]
    search_columns = ["code", "name", "active"]
    order_columns = ["code", "name"]
    base_order = ("code", "asc")


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
