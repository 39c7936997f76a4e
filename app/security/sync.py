"""Is FAB's permission table what the views and the policy say? One read decides.

FAB's own start-up sync asks the database about every view, permission and role one query at
a time (thousands of statements, seconds of CPU) in every worker and every `flask` command,
even when nothing changed. Here two queries read the whole state; the full sync runs only
when the registered views, the menu or the policy differ from what is stored.
"""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import (
    Permission, PermissionView, Role, ViewMenu, assoc_permissionview_role,
)

from .roles import DEPARTMENT_ROLES


def wanted_permission_views(appbuilder) -> set[tuple[str, str]]:
    """(permission, view) pairs FAB's sync creates: each view's permissions and menu access."""
    pairs = set()
    for view in appbuilder.baseviews:
        pairs.update((perm, view.class_permission_name) for perm in view.base_permissions or ())
    for category in appbuilder.menu.get_list() if appbuilder.menu is not None else ():
        pairs.add(("menu_access", category.name))
        pairs.update(("menu_access", item.name) for item in category.childs if item.name != "-")
    return pairs


def in_sync(sm) -> bool:
    """True when every wanted pair exists (and no other on those views), the Admin role holds
    them all and each department role holds exactly its policy."""
    session = sm.session
    stored = set(session.execute(
        sa.select(Permission.name, ViewMenu.name).select_from(PermissionView)
        .join(Permission, PermissionView.permission_id == Permission.id)
        .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id)).all())
    wanted = wanted_permission_views(sm.appbuilder)
    views = {view for _, view in wanted}
    if {pair for pair in stored if pair[1] in views} != wanted:
        return False
    held: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for role, perm, view in session.execute(
            sa.select(Role.name, Permission.name, ViewMenu.name).select_from(assoc_permissionview_role)
            .join(Role, Role.id == assoc_permissionview_role.c.role_id)
            .join(PermissionView, PermissionView.id == assoc_permissionview_role.c.permission_view_id)
            .join(Permission, PermissionView.permission_id == Permission.id)
            .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id)):
        held[role].add((perm, view))
    if not wanted <= held.get(sm.auth_role_admin, set()):
        return False
    return all(held.get(role, set()) == {(perm, view) for view, perm in sm.grants(role)}
               for role in DEPARTMENT_ROLES)
