"""Is FAB's permission table what the views and the policy say? One read decides.

FAB's own start-up sync asks the database about every view, permission and role one query at
a time (thousands of statements, seconds of CPU) in every worker and every `flask` command,
even when nothing changed. Here two queries read the whole state; the full sync runs only
when the registered views, the menu or the policy differ from what is stored.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_appbuilder import AppBuilder
from flask_appbuilder.security.sqla.models import Permission, PermissionView, Role, ViewMenu, assoc_permissionview_role
from sqlalchemy.orm import Session

from .policy import PUBLIC_GRANTS
from .roles import DEPARTMENT_ROLES


def wanted_permission_views(appbuilder: AppBuilder) -> set[tuple[str, str]]:
    """(permission, view) pairs FAB's sync creates: each view's permissions and menu access."""
    pairs: set[tuple[str, str]] = set()
    for view in appbuilder.baseviews:
        pairs.update((perm, view.class_permission_name) for perm in view.base_permissions or ())
    for category in appbuilder.menu.get_list() if appbuilder.menu is not None else ():
        pairs.add(("menu_access", category.name))
        pairs.update(("menu_access", item.name) for item in category.childs if item.name != "-")
    return pairs


def in_sync(sm: Any) -> bool:  # the app's security manager (manager.py), FAB-typed as Any
    """True when every wanted pair exists (and no other on those views), the Admin role holds
    them all and each department role holds exactly its policy."""
    session = sm.session
    stored = set(_pairs(session))
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
    if held.get(sm.auth_role_public, set()) != {(perm, view) for view, perm in PUBLIC_GRANTS}:
        return False
    return all(held.get(role, set()) == {(perm, view) for view, perm in sm.grants(role)}
               for role in DEPARTMENT_ROLES)


def _pairs(session: Session) -> dict[tuple[str, str], int]:
    return {(perm, view): pv_id for pv_id, perm, view in session.execute(
        sa.select(PermissionView.id, Permission.name, ViewMenu.name)
        .join(Permission, PermissionView.permission_id == Permission.id)
        .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id))}


def _add_names(session: Session, model: Any, names: set[str]) -> dict[str, int]:
    """Insert the names not stored yet; every name → its id."""
    stored = set(session.scalars(sa.select(model.name)))
    if names - stored:
        session.execute(sa.insert(model), [{"name": name} for name in sorted(names - stored)])
    return dict(session.execute(sa.select(model.name, model.id)).tuples().all())


def sync(sm: Any) -> None:
    """What FAB's `add_permissions(update_perms=True)` and a per-role rewrite of the policy do, in
    a few set-based statements: every wanted (permission, view) exists, permissions a view no
    longer has are removed (from every role too), the Admin role holds every wanted pair, and
    each department role holds exactly its policy."""
    session = sm.session
    wanted = wanted_permission_views(sm.appbuilder)
    policy = {role: {(perm, view) for view, perm in sm.grants(role)} for role in DEPARTMENT_ROLES}
    policy[sm.auth_role_public] = {(perm, view) for view, perm in PUBLIC_GRANTS}
    needed = wanted.union(*policy.values())
    for name in (sm.auth_role_admin, sm.auth_role_public, *DEPARTMENT_ROLES):
        if sm.find_role(name) is None:
            sm.add_role(name)
    perm_ids = _add_names(session, Permission, {perm for perm, _ in needed})
    view_ids = _add_names(session, ViewMenu, {view for _, view in needed})
    stored = _pairs(session)
    missing = sorted(needed - set(stored))
    if missing:
        session.execute(sa.insert(PermissionView), [
            {"permission_id": perm_ids[perm], "view_menu_id": view_ids[view]} for perm, view in missing])
        stored = _pairs(session)
    views = {view for _, view in wanted}
    stale = [pv_id for pair, pv_id in stored.items() if pair[1] in views and pair not in needed]
    links = assoc_permissionview_role.c
    if stale:
        session.execute(sa.delete(assoc_permissionview_role).where(links.permission_view_id.in_(stale)))
        session.execute(sa.delete(PermissionView).where(PermissionView.id.in_(stale)))
    role_ids = dict(session.execute(sa.select(Role.name, Role.id)).tuples().all())
    held = set(session.execute(sa.select(links.role_id, links.permission_view_id)).tuples().all())
    want = {(role_ids[sm.auth_role_admin], stored[pair]) for pair in wanted}
    exact = {role_ids[role] for role in (*DEPARTMENT_ROLES, sm.auth_role_public) if role in role_ids}
    want |= {(role_ids[role], stored[pair]) for role, pairs in policy.items() for pair in pairs}
    extra = [(role, pv) for role, pv in held if role in exact and (role, pv) not in want]
    for role, pv in extra:
        session.execute(sa.delete(assoc_permissionview_role).where(
            links.role_id == role, links.permission_view_id == pv))
    new = sorted(want - held)
    if new:
        session.execute(sa.insert(assoc_permissionview_role),
                        [{"role_id": role, "permission_view_id": pv} for role, pv in new])
    session.commit()
    session.expire_all()  # roles loaded before now hold the old permission lists


def _pairs_query() -> sa.Select[str, str]:
    links = assoc_permissionview_role.c
    return (sa.select(Permission.name, ViewMenu.name).select_from(assoc_permissionview_role)
            .join(PermissionView, PermissionView.id == links.permission_view_id)
            .join(Permission, PermissionView.permission_id == Permission.id)
            .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id))


def role_pairs(session: Session, role_ids: Iterable[int]) -> frozenset[tuple[str, str]]:
    """Every (permission, view) the given roles hold, in one query."""
    links = assoc_permissionview_role.c
    return frozenset(session.execute(_pairs_query().where(links.role_id.in_(role_ids))).tuples().all())

