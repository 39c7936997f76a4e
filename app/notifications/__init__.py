"""Notifications: who is told what, in the app, by email and in the group chat.

Every event goes through `notify(kind, record, recipients, …)` inside the caller's unit of
work (nothing here commits). A notice is unique per event × recipient, so an event found
again by a second sweep or another worker tells nobody twice. Emails and group-chat messages
are rendered in the recipient's language when the notice is written and sent after the
caller's commit (app/notifications/delivery.py). See docs/NOTIFICATIONS.md.
"""
# ruff: noqa: I001 - channels and views load after the core
from __future__ import annotations

from .core import (  # noqa: F401
    language_of, notify, path_for, preferences_of, recipients_with_role, sent_for, unread_count, users_of,
)


def init_app(app) -> None:
    """Mail, the after-commit delivery hook, the bell, the screens, the survey page, the CLI."""
    from . import channels, delivery, views, survey_views, cli

    channels.init_app(app)
    delivery.init_app(app)
    views.init_app(app)
    survey_views.init_app(app)
    cli.init_app(app)
