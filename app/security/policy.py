"""Role policy as data: one row per resource, one column per department role.

A resource is the model's snake_case name; it covers the HTML view
(`<Model>View`, menu item included) and the REST API (`<Model>Api`). The
access levels expand into FAB permission names below. Admin has every
permission through FAB's own Admin role, so it is not listed.
"""
from __future__ import annotations

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
    # spare parts (issue 4): the keeper posts stock; approvals are extra permissions below
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
}

# Views that are not model resources: (view name, permission) per role.
EXTRA: dict[str, list[tuple[str, str]]] = {
    role: [] for role in DEPARTMENT_ROLES
}

# spare parts (issue 4): postings, approvals and the non-model screens
_APPROVE_REQUISITION = [("RequisitionView", "can_approve"), ("RequisitionApi", "can_approve")]
_LEDGER_READ = [("StockLedgerView", "can_list"), ("StockLedgerView", "can_card"), ("StockApi", "can_balance"),
                ("OwedPartsView", "can_list")]
EXTRA[MANAGER] += _APPROVE_REQUISITION + _LEDGER_READ + [
    ("PurchaseRequestView", "can_approve"), ("PurchaseRequestApi", "can_approve"),
    ("StocktakeView", "can_approve"), ("StocktakeApi", "can_approve"),
    ("ReorderView", "can_list"), ("ToolOverdueView", "can_list"),
]
EXTRA[TECH] += _APPROVE_REQUISITION + _LEDGER_READ
EXTRA[FIELD] += [("StockApi", "can_balance")]
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
    return pairs


def fab_roles() -> dict[str, list]:
    """FAB_ROLES: the department roles, checked in memory by the security manager.

    Their permissions are written to FAB's tables by `sync_role_permissions`
    once the views are registered (only views that exist get rows).
    """
    return {role: [] for role in DEPARTMENT_ROLES}
