"""The KPI summary's figures stored ahead, one row per UTC hour of receipt (app/services/kpi_figures.py).

Why: a year's summary read from the tickets evaluates its CASE expressions on every ticket of
the year (130–170 ms at 200 000 tickets); summed from these rows it reads 8 760 of them. The
hour is UTC, so nothing stored depends on APP_TIMEZONE: a local-day period is whole UTC hours in
every zone with a whole-hour offset. The one figure that changes with time alone (open tickets
past resolve-by) is not stored: it is counted live.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class TicketFiguresHour(db.Model):
    """What the tickets received in one UTC hour add to the KPI summary (absent: none received)."""

    __tablename__ = "ticket_figures_hour"

    hour_start: Mapped[datetime] = mapped_column(primary_key=True)
    tickets: Mapped[int] = mapped_column()
    closed: Mapped[int] = mapped_column()
    closed_first_time: Mapped[int] = mapped_column()  # closed and never reopened
    responded: Mapped[int] = mapped_column()  # with a first response
    response_minutes: Mapped[float] = mapped_column(sa.Float)  # Σ intake → first response
    resolved_counted: Mapped[int] = mapped_column()  # resolved, not cancelled
    resolved_on_time: Mapped[int] = mapped_column()  # of those, resolved by resolve-by
    surveys: Mapped[int] = mapped_column()
    satisfied: Mapped[int] = mapped_column()
