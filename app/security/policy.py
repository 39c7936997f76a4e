"""Role policy as data: one row per resource, one column per department role.

A resource is the model's snake_case name; it covers the HTML view
(`<Model>View`, menu item included) and the REST API (`<Model>Api`). The
access levels expand into FAB permission names below. Admin has every
permission through FAB's own Admin role, so it is not listed.
"""
from __future__ import annotations

from typing import Any

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
