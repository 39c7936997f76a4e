"""notify(): one notice per event × recipient, its email / group-chat deliveries; recipients; languages."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_appbuilder.security.sqla.models import Role, User, assoc_user_role
from flask_babel import force_locale
from werkzeug.routing import BuildError

from ..extensions import db
from ..models import Staff
from ..models.base import current_user_id, utcnow
from ..models.notifications import (
    Channel,
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
    UserLanguage,
)

Text = str | Callable[[], object]


# --- recipients ------------------------------------------------------------------

def recipients_with_role(*roles: str) -> list[int]:
    """Active logins holding any of these roles."""
    stmt = (sa.select(User.id).join(assoc_user_role, assoc_user_role.c.user_id == User.id)
            .join(Role, Role.id == assoc_user_role.c.role_id)
            .where(Role.name.in_(roles), User.active.is_(True)).distinct().order_by(User.id))
    return list(db.session.scalars(stmt))


def users_of(*people) -> list[int]:
    """Login ids of staff members, logins or ids (None and staff without a login are skipped)."""
    ids: list[int] = []
    for person in people:
        if person is None:
            continue
        if isinstance(person, Staff):
            uid = person.user_id
        elif isinstance(person, User):
            uid = person.id
        else:
            uid = int(person)
        if uid is not None and uid not in ids:
            ids.append(uid)
    return ids


# --- per-user settings -------------------------------------------------------------

def language_of(user_id: int) -> str:
    """The language the login reads what is sent to them in."""
    chosen = db.session.get(UserLanguage, user_id)
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if chosen is not None and chosen.language in current_app.config["LANGUAGES"]:
        return chosen.language
    return default


def remember_language(user_id: int, language: str) -> None:
    """Keep the login's language for what is sent to them (the switcher and the settings page)."""
    if language not in current_app.config["LANGUAGES"]:
        return
    row = db.session.get(UserLanguage, user_id)
    if row is None:
        db.session.add(UserLanguage(user_id=user_id, language=language))
    else:
        row.language = language


def preferences_of(user_id: int) -> dict[NotificationKind, tuple[bool, bool]]:
    """(email, group chat) per kind; a kind without a row goes by both."""
    prefs = {kind: (True, True) for kind in NotificationKind}
    for row in db.session.scalars(sa.select(NotificationPreference).where(NotificationPreference.user_id == user_id)):
        prefs[row.kind] = (row.email, row.chat)
    return prefs


def email_address(user_id: int) -> str | None:
    """The staff member's email, else the login's."""
    staff_email = db.session.scalar(sa.select(Staff.email).where(Staff.user_id == user_id))
    if staff_email:
        return staff_email
    return db.session.scalar(sa.select(User.email).where(User.id == user_id)) or None


def display_name(user_id: int) -> str:
    """The staff member's name, else the login's full name."""
    name = db.session.scalar(sa.select(Staff.name).where(Staff.user_id == user_id))
    if name:
        return name
    user = db.session.get(User, user_id)
    return user.get_full_name() if user else str(user_id)


# --- links --------------------------------------------------------------------------

def path_for(endpoint: str, **values) -> str | None:
    """A URL path that works outside a request too (sweeps, workers)."""
    try:
        return current_app.url_map.bind("localhost").build(endpoint, values)
    except BuildError:
        return None


def record_link(record) -> str | None:
    """The record's page: `<Model>View.show` of its resource."""
    from ..security.policy import view_name

    if record is None or getattr(record, "id", None) is None:
        return None
    return path_for(f"{view_name(record.__tablename__)}.show", pk=record.id)


# --- notify -------------------------------------------------------------------------

def _render(text: Text) -> str:
    return str(text() if callable(text) else text)


def _insert_once(values: dict) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING: the id when this event is new for this recipient, else None."""
    table = Notification.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = (insert(table).values(**values)
            .on_conflict_do_nothing(index_elements=["event_key", "user_id"]).returning(table.c.id))
    return db.session.execute(stmt).scalar()


def notify(kind: NotificationKind | str, record, recipients: Iterable[int], *, key: str,
           title: Text, body: Text = "", link: str | None = None, actor=None,
           now: datetime | None = None) -> list[Notification]:
    """Tell each recipient once about one event; returns the notices written now.

    `key` names the event within the record (e.g. the deadline it concerns); `title` and
    `body` are lazy strings or callables, rendered in each recipient's language. The acting
    login is not told about what they did themselves.
    """
    from . import channels, delivery

    kind = NotificationKind(kind)
    if record is not None and getattr(record, "id", None) is None:
        db.session.add(record)
        db.session.flush()
    record_type = record.__tablename__ if record is not None else None
    record_id = record.id if record is not None else None
    event_key = f"{kind.value}:{record_type}:{record_id}:{key}"[:200]
    link = link if link is not None else record_link(record)
    actor_id = getattr(actor, "id", None) if actor is not None else current_user_id()
    now = now or utcnow()
    written = []
    for user_id in dict.fromkeys(recipients):
        if user_id is None or user_id == actor_id:
            continue
        language = language_of(user_id)
        with force_locale(language):
            title_text, body_text = _render(title)[:300], _render(body)
        new_id = _insert_once(dict(user_id=user_id, kind=kind.value, event_key=event_key, title=title_text,
                                   body=body_text, link=link, record_type=record_type, record_id=record_id,
                                   created_at=now))
        if new_id is None:
            continue  # told already, by an earlier sweep or another worker
        notice = db.session.get(Notification, new_id)
        written.append(notice)
        wants_email, wants_chat = preferences_of(user_id)[kind]
        with force_locale(language):
            if wants_email and channels.mail_configured() and (address := email_address(user_id)):
                subject, text, html = channels.render_email(notice, display_name(user_id))
                delivery.queue(Delivery(notification_id=new_id, channel=Channel.email, address=address,
                                        subject=subject, text=text, html=html, next_attempt_at=now, created_at=now))
            if wants_chat and channels.chat_configured():
                delivery.queue(Delivery(notification_id=new_id, channel=Channel.chat, subject=title_text,
                                        text=channels.render_chat(notice, display_name(user_id)),
                                        next_attempt_at=now, created_at=now))
    return written


# --- reading ------------------------------------------------------------------------

def unread_count(user_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def sent_for(record_type: str, record_id: int) -> list[dict]:
    """What was sent to whom about a record, one entry per event, oldest first (the ticket timeline)."""
    rows = db.session.scalars(
        sa.select(Notification).where(Notification.record_type == record_type, Notification.record_id == record_id)
        .options(sa.orm.selectinload(Notification.deliveries)).order_by(Notification.created_at, Notification.id)
    ).unique().all()
    events: dict[str, dict] = {}
    for notice in rows:
        entry = events.setdefault(notice.event_key, {"at": notice.created_at, "kind": notice.kind, "to": []})
        entry["to"].append((display_name(notice.user_id), notice.deliveries))
    return list(events.values())
