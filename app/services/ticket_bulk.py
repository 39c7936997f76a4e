"""Assigning several tickets to one engineer in one step.

Each ticket goes through the same move as a single assignment (tickets.transition); the first
one that cannot be assigned stops the whole batch with a message naming it, and the caller
rolls back, so either all are assigned or none.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from ..models import Ticket
from ..models.base import DomainError, utcnow
from . import tickets as service

MAX_TICKETS = 100


def parse_ids(raw: object) -> list[int]:
    """The ticket ids of a form or a JSON body: a non-empty list of whole numbers, duplicates dropped."""
    if not isinstance(raw, (list, tuple)) or not raw:
        raise DomainError({"ids": _("Choose at least one ticket.")})
    ids: list[int] = []
    for value in raw:
        if isinstance(value, bool):
            value = None
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise DomainError({"ids": _("%(value)r is not a ticket id.", value=value)}) from None
        if pk not in ids:
            ids.append(pk)
    if len(ids) > MAX_TICKETS:
        raise DomainError({"ids": _("At most %(n)s tickets at a time.", n=MAX_TICKETS)})
    return ids


def bulk_assign(tickets: list[Ticket], ids: list[int], assignee_id: object, user: Any,
                now: datetime | None = None) -> list[Ticket]:
    """Assign every ticket of `ids` (found among `tickets`, the ones the user may see) to one engineer."""
    now = now or utcnow()
    found = {t.id: t for t in tickets}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise DomainError({"ids": _("Ticket %(ids)s does not exist or is not yours to see.", ids=", ".join(missing))},
                          404)
    done = []
    for pk in ids:
        ticket = found[pk]
        try:
            service.transition(ticket, "assigned", user, assignee_id=assignee_id, now=now)
        except DomainError as err:
            raise DomainError(_("Ticket %(number)s cannot be assigned: %(reason)s; no ticket was assigned.",
                                number=ticket.number, reason=str(err).rstrip("。.")), err.status) from err
        done.append(ticket)
    return done
