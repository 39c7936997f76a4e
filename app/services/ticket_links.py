"""Tickets and their links: opening a ticket from another register (callback, inspection item) in
one step; linking tickets as related, or marking them duplicates of one original.

Goes through the tickets service's intake, so such tickets get their number,
service-level clocks and first timeline entry like any other.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..actor import current_user
from ..extensions import db
from ..models.base import DomainError, utcnow
from ..models.system_text import SystemText
from ..models.ticket_links import LinkKind, TicketLink
from ..models.ticket_work import TicketEvent
from ..models.tickets import Category, Channel, Severity, Ticket
from .tickets import intake


def open_ticket(
    *, customer_id: int, title: str, description: str, channel: Channel, category: Category,
    severity: Severity = Severity.general, equipment_id: int | None = None,
    received_by_id: int | None = None, place: str | None = None, at: datetime | None = None,
) -> Ticket:
    """A new ticket in status `new`, added to the session (the caller commits)."""
    now = at or utcnow()
    ticket = Ticket(
        channel=channel, category=category, severity=severity, customer_id=customer_id,
        equipment_id=equipment_id, title=title if isinstance(title, SystemText) else title[:200],
        description=description, received_at=now,
        received_by_id=received_by_id, place=place,
    )
    intake(ticket, user=current_user(), now=now)
    db.session.add(ticket)
    db.session.flush()
    return ticket


# --- related and duplicate tickets ----------------------------------------------

def _pair_link(a: int, b: int) -> TicketLink | None:
    link: TicketLink | None = db.session.scalar(sa.select(TicketLink).where(
        sa.or_(sa.and_(TicketLink.ticket_id == a, TicketLink.other_id == b),
               sa.and_(TicketLink.ticket_id == b, TicketLink.other_id == a))))
    return link


def link_related(tickets: list[Ticket], user: Any = None) -> int:
    """Link every two of the tickets as related; pairs already linked stay as they are. New links made."""
    if len(tickets) < 2:
        raise DomainError({"ids": _("Choose at least two tickets to link.")})
    made = 0
    ordered = sorted(tickets, key=lambda t: t.id)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if _pair_link(a.id, b.id) is None:
                db.session.add(TicketLink(ticket_id=a.id, other_id=b.id, kind=LinkKind.related))
                made += 1
    db.session.flush()
    return made


def mark_duplicates(tickets: list[Ticket], original: Ticket, user: Any = None, now: datetime | None = None) -> int:
    """Mark the tickets duplicates of `original` (same customer); each gets a timeline note."""
    now = now or utcnow()
    copies = [t for t in tickets if t.id != original.id]
    if not copies:
        raise DomainError({"original": _("Choose the tickets that duplicate the original one.")})
    for t in copies:
        if t.customer_id != original.customer_id:
            raise DomainError({"original": _("Ticket %(number)s is of another customer than %(original)s.",
                                             number=t.number, original=original.number)})
        earlier = db.session.scalar(sa.select(TicketLink).where(
            TicketLink.ticket_id == t.id, TicketLink.kind == LinkKind.duplicate, TicketLink.other_id != original.id))
        if earlier is not None or _is_duplicate(original.id, t.id):
            raise DomainError({"original": _("Ticket %(number)s is already marked a duplicate of another ticket.",
                                             number=(t if earlier is not None else original).number)})
    for t in copies:
        link = _pair_link(t.id, original.id)
        if link is not None and link.kind is LinkKind.duplicate:
            continue
        if link is not None:
            db.session.delete(link)
            db.session.flush()
        db.session.add(TicketLink(ticket_id=t.id, other_id=original.id, kind=LinkKind.duplicate))
        t.events.append(TicketEvent(at=now, user_id=getattr(user, "id", None),
                                    note=_("Duplicate of %(number)s", number=original.number)))
    db.session.flush()
    return len(copies)


def _is_duplicate(ticket_id: int, of_id: int) -> bool:
    return db.session.scalar(sa.select(TicketLink.id).where(
        TicketLink.ticket_id == ticket_id, TicketLink.other_id == of_id,
        TicketLink.kind == LinkKind.duplicate)) is not None


def links_of(ticket: Ticket) -> list[tuple[str, Ticket]]:
    """(label, other ticket) of every link of the ticket, for its page."""
    rows = db.session.scalars(sa.select(TicketLink).where(
        sa.or_(TicketLink.ticket_id == ticket.id, TicketLink.other_id == ticket.id)).order_by(TicketLink.id)).all()
    out = []
    for link in rows:
        mine = link.ticket_id == ticket.id
        other = link.other if mine else link.ticket
        if link.kind is LinkKind.related:
            label = _("Related")
        else:
            label = _("Duplicate of") if mine else _("Duplicated by")
        out.append((label, other))
    return out
