"""The landing page: each role sees what it works on (panels from app/dashboard)."""
from flask import g
from flask_appbuilder import IndexView, expose

from .. import clock, dashboard
from ..models.base import utcnow
from ..security.rows import my_staff_ids


def panels_for(user) -> list[dict]:
    """The panels of the user's roles, each with its rows, in panel order."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    dashboard.load()
    roles = {role.name for role in user.roles}
    ctx = {"now": utcnow(), "today": clock.today_local(), "user": user, "my_staff_ids": my_staff_ids(user.id)}
    return [
        {"panel": panel, "data": panel.rows(ctx)}
        for panel in dashboard.PANELS
        if panel.roles & roles
    ]


class HomeView(IndexView):
    """Home page; anonymous visitors see the login prompt."""

    index_template = "home.html"

    @expose("/")
    def index(self):
        return self.render_template(self.index_template, panels=panels_for(getattr(g, "user", None)))
