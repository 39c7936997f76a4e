"""The role × resource × permission matrix, rendered from the policy and the effective grants."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_appbuilder import AppBuilder

from . import policy
from .roles import ADMIN, DEPARTMENT_ROLES
from .rows import ROW_RESTRICTED_ROLES, OwnRowsFilter

if TYPE_CHECKING:  # the manager imports the views that this module only reads
    from .manager import ServiceSecurityManager

HEADER = (
    "<!-- GENERATED FILE: do not edit. Source: app/security/policy.py and the registered views;\n"
    "     regenerate with `flask permissions-doc` (or `make permissions-doc`).\n"
    "     tests/test_permissions.py fails when this file is stale. -->\n"
)
ROLES = (ADMIN, *DEPARTMENT_ROLES)
# Column order of the cells: FAB permission name -> short word.
ORDER = ["can_list", "can_get", "can_show", "can_info", "can_export", "can_add", "can_post",
         "can_edit", "can_put", "can_delete"]


def _short(perm: str) -> str:
    return perm[4:] if perm.startswith("can_") else perm


def _cell(perms: set[str]) -> str:
    if not perms:
        return "—"
    ordered = sorted(perms, key=lambda p: (ORDER.index(p) if p in ORDER else len(ORDER), p))
    return " ".join(_short(p) for p in ordered)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _views(appbuilder: AppBuilder) -> dict[str, object]:
    return {view.class_permission_name: view for view in appbuilder.baseviews}


def role_grants(sm: ServiceSecurityManager, role: str) -> set[tuple[str, str]]:
    """Effective (view, permission) pairs: Admin has every registered permission."""
    if role == ADMIN:
        return sm._existing_permissions() | admin_menus(sm)
    return set(sm.grants(role))


def admin_menus(sm: ServiceSecurityManager) -> set[tuple[str, str]]:
    names = set(sm.menu_views) | set(sm.menu_categories)
    return {(name, "menu_access") for name in names}


def row_restricted(view: Any) -> bool:
    """True when the view keeps field engineers to their own rows."""
    filters = getattr(getattr(view, "_base_filters", None), "filters", None) or []
    return any(isinstance(flt, OwnRowsFilter) for flt in filters)


def render(appbuilder: AppBuilder) -> str:
    """The whole Markdown document."""
    sm = appbuilder.sm
    views = _views(appbuilder)
    grants = {role: role_grants(sm, role) for role in ROLES}

    def perms(role: str, view_name: str) -> set[str]:
        return {p for v, p in grants[role] if v == view_name}

    out = [HEADER, "# Permission matrix\n",
           "Who may do what, per role. Model resources come from the `POLICY` table "
           "(levels: `R` read, `RW` read + write, `RWD` + delete, `-` none); each covers the "
           "screen (`<Model>View`) and the REST API (`<Model>Api`). Admin holds every "
           "permission through FAB's Admin role.\n",
           "## Records\n",
           _row(["Resource", "Surface", *ROLES]),
           _row(["---"] * (len(ROLES) + 2))]
    covered = set()
    for resource in sorted(policy.POLICY):
        levels = [policy.level(resource, role) for role in DEPARTMENT_ROLES]
        for name in (policy.view_name(resource), policy.api_name(resource)):
            covered.add(name)
            surface = "screen" if name.endswith("View") else "API"
            if name not in views:
                surface += " (not registered)"
            own = name in views and row_restricted(views[name])
            cells = []
            for role in ROLES:
                cell = _cell(perms(role, name))
                if own and role in ROW_RESTRICTED_ROLES and cell != "—":
                    cell += " (own rows)"
                cells.append(cell)
            out.append(_row([f"`{resource}` ({'/'.join(levels)})", f"{surface} `{name}`", *cells]))
    out += ["", "## Other screens, APIs and extra permissions\n",
            _row(["View", *ROLES]), _row(["---"] * (len(ROLES) + 1))]
    for name in sorted(set(views) - covered):
        out.append(_row([f"`{name}`", *(_cell(perms(role, name)) for role in ROLES)]))
    out += ["", "## Menus\n", "A menu item is shown when the role may list what it opens.\n",
            _row(["Menu", *ROLES]), _row(["---"] * (len(ROLES) + 1))]
    for category in sorted(sm.menu_categories):
        out.append(_row([f"**{category}**", *(_yes(grants[r], category) for r in ROLES)]))
        for item in sorted(sm.menu_categories[category]):
            out.append(_row([f"{category} › {item}", *(_yes(grants[r], item) for r in ROLES)]))
    return "\n".join(out) + "\n"


def _yes(pairs: set[tuple[str, str]], name: str) -> str:
    return "✔" if (name, "menu_access") in pairs else "—"
