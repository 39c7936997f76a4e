"""The events of the department that tell someone, with their recipients and words.

Called by the services where the event happens, inside their unit of work.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from ..clock import format_date, format_datetime
from ..models.system_text import said
from ..security.roles import CS, KEEPER, MANAGER, TECH
from .core import notify, path_for, recipients_with_role, users_of


def _ticket_body(ticket) -> str:
    return _("%(customer)s · %(severity)s · resolve by %(resolve_by)s", customer=ticket.customer.name,
             severity=ticket.severity.label, resolve_by=format_datetime(ticket.resolve_by))


# --- tickets ------------------------------------------------------------------------

def ticket_assigned(ticket, actor=None, now: datetime | None = None):
    """The engineer a ticket was given to (again on every re-assignment)."""
    return notify("ticket_assigned", ticket, users_of(ticket.assignee), key=f"{ticket.assigned_at:%Y%m%d%H%M%S%f}",
                  title=lambda: _("Ticket %(number)s assigned to you: %(title)s", number=ticket.number,
                                  title=said(ticket.title)),
                  body=lambda: _ticket_body(ticket), actor=actor, now=now)


def ticket_reopened(ticket, actor=None, now: datetime | None = None):
    """The customer was not satisfied: back to the assignee."""
    return notify("ticket_reopened", ticket, users_of(ticket.assignee), key=str(ticket.reopen_count),
                  title=lambda: _("Ticket %(number)s reopened: the customer is not satisfied", number=ticket.number),
                  body=lambda: _ticket_body(ticket), actor=actor, now=now)


# --- approvals ----------------------------------------------------------------------

def requisition_submitted(req: Any, actor: Any = None) -> list[Any]:
    """A parts requisition waits for a tech engineer or the manager."""
    return notify("approval_waiting", req, recipients_with_role(TECH, MANAGER), key="requested",
                  title=lambda: _("Requisition %(number)s waits for your approval", number=req.number),
                  body=lambda: _("%(engineer)s asks for %(count)s part(s)", engineer=req.engineer.name,
                                 count=len(req.lines)), actor=actor)


def purchase_submitted(pr: Any, actor: Any = None) -> list[Any]:
    """A purchase request waits for the manager (the only one who approves it)."""
    return notify("approval_waiting", pr, recipients_with_role(MANAGER), key="submitted",
                  title=lambda: _("Purchase request %(number)s waits for your approval", number=pr.number),
                  body=lambda: _("%(count)s part(s) for %(warehouse)s", count=len(pr.lines),
                                 warehouse=pr.warehouse.name), actor=actor)


# --- customer service ------------------------------------------------------------------

def complaint_received(complaint, actor=None):
    """Customer service follows every complaint up; the manager hears of it too."""
    return notify("complaint_received", complaint, recipients_with_role(CS, MANAGER), key="received",
                  title=lambda: _("Complaint %(number)s: %(subject)s", number=complaint.number,
                                  subject=complaint.subject),
                  body=lambda: complaint.customer.name if complaint.customer else "", actor=actor)


def survey_received(survey, now: datetime | None = None):
    """The customer answered the survey link: customer service, and the manager for a low score."""
    ticket = survey.ticket
    low = min(survey.timeliness, survey.effectiveness, survey.attitude) <= current_app.config.get(
        "SURVEY_LOW_SCORE", 2)
    recipients = recipients_with_role(CS) + (recipients_with_role(MANAGER) if low else [])

    def title():
        if low:
            return _("Low satisfaction on ticket %(number)s", number=ticket.number)
        return _("Survey answered for ticket %(number)s", number=ticket.number)

    return notify("survey_received", ticket, recipients, key=f"survey:{survey.id}", title=title,
                  body=lambda: _("Timeliness %(t)s, effectiveness %(e)s, attitude %(a)s. %(comment)s",
                                 t=survey.timeliness, e=survey.effectiveness, a=survey.attitude,
                                 comment=survey.comment or ""), now=now)


# --- date-based reminders (the sweep) ------------------------------------------------------

def callback_due(record, now: datetime):
    to = users_of(record.caller) or recipients_with_role(CS)
    return notify("callback_due", record, to, key=str(record.due_date),
                  title=lambda: _("Callback to %(customer)s due on %(day)s", customer=record.customer.name,
                                  day=format_date(record.due_date)),
                  body=lambda: record.content or "", now=now)


def inspection_due(record, now: datetime):
    to = users_of(record.engineer) or recipients_with_role(TECH)
    return notify("inspection_due", record, to, key=str(record.due_date),
                  title=lambda: _("Inspection at %(customer)s due on %(day)s", customer=record.customer.name,
                                  day=format_date(record.due_date)),
                  body=lambda: record.phase.label if record.phase else "", now=now)


def maintenance_due(plan, now: datetime):
    to = users_of(plan.owner) or recipients_with_role(TECH)
    return notify("maintenance_due", plan, to, key=str(plan.planned_start),
                  title=lambda: _("Maintenance “%(title)s” starts on %(day)s", title=plan.title,
                                  day=format_date(plan.planned_start)),
                  body=lambda: plan.customer.name if plan.customer else "", now=now)


def tool_loan_overdue(loan, now: datetime):
    to = recipients_with_role(KEEPER) + users_of(loan.borrower)
    return notify("tool_loan_overdue", loan, to, key=str(loan.due_on),
                  title=lambda: _("%(tool)s was due back on %(day)s", tool=loan.tool.name,
                                  day=format_date(loan.due_on)),
                  body=lambda: _("Borrowed by %(name)s", name=loan.borrower.name), now=now)


def reorder_point(part, on_hand: int, episode: str, now: datetime):
    return notify("reorder_point", part, recipients_with_role(KEEPER), key=episode,
                  link=path_for("ReorderView.list"),
                  title=lambda: _("%(code)s %(name)s is at its reorder point", code=part.code, name=part.name),
                  body=lambda: _("On hand %(qty)s, reorder point %(point)s", qty=on_hand, point=part.reorder_point),
                  now=now)


def parts_owed(row, now: datetime, units: int = 1):
    """The faulty units of one part of a slip are still not back (`row` is the first of them)."""
    to = recipients_with_role(KEEPER) + users_of(row.engineer)
    return notify("parts_owed", row, to, key="owed",
                  title=lambda: _("Defective %(part)s not yet returned by %(name)s", part=row.part.name,
                                  name=row.engineer.name),
                  body=lambda: _("Requisition %(number)s: %(n)s owed", number=row.requisition.number, n=units),
                  now=now)
