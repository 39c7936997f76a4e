"""Menu and API registration of the spare-parts area (called from app/views/__init__.py)."""
from flask_babel import lazy_gettext as _l


def register(appbuilder) -> None:
    """Parts, stock, requisitions, purchasing, stocktakes and tools: views, menus, APIs."""
    from . import add_view
    from .parts import PartApi, PartView, ReorderView, WarehouseApi, WarehouseView
    from .purchasing import PurchaseRequestApi, PurchaseRequestView, StocktakeApi, StocktakeView
    from .defective import DefectiveReturnApi, DefectiveReturnView, OwedPartsView
    from .requisitions import RequisitionApi, RequisitionView
    from .stock import (
        StockBalanceApi, StockBalanceView, StockLedgerView, StockMovementApi, StockMovementView, StockPostView,
    )
    from .stock_api import StockApi
    from .tools import ToolApi, ToolLoanApi, ToolLoanView, ToolOverdueView, ToolView

    parts = ("Parts", _l("Parts"))  # short: the English navbar fits one row at 1400 px
    add_view(appbuilder, PartView, "Part catalogue", _l("Part catalogue"), *parts, "fa-cogs")
    add_view(appbuilder, WarehouseView, "Warehouses", _l("Warehouses"), *parts, "fa-warehouse")
    add_view(appbuilder, StockBalanceView, "Stock on hand", _l("Stock on hand"), *parts, "fa-boxes-stacked")
    add_view(appbuilder, StockMovementView, "Stock ledger", _l("Stock ledger"), *parts, "fa-book")
    add_view(appbuilder, StockLedgerView, "Stock valuation", _l("Stock valuation"), *parts, "fa-coins")
    add_view(appbuilder, StockPostView, "Post stock", _l("Post stock"), *parts, "fa-right-left")
    add_view(appbuilder, RequisitionView, "Requisitions", _l("Requisition slips"), *parts, "fa-file-lines")
    add_view(appbuilder, DefectiveReturnView, "Defective returns", _l("Defective-part returns"), *parts, "fa-rotate-left")
    add_view(appbuilder, OwedPartsView, "Parts owed back", _l("Faulty parts owed back"), *parts, "fa-user-clock")
    add_view(appbuilder, ReorderView, "Reorder list", _l("Reorder list"), *parts, "fa-cart-plus")
    add_view(appbuilder, PurchaseRequestView, "Purchase requests", _l("Purchase requests"), *parts, "fa-cart-shopping")
    add_view(appbuilder, StocktakeView, "Stocktakes", _l("Stocktakes"), *parts, "fa-clipboard-check")

    tools = ("Tools", _l("Tools"))
    add_view(appbuilder, ToolView, "Tool register", _l("Tools and instruments"), *tools, "fa-screwdriver-wrench")
    add_view(appbuilder, ToolLoanView, "Tool loans", _l("Tool loans"), *tools, "fa-handshake")
    add_view(appbuilder, ToolOverdueView, "Overdue tools", _l("Overdue and calibration due"), *tools, "fa-clock")

    for api in (PartApi, WarehouseApi, StockMovementApi, StockBalanceApi, StockApi, RequisitionApi,
                DefectiveReturnApi, PurchaseRequestApi, StocktakeApi, ToolApi, ToolLoanApi):
        appbuilder.add_api(api)
