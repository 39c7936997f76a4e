"""Every model module, imported so that db.metadata knows all tables."""
from .customers import Contact, Customer, Equipment, Importance, Project  # noqa: F401
from .staff import Position, Staff  # noqa: F401
from .tickets import Category, Channel, HandlingMode, Severity, Ticket, TicketStatus  # noqa: F401
from .parts import Part, Warehouse  # noqa: F401
from .stock import MovementKind, StockBalance, StockLayer, StockLayerUse, StockMovement  # noqa: F401
from .requisitions import (  # noqa: F401
    DefectiveReturn, Requisition, RequisitionLine, RequisitionStatus, ReturnStatus,
)
from .purchasing import (  # noqa: F401
    PurchaseLine, PurchaseRequest, PurchaseStatus, Stocktake, StocktakeLine, StocktakeStatus,
)
from .tools import Tool, ToolKind, ToolLoan, ToolStatus  # noqa: F401
