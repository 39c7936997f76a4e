"""The security manager: policy checks in memory, roles synced from the policy table."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import g, has_app_context
from flask_appbuilder import AppBuilder
from flask_appbuilder.security.manager import BaseSecurityManager
from flask_appbuilder.security.sqla.manager import SecurityManager
from sqlalchemy import inspect
from sqlalchemy.orm import joinedload

from . import policy
from .auth import HardenedAuthMixin
from .names import install_person_names
from .sync import in_sync, role_pairs, sync
from .users import (
    ServicePermissionViewModelView,
    ServiceResetMyPasswordView,
    ServiceRoleModelView,
    ServiceUserDBModelView,
    ServiceUserGroupModelView,
)

log = logging.getLogger(__name__)

# What every logged-in department role may do with its own account.
SELF_SERVICE = {
    ("UserDBModelView", "can_userinfo"),
    ("UserDBModelView", "resetmypassword"),
    ("UserDBModelView", "userinfoedit"),
    ("ResetMyPasswordView", "can_this_form_get"),
    ("ResetMyPasswordView", "can_this_form_post"),
    ("UserInfoEditView", "can_this_form_get"),
    ("UserInfoEditView", "can_this_form_post"),
}


class ServiceSecurityManager(HardenedAuthMixin, SecurityManager):
    """FAB's SQLA security manager with the department's role policy and hardened logins."""

    userdbmodelview = ServiceUserDBModelView
    resetmypasswordview = ServiceResetMyPasswordView
    rolemodelview = ServiceRoleModelView
    groupmodelview = ServiceUserGroupModelView
    permissionviewmodelview = ServicePermissionViewModelView

    def __init__(self, appbuilder: AppBuilder) -> None:
        self._grants: dict[str, frozenset[tuple[str, str]]] = {}
        # menu item name -> view names behind it; category name -> item names
        self.menu_views: dict[str, set[str]] = {}
        self.menu_categories: dict[str, set[str]] = {}
        super().__init__(appbuilder)
        from ..views.list_query import PagedInterface  # late: the screens build on this manager
        from ..views.saved import SavedRecordInterface

        install_person_names(self.user_model)  # 周建华, not "建华 周", wherever a login is named
        # FAB sets a plain SQLAInterface: this one lets the user screen name the saved login
        self.userdbmodelview.datamodel = SavedRecordInterface(self.user_model)
        for view, model in ((self.rolemodelview, self.role_model), (self.groupmodelview, self.group_model),
                            (self.permissionviewmodelview, self.permissionview_model)):
            view.datamodel = PagedInterface(model)

    # --- schema: Alembic owns it --------------------------------------------------
    def _create_db(self) -> None:
        """Create the builtin roles, never the tables (`flask db upgrade` does that)."""
        try:
            ready = inspect(self.session.get_bind()).has_table("ab_role")
        except Exception:  # unreachable database: start anyway, /health reports it
            log.warning("database not reachable: roles not checked", exc_info=True)
            return
        if not ready:
            log.info("Tables missing: run `flask db upgrade`")
            return
        BaseSecurityManager.create_db(self)

    # --- permission checks ------------------------------------------------------
    def register_menu(self, name: str, view_name: str, category: str | None) -> None:
        """Remember which view a menu item opens, so menu access follows view access."""
        self.menu_views.setdefault(name, set()).add(view_name)
        if category:
            self.menu_categories.setdefault(category, set()).add(name)
        self._grants.clear()

    def grants(self, role_name: str) -> frozenset[tuple[str, str]]:
        """Every (view, permission) pair a department role has, menus included."""
        cached = self._grants.get(role_name)
        if cached is not None:
            return cached
        pairs = (set(policy.grants(role_name)) | SELF_SERVICE) & self._existing_permissions()
        listable = {view for view, perm in pairs if perm in ("can_list", "can_get")}
        items = {name for name, views in self.menu_views.items() if views & listable}
        pairs.update((name, "menu_access") for name in items)
        pairs.update(
            (category, "menu_access")
            for category, names in self.menu_categories.items()
            if names & items
        )
        self._grants[role_name] = frozenset(pairs)
        return self._grants[role_name]

    def _existing_permissions(self) -> set[tuple[str, str]]:
        """(view, permission) pairs the registered views and APIs really have."""
        existing: set[tuple[str, str]] = set()
        for view in self.appbuilder.baseviews:
            name = view.class_permission_name
            existing.update((name, perm) for perm in view.base_permissions or ())
        return existing

    def _has_view_access(self, user: Any, permission_name: str, view_name: str) -> bool:
        """FAB's check (every role of the login and of its groups; the public role when logged out)
        against the login's pairs gathered once per request: a page asks ~100 times."""
        key = ("login", id(user), getattr(user, "id", None))
        return (view_name, permission_name) in _per_request(key, lambda: self._pairs_of(user))

    def _pairs_of(self, user: Any) -> frozenset[tuple[str, str]]:
        roles = self.get_user_roles(user)
        pairs: set[tuple[str, str]] = set()
        for role in roles:
            if role.name in self.builtin_roles:
                pairs |= self.grants(role.name)
        stored = tuple(sorted(role.id for role in roles if role.name not in self.builtin_roles))
        if stored:  # roles kept in the database (Admin, roles made on the roles screen): one query
            pairs.update((view, perm) for perm, view in role_pairs(self.session, stored))
        return frozenset(pairs)

    def is_item_public(self, permission_name: str, view_name: str) -> bool:
        """What anonymous visitors may do: the policy's, in memory (policy.PUBLIC_GRANTS)."""
        return (view_name, permission_name) in policy.PUBLIC_GRANTS

    def get_user_by_id(self, pk: Any) -> Any:
        """The login with its roles and groups in one statement: every request reads all three."""
        model = self.user_model
        return self.session.get(model, pk, options=[joinedload(model.roles), joinedload(model.groups)])

    def _has_access_builtin_roles(self, role: Any, permission_name: str, view_name: str) -> bool:
        """Exact lookup in the policy (FAB's default uses re.match, a prefix match)."""
        return (view_name, permission_name) in self.grants(role.name)

    # --- role sync --------------------------------------------------------------
    def sync_all(self) -> None:
        """Roles, every view's permissions, and the policy of each role into FAB's tables."""
        self.create_db()
        sync(self)

    def sync_if_changed(self) -> bool:
        """The full sync, only when the stored permissions differ from the views and the policy."""

        if in_sync(self):
            return False
        log.info("permissions differ from the views and the policy: syncing")
        self.sync_all()
        return True

    # the policy of each department role, written into FAB's tables (seen in the admin UI)
    sync_role_permissions = sync_all


def _per_request(key: tuple[object, ...], read: Callable[[], frozenset[tuple[str, str]]]) -> frozenset[tuple[str, str]]:
    """Permission pairs read once per request (app context); outside one, read each time."""
    if not has_app_context():
        return read()
    cache: dict[tuple[object, ...], frozenset[tuple[str, str]]] = g.setdefault("_permission_pairs", {})
    if key not in cache:
        cache[key] = read()
    return cache[key]
