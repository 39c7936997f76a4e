"""The Admin's user list (failed-login count, "Unlock" action) and the own-password change form."""
from __future__ import annotations

from typing import Any

from flask import flash, g, redirect
from flask_appbuilder.actions import action
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.security.forms import ResetPasswordForm
from flask_appbuilder.security.views import (
    PermissionViewModelView,
    ResetMyPasswordView,
    RoleModelView,
    UserDBModelView,
    UserGroupModelView,
)
from flask_appbuilder.validators import PasswordComplexityValidator
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from ..views.list_query import ShownColumnsList
from ..views.saved import SavedRecordRedirect


class ServiceUserDBModelView(SavedRecordRedirect, ShownColumnsList, UserDBModelView):
    """FAB's user view; locked logins show their failure count and can be unlocked; after add or
    edit, the user's page with a message naming them (its datamodel is set by the manager)."""

    # Keep FAB's permission name: the self-service grants and the Admin role refer to it.
    class_permission_name = "UserDBModelView"
    # the name as a person reads it (周建华, Ada Lovelace): security/names.py
    list_columns = ["full_name", "username", "email", "active", "roles", "fail_login_count"]
    label_columns = {**UserDBModelView.label_columns, "full_name": _l("Name")}

    @action("unlock", _l("Unlock login"), _l("Unlock the selected logins?"), "fa-unlock")
    def unlock(self, items: Any) -> Response:
        """Reset the failed-login count of the selected logins (ends a lockout)."""
        items = items if isinstance(items, list) else [items]
        sm = self.appbuilder.sm
        for user in items:
            if user is not None:
                sm.unlock_user(user)
        flash(gettext("%(n)d login(s) unlocked.", n=len(items)), "info")
        self.update_redirect()
        return redirect(self.get_redirect())

    @action("endsessions", _l("End sessions"), _l("Log the selected logins out everywhere?"), "fa-right-from-bracket")
    def endsessions(self, items: Any) -> Response:
        """ASVS 7.4.5: the Admin ends every open session of the selected logins."""
        from .sessions import end_all

        items = [u for u in (items if isinstance(items, list) else [items]) if u is not None]
        for user in items:
            end_all(user.id, "ended by admin")
        flash(gettext("Sessions of %(n)d login(s) ended.", n=len(items)), "info")
        self.update_redirect()
        return redirect(self.get_redirect())


def _current_password_matches(form: Any, field: Any) -> None:
    """ASVS 6.2.3: changing one's own password needs the current one."""
    user = getattr(g, "user", None)
    if user is None or not user.password or not check_password_hash(user.password, field.data or ""):
        raise ValidationError(gettext("The current password is not correct."))


class ChangeMyPasswordForm(ResetPasswordForm):
    """FAB's reset form plus the current password."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), _current_password_matches],
        widget=BS3PasswordFieldWidget(),
    )
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters; a passphrase of several words is easiest to remember."),
        validators=[DataRequired(), PasswordComplexityValidator()],
        widget=BS3PasswordFieldWidget(),
    )
    # Declared again so the fields show in this order: current, new, confirm.
    conf_password = PasswordField(
        _l("Confirm new password"),
        validators=[EqualTo("password", message=_l("Passwords must match"))],
        widget=BS3PasswordFieldWidget(),
    )


class ServiceResetMyPasswordView(ResetMyPasswordView):
    """The user's own password change, asking for the current password first."""

    class_permission_name = "ResetMyPasswordView"
    form = ChangeMyPasswordForm


# FAB's screens of roles, groups and permissions, their lists read as every other list is
# (views/list_query.py: the roles' permissions in one batch, not one query per row)
class ServiceRoleModelView(ShownColumnsList, RoleModelView):
    class_permission_name = "RoleModelView"


class ServiceUserGroupModelView(ShownColumnsList, UserGroupModelView):
    class_permission_name = "UserGroupModelView"


class ServicePermissionViewModelView(ShownColumnsList, PermissionViewModelView):
    class_permission_name = "PermissionViewModelView"
