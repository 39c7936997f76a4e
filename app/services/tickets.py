"""Ticket rules: intake and numbering, the lifecycle state machine, timeline and progress notes.

Used by the HTML views and the REST API alike; nothing here commits, the caller does.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import clock
from ..extensions import db
from ..models import Channel, HandlingMode, Position, Severity, Staff, Ticket, TicketEvent, TicketStatus
from ..models.base import DomainError, utcnow
from ..models.system_text import SystemText
from ..notifications import events, survey
from ..security.roles import CS, FIELD, MANAGER, TECH
from ..security.rows import restricted_to_own_rows
from . import sla
from .numbering import next_number
from .workflow import Move, Workflow

S = TicketStatus

# The lifecycle of API.md: each move and the roles that may make it (docs/TICKETS.md).
MOVES = Workflow((
    Move(S.new, S.assigned, frozenset({MANAGER, TECH})),
    Move(S.assigned, S.assigned, frozenset({MANAGER, TECH})),  # re-assign
    Move(S.in_progress, S.assigned, frozenset({MANAGER, TECH})),  # re-assign
    Move(S.assigned, S.in_progress, frozenset({MANAGER, TECH, FIELD})),
    Move(S.in_progress, S.awaiting_confirmation, frozenset({MANAGER, TECH, FIELD})),
    Move(S.awaiting_confirmation, S.closed, frozenset({MANAGER, CS})),  # customer confirmed
    Move(S.awaiting_confirmation, S.in_progress, frozenset({MANAGER, CS})),  # not satisfied: reopen
    Move(S.new, S.cancelled, frozenset({MANAGER, CS})),
    Move(S.assigned, S.cancelled, frozenset({MANAGER, CS})),
), illegal=_l("A ticket cannot move from %(frm)s to %(to)s."),
   forbidden=_l("Your role may not move a ticket from %(frm)s to %(to)s."), field="")

# Who may be given a ticket: the engineers of seed 002 §一.2–3.
ASSIGNABLE = (Position.tech_engineer, Position.field_engineer)

MOVE_LABELS = {
    S.assigned: _l("Assign"),
    S.in_progress: _l("Start work"),
    S.awaiting_confirmation: _l("Resolved: ask the customer to confirm"),
    S.closed: _l("Customer confirmed: close"),
    S.cancelled: _l("Cancel"),
}


def role_names(user: Any) -> set[str]:
    return {r.name for r in getattr(user, "roles", None) or []}


def staff_of(user: Any) -> Staff | None:
    """The staff member linked to a login."""
    if user is None or getattr(user, "id", None) is None:
        return None
    with db.session.no_autoflush:  # called while forms are half-built; do not flush them
        staff: Staff | None = db.session.scalar(sa.select(Staff).where(Staff.user_id == user.id))
        return staff


def allowed_moves(ticket: Ticket, user: Any) -> list[TicketStatus]:
    """Targets the user may move this ticket to now (buttons on the ticket page)."""
    return [S(t) for t in MOVES.targets(ticket.status, role_names(user))]


# --- intake -------------------------------------------------------------------

def intake(ticket: Ticket, user: Any = None, now: datetime | None = None) -> Ticket:
    """Register a new request: number, deadlines from the policy, timeline entry."""
    now = now or utcnow()
    errors = {}
    if ticket.resolve_by is not None and ticket.resolve_by <= now:
        errors["resolve_by"] = _("The resolve-by time is in the past.")
    if ticket.promised_feedback_at is not None and ticket.promised_feedback_at <= now:
        errors["promised_feedback_at"] = _("The promised feedback time is in the past.")
    errors.update(_related_customer_errors(ticket))
    if errors:
        raise DomainError(errors)
    requested_resolve_by = ticket.resolve_by
    ticket.channel, ticket.severity = Channel(ticket.channel), Severity(ticket.severity)
    ticket.status = S.new
    ticket.received_at = ticket.received_at or now
    ticket.reopen_count = 0
    if ticket.received_by_id is None and ticket.received_by is None:
        ticket.received_by = staff_of(user)
    due = sla.deadlines(ticket.severity, ticket.received_at)
    ticket.notify_by, ticket.respond_by = due.notify_by, due.respond_by
    # A promise to the customer may be tighter than the policy, never looser.
    ticket.resolve_by = min(due.resolve_by, requested_resolve_by) if requested_resolve_by else due.resolve_by
    ticket.number = next_number("SR", clock.to_local(ticket.received_at).year)  # the local day's year
    ticket.events.append(TicketEvent(at=ticket.received_at, user_id=_uid(user), to_status=S.new,
                                     note=SystemText("ticket.received_via", channel=ticket.channel)))
    return ticket


def _related_customer_errors(ticket: Ticket) -> dict[str, str]:
    """Contact, project and equipment must belong to the ticket's customer."""
    errors = {}
    cid = ticket.customer.id if ticket.customer is not None else ticket.customer_id
    for field in ("contact", "project", "equipment"):
        related = getattr(ticket, field)
        if related is not None and cid is not None and related.customer_id != cid:
            errors[field] = _("It belongs to another customer.")
    return errors


