"""The codes a service request is filed under (000 §四, 004 §三): channel, category, severity,
status and handling mode. Apart from the ticket so that the service-level policy (sla.py),
which the ticket's flag reads, can name a severity without importing the ticket."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .base import CodeEnum


class Channel(CodeEnum):
    phone = "phone", _l("Phone")
    email = "email", _l("Email")
    online = "online", _l("Online")
    fax = "fax", _l("Fax")
    im = "im", _l("Instant message")
    onsite = "onsite", _l("On site")


class Category(CodeEnum):
    software_function = "software_function", _l("Software function")
    system_fault = "system_fault", _l("System fault")
    operation_usage = "operation_usage", _l("Operation / usage")
    hardware = "hardware", _l("Hardware")
    consultation = "consultation", _l("Consultation")
    suggestion = "suggestion", _l("Suggestion")


class Severity(CodeEnum):
    """000 §四(二): general / important / emergency."""

    general = "general", _l("General")
    important = "important", _l("Important")
    emergency = "emergency", _l("Emergency")


class TicketStatus(CodeEnum):
    new = "new", _l("New")
    assigned = "assigned", _l("Assigned")
    in_progress = "in_progress", _l("In progress")
    awaiting_confirmation = "awaiting_confirmation", _l("Awaiting customer confirmation")
    closed = "closed", _l("Closed")
    cancelled = "cancelled", _l("Cancelled")

    @property
    def is_open(self) -> bool:
        return self not in (TicketStatus.closed, TicketStatus.cancelled)


class HandlingMode(CodeEnum):
    remote = "remote", _l("Remote")
    onsite = "onsite", _l("On site")
