"""Urgency marks of the home-page queues: "Overdue 3 days", "Due today", "Due tomorrow".

A deadline is a date (due dates) or a naive UTC datetime (SLA deadlines); both are judged
against the local calendar day of app/clock.py, never the machine's clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import clock
from ..models import Severity

# most urgent first: the rank a ticket queue sorts by before its deadline
SEVERITY_RANK = {Severity.emergency: 0, Severity.important: 1, Severity.general: 2}


def severity_rank(column):
    """SQL expression ordering a severity column emergency → important → general."""
    return sa.case(*((column == s, rank) for s, rank in SEVERITY_RANK.items()), else_=9)


@dataclass(frozen=True)
class Mark:
    level: str  # "overdue" | "today" | "soon"
    label: str

    @property
    def css(self) -> str:
        return {"overdue": "label-danger", "today": "label-warning"}.get(self.level, "label-info")


def _overdue(days: int) -> str:
    # two messages, not ngettext: the catalogs hold no plural forms (Chinese has one)
    return _("Overdue 1 day") if days == 1 else _("Overdue %(days)s days", days=days)


def due_mark(deadline, soon_days: int = 1) -> Mark | None:
    """The mark of a deadline, or None when it is further away than `soon_days` days."""
    if deadline is None:
        return None
    if isinstance(deadline, datetime):
        if deadline < clock.now_utc():
            day = clock.to_local(deadline).date()
            days = (clock.today_local() - day).days
            if days <= 0:
                return Mark("overdue", _("Overdue"))
            return Mark("overdue", _overdue(days))
        deadline = clock.to_local(deadline).date()
    if not isinstance(deadline, date):
        return None
    days = (deadline - clock.today_local()).days
    if days < 0:
        return Mark("overdue", _overdue(-days))
    if days == 0:
        return Mark("today", _("Due today"))
    if days <= soon_days:
        return Mark("soon", _("Due tomorrow") if days == 1 else _("Due in %(days)s days", days=days))
    return None
