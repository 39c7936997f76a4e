"""Every model module, imported so that db.metadata knows all tables: the names below, then every
other module of the package (a new area's module needs no line here; import its models from it,
`from ..models.<area> import <Model>`)."""
# ruff: noqa: I001 - the import order is the order the mappers meet each other
import importlib as _importlib
import pkgutil as _pkgutil

from .customers import Contact, Customer, Equipment, Importance, Project  # noqa: F401
from .staff import Position, Staff  # noqa: F401
from .tickets import Category, Channel, HandlingMode, Severity, Ticket, TicketStatus  # noqa: F401
from .numbering import DocumentCounter  # noqa: F401
from .ticket_work import (  # noqa: F401
    FaultAnalysis, RepairRecord, RepairResult, SatisfactionSurvey, SolutionPlan, TicketEvent,
)
from .sla import SlaPolicy  # noqa: F401
from .callbacks import CallbackMethod, CallbackPlan, CallbackRecord, CallbackStatus  # noqa: F401
from .complaints import Complaint, ComplaintProgress, ComplaintStatus  # noqa: F401
from .inspections import (  # noqa: F401
    Cycle, InspectionChecklistItem, InspectionItemResult, InspectionPlan, InspectionRecord,
    InspectionStatus, ItemResult, Phase,
)
from .maintenance import (  # noqa: F401
    Level, MaintenanceKind, MaintenanceOutcome, MaintenancePlan, MaintenanceRecord, MaintenanceStatus,
    UpgradeNeed, UpgradeRequest, UpgradeSource, UpgradeStatus,
)
from .knowledge import ArticleStatus, Expert, KnowledgeArticle, KnowledgeRevision, TicketKnowledgeLink  # noqa: F401
from .risks import Risk, RiskCategory, RiskLevel, RiskStatus  # noqa: F401
from .development import (  # noqa: F401
    Appraisal, AssessmentResult, TrainingAttendance, TrainingKind, TrainingPlan, TrainingRecord,
)
from .trips import Trip  # noqa: F401
from .budget import Budget, BudgetCategory, Expense  # noqa: F401
from .meetings import ActionItem, Meeting, meeting_attendee  # noqa: F401
from .parts import Part, Warehouse  # noqa: F401
from .stock import MovementKind, StockBalance, StockLayer, StockLayerUse, StockMovement  # noqa: F401
from .requisitions import (  # noqa: F401
    DefectiveReturn, Requisition, RequisitionLine, RequisitionStatus, ReturnStatus,
)
from .purchasing import (  # noqa: F401
    PurchaseLine, PurchaseRequest, PurchaseStatus, Stocktake, StocktakeLine, StocktakeStatus,
)
from .tools import Tool, ToolKind, ToolLoan, ToolStatus  # noqa: F401
from .audit import AuditAction, AuditLog  # noqa: F401
from .sessions import LoginGuard, LoginSession  # noqa: F401
from .attachments import Attachment, AttachmentKind  # noqa: F401
from .alerts import Alert, AlertKind  # noqa: F401
from .notifications import (  # noqa: F401
    Delivery, DeliveryStatus, Notification, NotificationKind, NotificationPreference, SurveyLink, UserLanguage,
)
from .ticket_links import LinkKind, TicketLink  # noqa: F401
from .kpi_figures import TicketFiguresHour  # noqa: F401

for _module in sorted(info.name for info in _pkgutil.iter_modules(__path__)):
    _importlib.import_module(f"{__name__}.{_module}")
