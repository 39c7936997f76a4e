"""Screens and API of notifications: the bell, my list, mark read, my settings; the Admin's deliveries."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, ModelView
from flask_appbuilder.actions import action
from flask_appbuilder.api import BaseApi
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..actor import current_user_id
from ..clock import format_datetime, isoformat, now_utc
from ..extensions import db
from ..models.notifications import Delivery, DeliveryStatus, Notification, NotificationKind, NotificationPreference
from ..views.endpoints import api_action, screen_action
from . import core, delivery

PAGE_SIZE = 30


def init_app(app) -> None:
    appbuilder = app.appbuilder
    appbuilder.add_view_no_menu(NotificationView)
    appbuilder.add_api(NotificationApi)
    appbuilder.add_view(DeliveryView, "Notification deliveries", label=_l("Notification deliveries"),
                        icon="fa-paper-plane", category="Audit", category_label=_l("Audit"))

    @app.context_processor
    def _bell():
        return {"notification_unread": _unread_for_page, "format_local": format_datetime}


def _unread_for_page() -> int | None:
    """The bell's count: one COUNT on the (user, read_at) index per page."""
    uid = current_user_id()
    return core.unread_count(uid) if uid is not None else None


def _mine():
    return sa.select(Notification).where(Notification.user_id == g.user.id)


def _mark_read(query) -> int:
    return db.session.execute(
        sa.update(Notification).where(query, Notification.read_at.is_(None)).values(read_at=now_utc())
        .execution_options(synchronize_session=False)).rowcount


class NotificationView(BaseView):
    """My notifications, newest first; open one (marks it read), all read, my settings."""

    route_base = "/notifications"
    default_view = "list"
    class_permission_name = "NotificationView"

    @screen_action("/list/", "list", methods=["GET"])
    def list(self):
        page = max(request.args.get("page", 0, type=int), 0)
        unread_only = request.args.get("unread") == "1"
        query = _mine()
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = db.session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc())
                                  .limit(PAGE_SIZE).offset(page * PAGE_SIZE)).unique().all()
        return self.render_template("notifications/list.html", rows=rows, page=page, total=total,
                                    pages=max(1, -(-total // PAGE_SIZE)), unread_only=unread_only,
                                    title=_("Notifications"))

    @screen_action("/open/<int:pk>", "read")
    def open(self, pk):
        """Mark one read and go to its record."""
        notice = db.session.scalar(_mine().where(Notification.id == pk)) or abort(404)
        _mark_read(Notification.id == notice.id)
        db.session.commit()
        if request.form.get("stay") or not notice.link:
            return redirect(url_for("NotificationView.list"))
        return redirect(notice.link)

    @screen_action("/read_all", "read")
    def read_all(self):
        count = _mark_read(Notification.user_id == g.user.id)
        db.session.commit()
        flash(_("%(count)s notification(s) marked as read.", count=count), "success")
        return redirect(url_for("NotificationView.list"))

    @screen_action("/settings", "settings", methods=["GET", "POST"])
    def settings(self):
        """Language of what is sent to me, and per kind: also by email, also to the group chat."""
        uid = g.user.id
        languages = current_app.config["LANGUAGES"]
        if request.method == "POST":
            core.remember_language(uid, request.form.get("language", ""))
            rows = {r.kind: r for r in db.session.scalars(
                sa.select(NotificationPreference).where(NotificationPreference.user_id == uid))}
            for kind in NotificationKind:
                row = rows.get(kind) or NotificationPreference(user_id=uid, kind=kind)
                row.email = request.form.get(f"email_{kind.value}") == "1"
                row.chat = request.form.get(f"chat_{kind.value}") == "1"
                db.session.add(row)
            db.session.commit()
            flash(_("Notification settings saved."), "success")
            return redirect(url_for("NotificationView.settings"))
        return self.render_template("notifications/settings.html", kinds=list(NotificationKind),
                                    prefs=core.preferences_of(uid), language=core.language_of(uid),
                                    languages=languages, title=_("Notification settings"))


def _item(notice: Notification) -> dict:
    return {"id": notice.id, "kind": notice.kind.value, "title": notice.title, "body": notice.body,
            "link": notice.link, "created_at": isoformat(notice.created_at), "read_at": isoformat(notice.read_at)}


class NotificationApi(BaseApi):
    """The caller's own notifications (API.md "Notifications")."""

    resource_name = "notification"
    class_permission_name = "NotificationApi"
    allow_browser_login = True
    openapi_spec_tag = "Notifications"

    @api_action("/", "get", methods=["GET"])
    def get_list(self):
        """My notifications, newest first (`page`, `page_size` ≤ 100, `unread=1`).
        ---
        get:
          responses:
            200: {description: "count, unread and result: [{id, kind, title, body, link, created_at, read_at}]"}
            401: {$ref: '#/components/responses/401'}
        """
        page = request.args.get("page", 0, type=int)
        size = request.args.get("page_size", 25, type=int)
        if page < 0 or not 1 <= size <= 100:
            return self.response_400(message=_("page must be 0 or more and page_size from 1 to 100."))
        query = _mine()
        if request.args.get("unread") == "1":
            query = query.where(Notification.read_at.is_(None))
        total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = db.session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc())
                                  .limit(size).offset(page * size)).unique().all()
        return self.response(200, count=total, unread=core.unread_count(g.user.id),
                             result=[_item(n) for n in rows])

    @api_action("/<int:pk>/read", "read")
    def read(self, pk):
        """Mark one of my notifications read.
        ---
        post:
          responses:
            200: {description: the notification}
            404: {$ref: '#/components/responses/404'}
        """
        notice = db.session.scalar(_mine().where(Notification.id == pk))
        if notice is None:
            return self.response_404()
        _mark_read(Notification.id == pk)
        db.session.commit()
        db.session.refresh(notice)
        return self.response(200, result=_item(notice))

    @api_action("/read_all", "read")
    def read_all(self):
        """Mark all my notifications read.
        ---
        post:
          responses:
            200: {description: how many were marked}
        """
        count = _mark_read(Notification.user_id == g.user.id)
        db.session.commit()
        return self.response(200, count=count)


class DeliveryView(ModelView):
    """The Admin's list of emails and group-chat messages: what was sent, what waits, what failed."""

    datamodel = SQLAInterface(Delivery)
    class_permission_name = "DeliveryView"
    base_permissions = ["can_list", "can_show"]
    list_title = _l("Notification deliveries")
    show_title = _l("Notification delivery")
    label_columns = dict(Delivery.__field_labels__)
    list_columns = ["created_at", "channel", "address", "subject", "status", "attempts", "next_attempt_at",
                    "last_error"]
    show_columns = list_columns + ["sent_at", "text"]
    search_columns = ["status", "channel", "address", "created_at"]
    order_columns = ["created_at", "status", "attempts", "next_attempt_at"]
    base_order = ("created_at", "desc")

    @action("retry", _l("Send again"), _l("Send the chosen deliveries again?"), "fa-redo", multiple=True)
    @permission_name("retry")
    def retry(self, items):
        items = items if isinstance(items, list) else [items]
        now = now_utc()
        for item in items:
            if item.status is not DeliveryStatus.sent:
                delivery.retry_now(item, now)
        db.session.commit()
        flash(_("Sending again."), "info")
        return redirect(url_for("DeliveryView.list"))
