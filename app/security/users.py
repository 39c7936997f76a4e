"""The Admin's user list, with the failed-login count and an "Unlock" action."""
from __future__ import annotations

from flask import flash, redirect
from flask_appbuilder.actions import action
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import gettext, lazy_gettext as _l


class ServiceUserDBModelView(UserDBModelView):
    """FAB's user view; locked logins show their failure count and can be unlocked."""

    # Keep FAB's permission name: the self-service grants and the Admin role refer to it.
    class_permission_name = "UserDBModelView"
    list_columns = ["first_name", "last_name", "username", "email", "active", "roles", "fail_login_count"]

    @action("unlock", _l("Unlock login"), _l("Unlock the selected logins?"), "fa-unlock")
    def unlock(self, items):
        """Reset the failed-login count of the selected logins (ends a lockout)."""
        items = items if isinstance(items, list) else [items]
        sm = self.appbuilder.sm
        for user in items:
            if user is not None:
                sm.unlock_user(user)
        flash(gettext("%(n)d login(s) unlocked.", n=len(items)), "info")
        self.update_redirect()
        return redirect(self.get_redirect())
