"""Notifications to staff, their deliveries by email / group chat, and the customer's survey link."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import CodeEnum, enum_column, utcnow


class NotificationKind(CodeEnum):
    """What happened; the codes other programs rely on."""

    ticket_assigned = "ticket_assigned", _l("Ticket assigned")
    ticket_due_soon = "ticket_due_soon", _l("Ticket due soon")
    ticket_overdue = "ticket_overdue", _l("Ticket overdue")
    ticket_reopened = "ticket_reopened", _l("Ticket reopened")
    approval_waiting = "approval_waiting", _l("Approval waiting")
    callback_due = "callback_due", _l("Callback due")
    inspection_due = "inspection_due", _l("Inspection due")
    maintenance_due = "maintenance_due", _l("Maintenance due")
    tool_loan_overdue = "tool_loan_overdue", _l("Tool loan overdue")
    reorder_point = "reorder_point", _l("Part at reorder point")
    parts_owed = "parts_owed", _l("Defective part owed")
    survey_received = "survey_received", _l("Survey received")
    complaint_received = "complaint_received", _l("Complaint received")


class Channel(CodeEnum):
    email = "email", _l("Email")
    chat = "chat", _l("Group chat")


class DeliveryStatus(CodeEnum):
    pending = "pending", _l("Waiting to send")
    sent = "sent", _l("Sent")
    failed = "failed", _l("Failed")


class Notification(db.Model):
    """One notice to one login about one event; (event, recipient) is unique, so it is sent once."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("ab_user.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind), index=True)
    # kind:record:id:what — the same event found again by another sweep or worker has the same key
    event_key: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str | None] = mapped_column(sa.String(500))
    record_type: Mapped[str | None] = mapped_column(sa.String(50))
    record_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship(User)
    deliveries: Mapped[list[Delivery]] = relationship(back_populates="notification", passive_deletes=True,
                                                        order_by="Delivery.id")

    __table_args__ = (
        sa.UniqueConstraint("event_key", "user_id", name="uq_notification_event_user"),
        sa.Index("ix_notification_user_read", "user_id", "read_at"),
        sa.Index("ix_notification_record", "record_type", "record_id"),
    )

    def __str__(self) -> str:
        return self.title


class Delivery(db.Model):
    """A message to send by email or to the group chat, retried with back-off until sent or given up."""

    __tablename__ = "notification_delivery"
    __field_labels__ = {
        "notification": _l("Notification"), "channel": _l("Channel"), "address": _l("Address"),
        "subject": _l("Subject"), "status": _l("Status"), "attempts": _l("Attempts"),
        "next_attempt_at": _l("Next attempt at"), "sent_at": _l("Sent at"), "last_error": _l("Last error"),
        "created_at": _l("Created at"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notification.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, name="delivery_channel"))
    address: Mapped[str | None] = mapped_column(sa.String(200))  # email address; the chat has one URL
    subject: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus), default=DeliveryStatus.pending, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    notification: Mapped[Notification | None] = relationship(back_populates="deliveries")

    __table_args__ = (sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),)

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(db.Model):
    """Whether a login also gets one kind by email and in the group chat (in the app: always)."""

    __tablename__ = "notification_preference"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("ab_user.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind))
    email: Mapped[bool] = mapped_column(default=True)
    chat: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (sa.UniqueConstraint("user_id", "kind", name="uq_notification_preference_user_kind"),)


class UserLanguage(db.Model):
    """The language a login reads what the system sends them in (default BABEL_DEFAULT_LOCALE)."""

    __tablename__ = "user_language"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(sa.String(16))


class SurveyLink(db.Model):
    """The customer's signed, single-use link to the satisfaction survey of a closed ticket."""

    __tablename__ = "survey_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id", ondelete="CASCADE"), unique=True)
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    language: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None] = mapped_column()

    ticket = relationship("Ticket")
