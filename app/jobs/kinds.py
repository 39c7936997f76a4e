"""What the background jobs make: a list export, the periodic report workbook."""
from __future__ import annotations

from flask import current_app, g
from flask_login import login_user

from ..extensions import db
from . import kind


def _act_as(owner_id: int) -> None:
    """Inside the job's request context: the login that started it (row rules, audit)."""
    user = current_app.appbuilder.sm.get_user_by_id(owner_id)
    if user is None or not user.is_active:
        raise PermissionError("the login that started this job no longer exists or is disabled")
    login_user(user)
    g.user = user


def _view(name: str):
    for view in current_app.appbuilder.baseviews:
        if type(view).__name__ == name:
            return view
    raise LookupError(f"no list {name}")


@kind("export")
def export(params: dict, path, progress, owner_id: int) -> None:
    """The list export of the request that started the job, with its filters and order."""
    from ..views.export import count_rows, write_export

    view = _view(params["view"])
    with current_app.test_request_context(params["url"]):
        _act_as(owner_id)
        if not current_app.appbuilder.sm.has_access("can_export", view.class_permission_name):
            raise PermissionError("the login may no longer export this list")
        filters, order_column, order_direction = view.export_query()
        total = max(count_rows(view, filters, 10**9), 1)
        with open(path, "wb") as fh:
            write_export(view, fh, filters, order_column, order_direction,
                         progress=lambda rows: progress(rows / total))
        db.session.rollback()


@kind("after_sales_report")
def after_sales_report(params: dict, path, progress, owner_id: int) -> None:
    """The periodic report workbook of the period in `params` (the page's or API's arguments)."""
    from werkzeug.datastructures import MultiDict

    from ..clock import today_local
    from ..services.report_period import parse_period
    from ..services.report_workbook import write_after_sales_report

    with current_app.test_request_context("/"):
        _act_as(owner_id)
        period = parse_period(MultiDict(params), today_local())
        progress(0.1)
        with open(path, "wb") as fh:
            write_after_sales_report(fh, period)
        db.session.rollback()
