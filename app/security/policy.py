"""Role policy and menu as data: one row per resource, one column per department role; below,
the MENU table (every screen's menu place, in menu order).

A resource is the model's snake_case name; it covers the HTML view
(`<Model>View`, menu item included) and the REST API (`<Model>Api`). The
access levels expand into FAB permission names below. Admin has every
permission through FAB's own Admin role, so it is not listed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from .roles import CS, DEPARTMENT_ROLES, FIELD, KEEPER, MANAGER, TECH

# Access levels, from least to most.
NONE, READ, WRITE, FULL = "-", "R", "RW", "RWD"

# Permission names each level grants on a ModelView and on a ModelRestApi.
VIEW_PERMS = {
    READ: ("can_list", "can_show", "can_export"),
    WRITE: ("can_list", "can_show", "can_export", "can_add", "can_edit"),
    FULL: ("can_list", "can_show", "can_export", "can_add", "can_edit", "can_delete"),
}
API_PERMS = {
    READ: ("can_get", "can_info", "can_export"),
    WRITE: ("can_get", "can_info", "can_export", "can_post", "can_put"),
    FULL: ("can_get", "can_info", "can_export", "can_post", "can_put", "can_delete"),
}

#            resource            Manager  Tech   Field  CS     Keeper
POLICY: dict[str, tuple[str, str, str, str, str]] = {
    "customer":               (FULL,    READ,  READ,  WRITE, READ),
    "contact":                (FULL,    READ,  READ,  WRITE, READ),
    "project":                (FULL,    READ,  READ,  READ,  READ),
    "equipment":              (FULL,    WRITE, READ,  READ,  READ),
    "staff":                  (FULL,    READ,  READ,  READ,  READ),
    # management records: knowledge base, risks, staff development, trips, budget, meetings
    "knowledge_article":      (FULL,    FULL,  READ,  READ,  READ),
    "knowledge_revision":     (READ,    READ,  READ,  READ,  NONE),
    "ticket_knowledge_link":  (FULL,    FULL,  READ,  READ,  NONE),
    "expert":                 (FULL,    FULL,  READ,  READ,  NONE),
    "risk":                   (FULL,    WRITE, READ,  READ,  NONE),
    "training_plan":          (FULL,    FULL,  READ,  READ,  READ),
    "training_record":        (FULL,    FULL,  READ,  READ,  READ),
    "training_attendance":    (FULL,    FULL,  READ,  READ,  READ),
    "appraisal":              (FULL,    NONE,  NONE,  NONE,  NONE),
    "trip":                   (FULL,    READ,  WRITE, READ,  NONE),
    "budget":                 (FULL,    NONE,  NONE,  NONE,  NONE),
    "expense":                (FULL,    NONE,  NONE,  NONE,  NONE),
    "meeting":                (FULL,    FULL,  READ,  READ,  READ),
    "action_item":            (FULL,    FULL,  READ,  READ,  READ),
    # tickets (docs/TICKETS.md): moves are checked per role by app/services/tickets.py
    "ticket":                 (WRITE,   READ,  READ,  WRITE, NONE),
    "ticket_event":           (READ,    READ,  READ,  READ,  NONE),
    "solution_plan":          (FULL,    WRITE, READ,  READ,  NONE),
    "repair_record":          (FULL,    READ,  WRITE, READ,  NONE),
    "fault_analysis":         (FULL,    WRITE, READ,  NONE,  NONE),
    "satisfaction_survey":    (FULL,    READ,  NONE,  WRITE, NONE),
    "sla_policy":             (WRITE,   READ,  READ,  READ,  NONE),
    # spare parts: the keeper posts stock; approvals are extra permissions below
    "part":                   (WRITE,   READ,  READ,  READ,  FULL),
    "warehouse":              (WRITE,   READ,  READ,  NONE,  WRITE),
    "stock_movement":         (READ,    READ,  NONE,  NONE,  READ),   # views/APIs have no write routes
    "stock_balance":          (READ,    READ,  READ,  NONE,  READ),
    "requisition":            (WRITE,   WRITE, WRITE, NONE,  READ),   # field: own rows only
    "defective_return":       (READ,    READ,  READ,  NONE,  READ),   # field: own rows only
    "purchase_request":       (READ,    NONE,  NONE,  NONE,  WRITE),
    "stocktake":              (READ,    NONE,  NONE,  NONE,  WRITE),
    "tool":                   (READ,    READ,  READ,  NONE,  WRITE),
    "tool_loan":              (READ,    READ,  READ,  NONE,  WRITE),  # field: own rows only
    "audit_log":              (READ,    NONE,  NONE,  NONE,  NONE),
}

# What anonymous visitors may do through a permission check: nothing. The pages open to them (the
# login, /health, the customer's survey link) are views without one. The sync keeps the Public role
# empty like a department role, and the security manager answers from here, without a query (FAB
# reads the Public role and its permissions before every API call).
PUBLIC_GRANTS: frozenset[tuple[str, str]] = frozenset()

# Views that are not model resources: (view name, permission) per role.
EXTRA: dict[str, list[tuple[str, str]]] = {
    role: [] for role in DEPARTMENT_ROLES
}
EXTRA[MANAGER].append(("DashboardView", "can_list"))  # manager dashboard and its charts
# "use as solution" copies a knowledge article into a ticket (the engineers and the manager)
for _role in (MANAGER, TECH, FIELD):
    EXTRA[_role] += [("KnowledgeArticleView", "can_use_as_solution"),
                     ("KnowledgeArticleApi", "can_use_as_solution")]
# measuring an appraisal's KPIs again
EXTRA[MANAGER] += [("AppraisalView", "can_refresh_kpis"), ("AppraisalApi", "can_refresh_kpis")]

# Tickets: moves and notes (the service decides which move a role may make), engineers edit
# the tickets they work on, work lists, the KPI summary.
_TICKET_WORK = [("TicketView", "can_transition"), ("TicketApi", "can_transition"),
                ("TicketView", "can_note"), ("TicketApi", "can_note")]
_TICKET_EDIT = [("TicketView", "can_edit"), ("TicketApi", "can_put")]
# several tickets to one engineer in one step: the roles that may assign (services/tickets.py MOVES)
_BULK_ASSIGN = [("TicketView", "can_bulk_assign"), ("TicketApi", "can_bulk_assign")]
EXTRA[MANAGER] += _BULK_ASSIGN
EXTRA[TECH] += _BULK_ASSIGN
# linking tickets as related or duplicate: whoever takes in and sorts requests
_LINK = [("TicketView", "can_link")]
for _role in (MANAGER, TECH, CS):
    EXTRA[_role] += _LINK
EXTRA[MANAGER] += _TICKET_WORK + [("MyTicketsView", "can_list"), ("EscalationView", "can_list"),
                                  ("CallbackView", "can_list"), ("KpiApi", "can_summary"),
                                  ("KpiView", "can_list")]
EXTRA[TECH] += _TICKET_WORK + _TICKET_EDIT + [("MyTicketsView", "can_list"), ("KpiApi", "can_summary"),
                                          ("KpiView", "can_list")]
EXTRA[FIELD] += _TICKET_WORK + _TICKET_EDIT + [("MyTicketsView", "can_list")]
EXTRA[CS] += _TICKET_WORK + [("CallbackView", "can_list")]

# spare parts: postings, approvals and the non-model screens
_APPROVE_REQUISITION = [("RequisitionView", "can_approve"), ("RequisitionApi", "can_approve")]
_LEDGER_READ = [("StockLedgerView", "can_list"), ("StockLedgerView", "can_card"), ("StockApi", "can_balance"),
                ("OwedPartsView", "can_list")]
EXTRA[MANAGER] += _APPROVE_REQUISITION + _LEDGER_READ + [
    ("PurchaseRequestView", "can_approve"), ("PurchaseRequestApi", "can_approve"),
    ("StocktakeView", "can_approve"), ("StocktakeApi", "can_approve"),
    ("ReorderView", "can_list"), ("ToolOverdueView", "can_list"),
]
EXTRA[TECH] += _APPROVE_REQUISITION + _LEDGER_READ
# the periodic after-sales report workbook: the manager, and the tech engineer to read
_REPORT = [("AfterSalesReportView", "can_list"), ("AfterSalesReportView", "can_download"),
           ("AfterSalesReportApi", "can_after_sales")]
EXTRA[MANAGER] += _REPORT
EXTRA[TECH] += _REPORT
EXTRA[FIELD] += [("StockApi", "can_balance")]
# the engineer who owes a faulty part hands it back (the service checks it is theirs)
for _role in (TECH, FIELD):
    EXTRA[_role] += [("DefectiveReturnView", "can_hand_back"), ("DefectiveReturnApi", "can_hand_back")]
# background jobs (exports, report workbooks): each login reads only its own (app/views/jobs.py)
for _role in DEPARTMENT_ROLES:
    EXTRA[_role].append(("JobApi", "can_get"))
EXTRA[KEEPER] += _LEDGER_READ + [
    ("StockPostView", "can_list"), ("StockPostView", "can_receive"), ("StockPostView", "can_issue"),
    ("StockPostView", "can_transfer"), ("StockPostView", "can_reverse"),
    ("StockApi", "can_receive"), ("StockApi", "can_issue"), ("StockApi", "can_transfer"), ("StockApi", "can_reverse"),
    ("RequisitionView", "can_issue"), ("RequisitionApi", "can_issue"),
    ("RequisitionView", "can_return_unused"), ("RequisitionApi", "can_return_unused"),
    ("DefectiveReturnView", "can_receive"), ("DefectiveReturnApi", "can_receive"),
    ("DefectiveReturnView", "can_close"), ("DefectiveReturnApi", "can_close"),
    ("PurchaseRequestView", "can_receive"), ("PurchaseRequestApi", "can_receive"),
    ("StocktakeView", "can_count"), ("StocktakeApi", "can_count"),
    ("ReorderView", "can_list"), ("ReorderView", "can_purchase"),
    ("ToolView", "can_lend"), ("ToolLoanApi", "can_return"), ("ToolOverdueView", "can_list"),
]


# --- service records: callbacks, complaints, inspections, maintenance, upgrades -------------
#            resource                   Manager  Tech   Field  CS     Keeper
POLICY.update({
    "callback_plan":             (FULL,    READ,  NONE,  FULL,  NONE),
    "callback_record":           (FULL,    READ,  NONE,  FULL,  NONE),
    "complaint":                 (FULL,    READ,  NONE,  WRITE, NONE),
    "complaint_progress":        (FULL,    WRITE, NONE,  WRITE, NONE),
    "inspection_plan":           (FULL,    WRITE, READ,  READ,  NONE),
    "inspection_checklist_item": (FULL,    FULL,  READ,  NONE,  NONE),
    "inspection_record":         (FULL,    WRITE, WRITE, READ,  NONE),
    "inspection_item_result":    (FULL,    WRITE, WRITE, READ,  NONE),
    "maintenance_plan":          (FULL,    FULL,  READ,  READ,  NONE),
    "maintenance_record":        (FULL,    WRITE, WRITE, READ,  NONE),
    "upgrade_request":           (FULL,    WRITE, WRITE, WRITE, NONE),
})
for _role, _pairs in {
    MANAGER: [("ComplaintView", "can_transition"), ("ComplaintApi", "can_transition"),
              ("UpgradeRequestView", "can_transition"), ("UpgradeRequestApi", "can_transition"),
              ("CallbackRecordView", "can_open_ticket"), ("CallbackRecordApi", "can_open_ticket"),
              ("InspectionRecordView", "can_open_ticket"), ("InspectionRecordApi", "can_open_ticket")],
    TECH: [("UpgradeRequestView", "can_transition"), ("UpgradeRequestApi", "can_transition"),
           ("InspectionRecordView", "can_open_ticket"), ("InspectionRecordApi", "can_open_ticket")],
    FIELD: [("InspectionRecordView", "can_open_ticket"), ("InspectionRecordApi", "can_open_ticket")],
    CS: [("ComplaintView", "can_transition"), ("ComplaintApi", "can_transition"),
         ("CallbackRecordView", "can_open_ticket"), ("CallbackRecordApi", "can_open_ticket")],
}.items():
    EXTRA[_role].extend(_pairs)


# --- attachments: photos, documents and signatures kept with records ----------------------
# Who sees one follows its record (app/attachments/service.py); removal is the Manager's.
#            resource                   Manager  Tech   Field  CS     Keeper
POLICY["attachment"] = (FULL, WRITE, WRITE, WRITE, WRITE)
for _role in DEPARTMENT_ROLES:
    EXTRA[_role].append(("AttachmentView", "can_upload"))
# the engineers' phone pages: my work today, record the repair, the customer's signature
for _role in (TECH, FIELD):
    EXTRA[_role].append(("FieldWorkView", "can_list"))

# Notifications: everyone reads their own, marks them read and sets their channels.
for _role in DEPARTMENT_ROLES:
    EXTRA[_role] += [("NotificationView", "can_list"), ("NotificationView", "can_read"),
                     ("NotificationView", "can_settings"), ("NotificationApi", "can_get"),
                     ("NotificationApi", "can_read")]


# --- the menu: every screen's place and label, in menu order ------------------------------------
# `name` is the menu entry FAB and the permission sync know (`menu_access` on it); a `view` is
# "module:Class" under app/views, imported when the app is built (app/views/menu.py); a register's
# screen brings its API (`build` in app/views/register_spec.py). An entry's menu access follows the
# list permission of `access` (default: its own view), so a role sees exactly the entries whose
# lists it may open. Short category labels: the English navbar fits one row at 1 400 px.
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

# The APIs that are not a register's (a register's API is registered with its screen, above).
APIS = (
    "tickets_api:TicketEventApi", "kpi:KpiApi", "report:AfterSalesReportApi", "stock_api:StockApi", "jobs:JobApi",
)


def level(resource: str, role: str) -> str:
    """The access level a role has on a resource."""
    return POLICY[resource][DEPARTMENT_ROLES.index(role)]


def view_name(resource: str) -> str:
    """`repair_record` → `RepairRecordView`."""
    return "".join(part.title() for part in resource.split("_")) + "View"


def api_name(resource: str) -> str:
    """`repair_record` → `RepairRecordApi`."""
    return "".join(part.title() for part in resource.split("_")) + "Api"


def grants(role: str) -> set[tuple[str, str]]:
    """Every (view name, permission name) pair the policy grants a role."""
    pairs: set[tuple[str, str]] = set()
    for resource in POLICY:
        lvl = level(resource, role)
        if lvl == NONE:
            continue
        pairs.update((view_name(resource), perm) for perm in VIEW_PERMS[lvl])
        pairs.update((api_name(resource), perm) for perm in API_PERMS[lvl])
    pairs.update(EXTRA.get(role, []))
    # exporting a list is listing it (API.md "same permission as listing"): wherever a role
    # lists a screen or an API, it exports it too (the manager keeps only what exists)
    pairs.update((view, "can_export") for view, perm in list(pairs) if perm in ("can_list", "can_get"))
    return pairs


def fab_roles() -> dict[str, list[Any]]:
    """FAB_ROLES: the department roles, checked in memory by the security manager.

    Their permissions are written to FAB's tables by `sync_role_permissions`
    once the views are registered (only views that exist get rows).
    """
    return {role: [] for role in DEPARTMENT_ROLES}
