"""How an endpoint is exposed and guarded, in one line: FAB wants three or four decorators stacked in
one order on every custom page, button and API call (an inner permission_name, then the check)."""
from __future__ import annotations

from flask_appbuilder import expose, has_access
from flask_appbuilder.api import expose as api_expose
from flask_appbuilder.api import safe
from flask_appbuilder.security.decorators import permission_name, protect


def api_action(url: str, permission: str, methods=("POST",)):
    """An API endpoint of a record: FAB's expose, protect (a JWT and the role's `can_<permission>`)
    and safe (an unexpected error is a JSON 500), stacked in the one order FAB needs."""
    def wrap(f):
        return api_expose(url, methods=methods)(protect()(safe(permission_name(permission)(f))))
    return wrap


def screen_action(url: str, permission: str, methods=("POST",)):
    """A page or button of a screen: FAB's expose and has_access on `can_<permission>`."""
    def wrap(f):
        return expose(url, methods=methods)(has_access(permission_name(permission)(f)))
    return wrap
