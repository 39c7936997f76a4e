"""The Admin's home: what needs the administrator — messages that could not be sent, logins
locked after failed attempts, active staff who cannot log in yet."""
from __future__ import annotations

import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l

from ..clock import format_datetime, now_utc
from ..extensions import db
from ..models import Staff
from ..models.notifications import Delivery, DeliveryStatus
from ..models.sessions import LoginGuard
from ..security.roles import ADMIN
from . import Panel, add_panel, link, record_list


def failed_deliveries(limit: int = 10) -> dict:
    """Emails and group-chat messages given up on: newest first (the Admin may send them again)."""
    found = record_list(
        Delivery, Delivery.status == DeliveryStatus.failed, order=[Delivery.created_at.desc(), Delivery.id.desc()],
        cells=lambda d: [d.subject, d.channel.label, d.address or "", format_datetime(d.created_at)],
        head=[_l("Subject"), _l("Channel"), _l("Address"), _l("Created at")],
        endpoint="DeliveryView.show", more="DeliveryView.list", limit=limit)
    found["more"] = found["more"] and f"{found['more']}?_flt_0_status={DeliveryStatus.failed.value}"
    return found


def locked_logins(limit: int = 10) -> dict:
    """Logins held after a run of failed passwords, until when (in local time)."""
    now = now_utc()
    where = [LoginGuard.locked_until > now]
    total = db.session.scalar(sa.select(sa.func.count()).select_from(LoginGuard).where(*where))
    rows = db.session.execute(
        sa.select(User, LoginGuard.locked_until).join(LoginGuard, LoginGuard.user_id == User.id)
        .where(*where).order_by(LoginGuard.locked_until.desc()).limit(limit)).all()
    return {
        "head": [_l("Login"), _l("Name"), _l("Locked until")],
        "rows": [{"url": link("ServiceUserDBModelView.show", pk=user.id), "mark": None,
                  "cells": [user.username, user.get_full_name(), format_datetime(until)]} for user, until in rows],
        "total": total, "more": link("ServiceUserDBModelView.list"),
    }


def staff_without_login(limit: int = 10) -> dict:
    """Active staff with no login: they cannot be assigned work they can see."""
    return record_list(
        Staff, Staff.active.is_(True), Staff.user_id.is_(None), order=[Staff.name, Staff.id],
        cells=lambda s: [s.employee_no, s.name, s.position.label if s.position else ""],
        head=[_l("Employee no."), _l("Name"), _l("Position")],
        endpoint="StaffView.show", more="StaffView.list", limit=limit)


add_panel(Panel("failed_deliveries", _l("Messages that could not be sent"), {ADMIN}, order=1,
                rows=lambda ctx: failed_deliveries(), template="panels/records.html"))
add_panel(Panel("locked_logins", _l("Locked logins"), {ADMIN}, order=2,
                rows=lambda ctx: locked_logins(), template="panels/records.html"))
add_panel(Panel("staff_without_login", _l("Staff without a login"), {ADMIN}, order=3,
                rows=lambda ctx: staff_without_login(), template="panels/records.html"))