def check_edit(ticket: Ticket) -> Ticket:
    """An edited ticket: related records of its customer; a new severity gets new deadlines."""
    # read before the related records load: loading them flushes the edit, and its history with it
    severity_changed: bool = sa.inspect(ticket).attrs.severity.history.has_changes()
    errors = _related_customer_errors(ticket)
    if errors:
        raise DomainError(errors)
    if severity_changed:
        recompute_deadlines(ticket)
    return ticket


def recompute_deadlines(ticket: Ticket) -> None:
    """After a severity change: deadlines from the new policy, counted from intake."""
    due = sla.deadlines(ticket.severity, ticket.received_at)
    ticket.notify_by, ticket.respond_by, ticket.resolve_by = due.notify_by, due.respond_by, due.resolve_by


# --- lifecycle ----------------------------------------------------------------

def parse_status(code: Any) -> TicketStatus:
    try:
        return TicketStatus(code)
    except (TypeError, ValueError):
        known = ", ".join(s.value for s in TicketStatus)
        raise DomainError({"to": _("Unknown status %(code)r; use one of: %(known)s", code=code,
                                   known=known)}) from None


def transition(ticket: Ticket, to: object, user: Any, assignee_id: Any = None, note: str | None = None,
               now: datetime | None = None, **details: Any) -> Ticket:
    """Move a ticket along the lifecycle; 422 bad input, 409 illegal move, 403 wrong role."""
    now = now or utcnow()
    to = parse_status(to)
    frm = ticket.status
    MOVES.find(frm, to, role_names(user))  # 409 no such move, 403 not for this role
    if restricted_to_own_rows(user) and not _is_assignee(ticket, user):
        raise DomainError(_("This ticket is not assigned to you."), 403)
    _apply_details(ticket, details)
    note = _text(note, "note")
    if to is S.assigned:
        _assign(ticket, assignee_id, now)
    elif to is S.in_progress and frm is S.assigned:
        ticket.first_response_at = ticket.first_response_at or now
    elif to is S.in_progress:  # the customer was not satisfied
        ticket.reopen_count += 1
        ticket.resolved_at = None
    elif to is S.awaiting_confirmation:
        _plan_recorded(ticket)
        ticket.first_response_at = ticket.first_response_at or now
        ticket.resolved_at = now
        ticket.resolution = ticket.resolution or note
    elif to is S.closed:
        if ticket.handling_mode is HandlingMode.onsite and not ticket.signed_repair:
            raise DomainError(_("Repaired on site: a repair record signed by the customer is needed to close."), 409)
        ticket.closed_at = now
    _guarded_status_update(ticket, frm, to)
    ticket.events.append(TicketEvent(at=now, user_id=_uid(user), from_status=frm, to_status=to, note=note))
    _tell(ticket, frm, to, user, now)
    return ticket


