"""The KPI figures per UTC hour of receipt (app/models/kpi_figures.py), kept equal to the tickets.

How they stay right: every flush notes the hours whose tickets or surveys it changed (a ticket's
hour before and after an edit of its received_at); just before the commit those hours are
computed again from the tickets, with the same SQL the live summary uses, and written in the
same transaction. So a stored hour is always what the tickets of that hour add up to, whatever
wrote them (a form, the API, a bulk action, the sweep), and a rolled-back change writes nothing.
On PostgreSQL two transactions writing tickets of the same hour take turns on that hour
(an advisory lock held to their commit): the second computes the hour after the first has
committed, so neither overwrites the other's ticket. SQLite has one writer at a time anyway.

Writes that bypass the session (bench/ bulk loads, SQL typed by hand) call `rebuild()` (`flask
rebuild-kpi-figures`).
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import SatisfactionSurvey, Ticket, TicketStatus
from ..models.kpi_figures import TicketFiguresHour

HOUR = timedelta(hours=1)
EPOCH = datetime(1970, 1, 1)  # an hour's lock key: hours since (not .timestamp(), which reads the machine's zone)
SATISFIED_MEAN = 4  # mean of the three 1–5 scores at or above which a customer counts as satisfied
# the ticket columns the stored figures read: a change to any other column leaves them alone
FIGURE_COLUMNS = ("received_at", "status", "reopen_count", "first_response_at", "resolved_at", "resolve_by")
LOCK_CLASS = 0x4B5049  # pg_advisory_xact_lock(class, hour): "KPI"
_HOURS = "kpi_figures_hours"  # session.info: hours to compute again before the commit
_LATER = "kpi_figures_later"  # new tickets and changed surveys: their hour is known after the flush
RANGES_PER_STATEMENT = 100


def install() -> None:
    """Called once by create_app: note changed hours at each flush, compute them before the commit."""
    if not getattr(FlaskSession, "_kpi_figures_hooked", False):
        sa.event.listen(FlaskSession, "before_flush", _note_changes)
        sa.event.listen(FlaskSession, "before_commit", _before_commit)
        sa.event.listen(FlaskSession, "after_rollback", _forget)
        FlaskSession._kpi_figures_hooked = True  # type: ignore[attr-defined]


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _history_values(obj: Any, name: str) -> list[Any]:
    history = sa.inspect(obj).attrs[name].history
    return [*history.added, *history.unchanged, *history.deleted]


def _note_changes(session: Session, flush_context: Any, instances: Any) -> None:
    hours: set[datetime] = session.info.setdefault(_HOURS, set())
    later: list[Any] = session.info.setdefault(_LATER, [])
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Ticket):
            if obj in session.new:
                later.append(obj)  # received_at's default is set by the insert
            elif obj in session.deleted or any(
                    sa.inspect(obj).attrs[name].history.has_changes() for name in FIGURE_COLUMNS):
                # an expired ticket (after a commit) whose status alone was set has no received_at loaded
                moments = _history_values(obj, "received_at") or [obj.received_at]
                hours.update(hour_of(value) for value in moments if value)
        elif isinstance(obj, SatisfactionSurvey):
            later.append(obj)  # its ticket (and the one before, if it moved), looked up after the flush
            later.extend(ticket for ticket in _history_values(obj, "ticket") if ticket is not None)
            if obj not in session.new:
                later.extend(_history_values(obj, "ticket_id") or [obj.ticket_id])


def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after this hook: what it writes is noted now
    if not (session.info.get(_HOURS) or session.info.get(_LATER)):
        return
    hours: set[datetime] = session.info.pop(_HOURS, set())
    ticket_ids: set[int] = set()
    for obj in session.info.pop(_LATER, []):
        if isinstance(obj, int):  # a survey's ticket id, read before the flush
            ticket_ids.add(obj)
            continue
        values = sa.inspect(obj).dict  # what the flush left on the object, without loading anything
        if isinstance(obj, Ticket) and values.get("received_at"):
            hours.add(hour_of(values["received_at"]))
        elif isinstance(obj, SatisfactionSurvey) and values.get("ticket_id"):
            ticket_ids.add(values["ticket_id"])
    if ticket_ids:
        hours.update(hour_of(moment) for moment in session.scalars(
            sa.select(Ticket.received_at).where(Ticket.id.in_(ticket_ids))))
    if hours:
        refresh(session, hours)


def _forget(session: Session) -> None:
    session.info.pop(_HOURS, None)
    session.info.pop(_LATER, None)


def _ranges(hours: Iterable[datetime]) -> list[tuple[datetime, datetime]]:
    """Consecutive hours merged into [start, end) ranges, in order."""
    ranges: list[tuple[datetime, datetime]] = []
    for hour in sorted(hours):
        if ranges and ranges[-1][1] == hour:
            ranges[-1] = (ranges[-1][0], hour + HOUR)
        else:
            ranges.append((hour, hour + HOUR))
    return ranges


def _postgresql() -> bool:
    return bool(db.engine.dialect.name == "postgresql")


def _hour_column(column: Any) -> Any:
    """SQL: the UTC hour a timestamp falls in (text on SQLite, read back by `_as_hour`)."""
    if _postgresql():
        return sa.func.date_trunc("hour", sa.func.timezone("UTC", column))
    return sa.func.strftime("%Y-%m-%d %H:00:00", column)


def _as_hour(value: Any) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value.replace(tzinfo=None)


def minutes_between(start: Any, end: Any) -> Any:
    """SQL minutes from `start` to `end`, in the dialect of the database."""
    if _postgresql():
        return sa.func.extract("epoch", end - start) / 60.0
    return (sa.func.julianday(end) - sa.func.julianday(start)) * 1440.0


def ticket_figures() -> list[Any]:
    """SQL: what a set of tickets adds to the summary, in TicketFiguresHour's column order."""
    one = sa.literal(1)
    closed = Ticket.status == TicketStatus.closed
    resolved = sa.and_(Ticket.status != TicketStatus.cancelled, Ticket.resolved_at.is_not(None))
    return [
        sa.func.count(Ticket.id),
        sa.func.count(sa.case((closed, one))),
        sa.func.count(sa.case((sa.and_(closed, Ticket.reopen_count == 0), one))),
        sa.func.count(Ticket.first_response_at),
        sa.func.coalesce(sa.func.sum(sa.case((Ticket.first_response_at.is_not(None),
                                              minutes_between(Ticket.received_at, Ticket.first_response_at)))),
                         0.0),
        sa.func.count(sa.case((resolved, one))),
        sa.func.count(sa.case((sa.and_(resolved, Ticket.resolved_at <= Ticket.resolve_by), one))),
    ]


