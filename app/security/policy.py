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
    "audit_log":              (READ,    NONE,  NONE,  NONE,  NONE),
}

# Views that are not model resources: (view name, permission) per role.
EXTRA: dict[str, list[tuple[str, str]]] = {
    role: [] for role in DEPARTMENT_ROLES
}


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