def _plan_recorded(ticket: Ticket) -> None:
    """The regulation (000 §四(三)): an emergency or important ticket is resolved along its solution plan."""
    if ticket.needs_solution_plan and ticket.solution_plan is None:
        raise DomainError(_("An emergency or important ticket needs its solution plan recorded before it is resolved."),
                          409)


def _tell(ticket: Ticket, frm: TicketStatus, to: TicketStatus, user: Any, now: datetime) -> None:
    """Who hears of a move: the engineer given it or getting it back; the customer's survey link on close."""
    if to is S.assigned:
        events.ticket_assigned(ticket, user, now)
    elif to is S.in_progress and frm is S.awaiting_confirmation:
        events.ticket_reopened(ticket, user, now)
    elif to is S.closed:
        survey.issue(ticket, now)


def _assign(ticket: Ticket, assignee_id: Any, now: datetime) -> None:
    if assignee_id in (None, ""):
        raise DomainError({"assignee": _("Choose the engineer to assign.")})
    try:
        engineer = db.session.get(Staff, int(assignee_id))
    except (TypeError, ValueError):
        engineer = None
    if engineer is None:
        raise DomainError({"assignee": _("Staff member %(id)s does not exist.", id=assignee_id)})
    if not engineer.active or engineer.position not in ASSIGNABLE:
        raise DomainError({"assignee": _("%(name)s is not an active engineer.", name=engineer.name)})
    if ticket.status is not S.new and ticket.assignee_id == engineer.id:
        raise DomainError({"assignee": _("The ticket is already assigned to %(name)s.", name=engineer.name)})
    ticket.assignee = engineer
    ticket.assigned_at = now


def _apply_details(ticket: Ticket, details: dict[str, Any]) -> None:
    """Optional fields a move may carry: handling mode, resolution, root cause, prevention."""
    mode = details.get("handling_mode")
    if mode not in (None, ""):
        try:
            ticket.handling_mode = HandlingMode(mode)
        except ValueError:
            raise DomainError({"handling_mode": _("Unknown handling mode %(code)r.", code=mode)}) from None
    for field in ("resolution", "root_cause", "prevention"):
        value = details.get(field)
        if value is not None and not isinstance(value, str):
            raise DomainError({field: _("Must be text.")})
        if value and value.strip():
            setattr(ticket, field, value.strip())


def _guarded_status_update(ticket: Ticket, frm: TicketStatus, to: TicketStatus) -> None:
    """Change the status only if nobody else moved the ticket meanwhile (409 otherwise)."""
    done = db.session.execute(
        sa.update(Ticket).where(Ticket.id == ticket.id, Ticket.status == frm).values(status=to)
        .execution_options(synchronize_session=False)
    ).rowcount
    if ticket.id is not None and done != 1:
        raise DomainError(_("The ticket was changed by someone else meanwhile; reload it."), 409)
    ticket.status = to


def add_note(ticket: Ticket, user: Any, note: object, now: datetime | None = None) -> TicketEvent:
    """A free-text progress note; the assignee's first note on an assigned ticket is the first response."""
    text = _text(note, "note")
    if not text:
        raise DomainError({"note": _("Write the progress note.")})
    if restricted_to_own_rows(user) and not _is_assignee(ticket, user):
        raise DomainError(_("This ticket is not assigned to you."), 403)
    now = now or utcnow()
    if ticket.first_response_at is None and ticket.status.is_open and _is_assignee(ticket, user):
        ticket.first_response_at = now
    event = TicketEvent(at=now, user_id=_uid(user), note=text)
    ticket.events.append(event)
    return event


def _text(value: object, field: str) -> str | None:
    """Stripped text or None; anything but text is bad input."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise DomainError({field: _("Must be text.")})
    return value.strip() or None


def _is_assignee(ticket: Ticket, user: Any) -> bool:
    me = staff_of(user)
    return me is not None and ticket.assignee_id == me.id


def _uid(user: Any) -> int | None:
    return getattr(user, "id", None)
