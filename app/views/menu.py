"""The menu as data, beside the role POLICY table (app/security/policy.py): every screen, its menu
place and label, every API, registered by one loop in this order (the order is the menu's).

`name` is the menu entry FAB and the permission sync know (`menu_access` on it); a `view` is
"module:Class" under app/views, imported when the app is built. An entry's menu access follows the
list permission of `access` (default: its own view), so a role sees exactly the entries whose
lists it may open. Short category labels: the English navbar fits one row at 1 400 px.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Item:
    name: str
    label: object
    view: str  # "module:Class"
    icon: str = ""
    href: str | None = None  # a link to a page of `view` instead of its list
    access: str | None = None  # the view whose list permission opens this entry (default: `view`'s)


@dataclass(frozen=True)
class Category:
    name: str
    label: object
    items: tuple[Item, ...]


MENU: tuple[Category, ...] = (
    Category("Customers", _l("Customers"), (
        Item("Customer list", _l("Customers"), "customers:CustomerView", "fa-building"),
        Item("Contact list", _l("Contacts"), "customers:ContactView", "fa-address-book"),
        Item("Project list", _l("Projects / contracts"), "customers:ProjectView", "fa-file-contract"),
        Item("Equipment list", _l("Installed equipment"), "customers:EquipmentView", "fa-server"),
    )),
    Category("Staff", _l("Staff"), (
        Item("Staff list", _l("Staff members"), "staff:StaffView", "fa-id-badge"),
        Item("Training plans", _l("Training plans"), "development:TrainingPlanView", "fa-chalkboard"),
        Item("Training records", _l("Training records"), "development:TrainingRecordView", "fa-chalkboard-user"),
        Item("Training attendees", _l("Training attendees"), "development:TrainingAttendanceView", "fa-user-check"),
        Item("Appraisals", _l("Appraisals"), "development:AppraisalView", "fa-star-half-stroke"),
        Item("Trips", _l("Trips / field attendance"), "trips:TripView", "fa-car"),
    )),
    Category("Tickets", _l("Requests"), (
        Item("Ticket list", _l("Tickets"), "tickets:TicketView", "fa-headset"),
        Item("My work today", _l("My work today"), "field_work:FieldWorkView", "fa-toolbox"),
        Item("My tickets", _l("My tickets"), "ticket_lists:MyTicketsView", "fa-user-check"),
        Item("Escalations", _l("Escalation list (overdue)"), "ticket_lists:EscalationView", "fa-triangle-exclamation"),
        Item("To call back", _l("To call back (survey)"), "ticket_lists:CallbackView", "fa-phone"),
        Item("Repair records", _l("On-site repair records"), "ticket_work:RepairRecordView", "fa-screwdriver-wrench"),
        Item("Solution plans", _l("Solution plans"), "ticket_work:SolutionPlanView", "fa-diagram-project"),
        Item("Fault analyses", _l("Fault analyses"), "ticket_work:FaultAnalysisView", "fa-magnifying-glass-chart"),
        Item("Surveys", _l("Satisfaction surveys"), "ticket_work:SatisfactionSurveyView", "fa-face-smile"),
        Item("KPI summary", _l("KPI summary"), "kpi_page:KpiView", "fa-chart-line"),
        Item("After-sales report", _l("After-sales report (Excel)"), "report:AfterSalesReportView", "fa-file-excel"),
        Item("Service levels", _l("Service levels"), "ticket_work:SlaPolicyView", "fa-stopwatch"),
        Item("Attachments", _l("Photos and documents"), "attachments:AttachmentView", "fa-paperclip"),
    )),
    Category("Parts", _l("Parts"), (
        Item("Part catalogue", _l("Part catalogue"), "parts:PartView", "fa-cogs"),
        Item("Warehouses", _l("Warehouses"), "parts:WarehouseView", "fa-warehouse"),
        Item("Stock on hand", _l("Stock on hand"), "stock:StockBalanceView", "fa-boxes-stacked"),
        Item("Stock ledger", _l("Stock ledger"), "stock:StockMovementView", "fa-book"),
        Item("Stock valuation", _l("Stock valuation"), "stock:StockLedgerView", "fa-coins"),
        Item("Post stock", _l("Post stock"), "stock:StockPostView", "fa-right-left"),
        Item("Requisitions", _l("Requisition slips"), "requisitions:RequisitionView", "fa-file-lines"),
        Item("Defective returns", _l("Defective-part returns"), "defective:DefectiveReturnView", "fa-rotate-left"),
        Item("Parts owed back", _l("Faulty parts owed back"), "defective:OwedPartsView", "fa-user-clock"),
        Item("Reorder list", _l("Reorder list"), "parts:ReorderView", "fa-cart-plus"),
        Item("Purchase requests", _l("Purchase requests"), "purchasing:PurchaseRequestView", "fa-cart-shopping"),
        Item("Stocktakes", _l("Stocktakes"), "stocktakes:StocktakeView", "fa-clipboard-check"),
    )),
    Category("Tools", _l("Tools"), (
        Item("Tool register", _l("Tools and instruments"), "tools:ToolView", "fa-screwdriver-wrench"),
        Item("Tool loans", _l("Tool loans"), "tools:ToolLoanView", "fa-handshake"),
        Item("Overdue tools", _l("Overdue and calibration due"), "tools:ToolOverdueView", "fa-clock"),
    )),
    Category("Callbacks", _l("Callbacks"), (
        Item("Callback records", _l("Callback records"), "callbacks:CallbackRecordView", "fa-phone"),
        Item("Due callbacks", _l("Due callbacks"), "callbacks:CallbackRecordView", "fa-bell",
             href="/callbackrecordview/due"),
        Item("Callback plans", _l("Callback plans"), "callbacks:CallbackPlanView", "fa-calendar"),
        Item("Complaints", _l("Complaints"), "complaints:ComplaintView", "fa-exclamation-circle"),
        Item("Overdue complaints", _l("Overdue complaints"), "complaints:OverdueComplaintView", "fa-clock",
             access="ComplaintView"),
    )),
    Category("Inspections", _l("Inspections"), (
        Item("Inspection records", _l("Inspection records"), "inspections:InspectionRecordView", "fa-search"),
        Item("Inspection plans", _l("Inspection plans"), "inspections:InspectionPlanView", "fa-calendar-check"),
        Item("Maintenance plans", _l("Maintenance plans"), "maintenance:MaintenancePlanView", "fa-wrench"),
        Item("Maintenance records", _l("Maintenance records"), "maintenance:MaintenanceRecordView",
             "fa-clipboard-check"),
        Item("Upgrade requests", _l("Upgrade requests"), "maintenance:UpgradeRequestView", "fa-level-up-alt"),
    )),
    Category("Knowledge", _l("Knowledge"), (
        Item("Knowledge articles", _l("Knowledge base"), "knowledge:KnowledgeArticleView", "fa-book"),
        Item("Experts", _l("Expert pool"), "knowledge:ExpertView", "fa-user-graduate"),
        Item("Ticket solutions", _l("Tickets solved from articles"), "knowledge:TicketKnowledgeLinkView", "fa-link"),
        Item("Article revisions", _l("Article revisions"), "knowledge:KnowledgeRevisionView", "fa-history"),
    )),
    Category("Management", _l("Management"), (
        Item("Risks", _l("Risk register"), "risks:RiskView", "fa-triangle-exclamation"),
        Item("Budgets", _l("Budget"), "budget:BudgetView", "fa-coins"),
        Item("Expenses", _l("Expenses"), "budget:ExpenseView", "fa-receipt"),
        Item("Meetings", _l("Technical meetings"), "meetings:MeetingView", "fa-people-group"),
        Item("Action items", _l("Meeting action items"), "meetings:ActionItemView", "fa-list-check"),
    )),
    Category("Audit", _l("Audit"), (
        Item("Audit trail", _l("Audit trail"), "audit:AuditLogView", "fa-clipboard-list"),
    )),
)

# Screens reached from other pages, not from the menu.
NO_MENU = (
    "complaints:ComplaintProgressView", "inspections:InspectionChecklistItemView",
    "inspections:InspectionItemResultView", "jobs:JobView", "lookups:LookupView",
)

APIS = (
    "customers:CustomerApi", "customers:ContactApi", "customers:ProjectApi", "customers:EquipmentApi",
    "staff:StaffApi",
    "tickets:TicketApi", "tickets_api:TicketEventApi", "ticket_work:RepairRecordApi",
    "ticket_work:SolutionPlanApi", "ticket_work:FaultAnalysisApi", "ticket_work:SatisfactionSurveyApi",
    "ticket_work:SlaPolicyApi", "kpi:KpiApi", "report:AfterSalesReportApi", "attachments:AttachmentApi",
    "parts:PartApi", "parts:WarehouseApi", "stock:StockMovementApi", "stock:StockBalanceApi", "stock_api:StockApi",
    "requisitions:RequisitionApi", "defective:DefectiveReturnApi", "purchasing:PurchaseRequestApi",
    "stocktakes:StocktakeApi", "tools:ToolApi", "tools:ToolLoanApi",
    "callbacks:CallbackPlanApi", "callbacks:CallbackRecordApi", "complaints:ComplaintApi",
    "complaints:ComplaintProgressApi", "inspections:InspectionPlanApi", "inspections:InspectionChecklistItemApi",
    "inspections:InspectionRecordApi", "inspections:InspectionItemResultApi", "maintenance:MaintenancePlanApi",
    "maintenance:MaintenanceRecordApi", "maintenance:UpgradeRequestApi",
    "knowledge:KnowledgeArticleApi", "knowledge:KnowledgeRevisionApi", "knowledge:TicketKnowledgeLinkApi",
    "knowledge:ExpertApi", "risks:RiskApi", "development:TrainingPlanApi", "development:TrainingRecordApi",
    "development:TrainingAttendanceApi", "development:AppraisalApi", "trips:TripApi", "budget:BudgetApi",
    "budget:ExpenseApi", "meetings:MeetingApi", "meetings:ActionItemApi",
    "audit:AuditLogApi", "jobs:JobApi",
)


def resolve(ref: str) -> type:
    module, _sep, name = ref.partition(":")
    return getattr(importlib.import_module(f"app.views.{module}"), name)


def register_menu(appbuilder) -> None:
    """Every screen of MENU with its menu entry, the NO_MENU screens, then every API."""
    for category in MENU:
        for item in category.items:
            view = resolve(item.view)
            if item.href is None:
                appbuilder.add_view(view, item.name, label=item.label, icon=item.icon, category=category.name,
                                    category_label=category.label)
            else:
                appbuilder.add_link(item.name, href=item.href, label=item.label, icon=item.icon,
                                    category=category.name, category_label=category.label)
            appbuilder.sm.register_menu(item.name, item.access or view.__name__, category.name)
    for ref in NO_MENU:
        appbuilder.add_view_no_menu(resolve(ref))
    for ref in APIS:
        appbuilder.add_api(resolve(ref))