def survey_figures() -> list[Any]:
    """SQL: (surveys, satisfied) of the surveys selected."""
    mean = SatisfactionSurvey.timeliness + SatisfactionSurvey.effectiveness + SatisfactionSurvey.attitude
    return [sa.func.count(SatisfactionSurvey.id),
            sa.func.count(sa.case((mean >= 3 * SATISFIED_MEAN, sa.literal(1))))]


TICKET_FIELDS = ("tickets", "closed", "closed_first_time", "responded", "response_minutes", "resolved_counted",
                 "resolved_on_time")
FIELDS = (*TICKET_FIELDS, "surveys", "satisfied")  # TicketFiguresHour's figures, in the order they are selected


def _computed(session: Session, where: Any) -> list[dict[str, Any]]:
    """The rows of TicketFiguresHour for the tickets `where` selects, computed from the tickets."""
    hour = _hour_column(Ticket.received_at)
    query = (sa.select(hour, *ticket_figures(), *survey_figures()).select_from(Ticket)
             .outerjoin(SatisfactionSurvey, SatisfactionSurvey.ticket_id == Ticket.id)  # one survey a ticket at most
             .where(where).group_by(hour))
    return [{"hour_start": _as_hour(at), **dict(zip(FIELDS, values, strict=True))}
            for at, *values in session.execute(query)]


def refresh(session: Session, hours: Iterable[datetime]) -> None:
    """Compute these hours again from the tickets and store them (an hour with no ticket: no row)."""
    ranges = _ranges(hours)
    if _postgresql():
        for start, end in ranges:  # in order, so two transactions never wait on each other crosswise
            hour = start
            while hour < end:
                session.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_CLASS, (hour - EPOCH) // HOUR)))
                hour += HOUR
    for i in range(0, len(ranges), RANGES_PER_STATEMENT):
        chunk = ranges[i:i + RANGES_PER_STATEMENT]
        where = sa.or_(*(sa.and_(Ticket.received_at >= start, Ticket.received_at < end) for start, end in chunk))
        rows = _computed(session, where)
        stale = (sa.and_(TicketFiguresHour.hour_start >= start, TicketFiguresHour.hour_start < end)
                 for start, end in chunk)
        session.execute(sa.delete(TicketFiguresHour).where(sa.or_(*stale)))
        if rows:
            session.execute(sa.insert(TicketFiguresHour), rows)


def rebuild(session: Session | None = None) -> int:
    """Every hour computed again from the tickets (after a bulk load); returns the rows stored."""
    session = session or db.session
    session.execute(sa.delete(TicketFiguresHour))
    rows = _computed(session, sa.true())
    if rows:
        session.execute(sa.insert(TicketFiguresHour), rows)
    return len(rows)


def stored(session: Session, lo: datetime, hi: datetime) -> dict[str, Any] | None:
    """The stored figures of the tickets received in [lo, hi), or None when those are not whole hours."""
    if hour_of(lo) != lo or hour_of(hi) != hi:
        return None
    columns = [sa.func.coalesce(sa.func.sum(getattr(TicketFiguresHour, name)), 0)
               for name in FIELDS]
    values = session.execute(sa.select(*columns).where(
        TicketFiguresHour.hour_start >= lo, TicketFiguresHour.hour_start < hi)).one()
    return dict(zip(FIELDS, values, strict=True))
