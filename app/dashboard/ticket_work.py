"""Satisfaction trend (manager) and the tech engineer's escalated tickets and fault analyses."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..charts import Chart
from ..clock import format_date
from ..models import SatisfactionSurvey, Ticket
from ..models.ticket_work import FaultAnalysis
from ..security.roles import MANAGER, TECH
from ..services import sla
from . import DASHBOARD_PERMISSION, Panel, add_chart, add_panel, only, record_list
from .tickets import ticket_rows

REVIEW_DAYS = 90  # fault analyses older than this are history, not a to-do


def mean_score():
    """Mean of a survey's three 1–5 scores."""
    return (SatisfactionSurvey.timeliness + SatisfactionSurvey.effectiveness
            + SatisfactionSurvey.attitude) / 3.0


def analyses_to_review(today, limit: int = 10) -> dict:
    """Recent fault analyses with no corrective action written yet, newest first."""
    missing = sa.or_(FaultAnalysis.corrective_action.is_(None), FaultAnalysis.corrective_action == "")
    return record_list(
        FaultAnalysis, missing, FaultAnalysis.analysed_on >= today - timedelta(days=REVIEW_DAYS),
        order=[FaultAnalysis.analysed_on.desc(), FaultAnalysis.id.desc()],
        cells=lambda f: [f.fault_type, f.ticket.number if f.ticket else None, f.equipment,
                         format_date(f.analysed_on), f.analysed_by],
        head=[_l("Fault type"), _l("Ticket no."), _l("Equipment"), _l("Analysed on"), _l("Analysed by")],
        endpoint="FaultAnalysisView.show", limit=limit,
        options=only(FaultAnalysis.ticket, FaultAnalysis.equipment, FaultAnalysis.analysed_by))


add_chart(Chart("satisfaction_monthly", SatisfactionSurvey, _l("Satisfaction trend (mean score 1–5)"),
                dimension="surveyed_at", bucket="month", measure="avg", value_column=mean_score,
                period_column="surveyed_at", kind="line", unit_label=_l("Mean score"),
                permission=DASHBOARD_PERMISSION), section="quality", width=6)

add_panel(Panel("escalated", _l("Escalated tickets (past an SLA deadline)"), {TECH}, order=20,
                rows=lambda ctx: ticket_rows(sla.overdue_clause(ctx["now"]),
                                             order=[Ticket.respond_by.asc(), Ticket.resolve_by.asc()],
                                             limit=10),
                template="panels/ticket_list.html"))
add_panel(Panel("analyses_to_review", _l("Fault analyses to review (no corrective action)"),
                {TECH, MANAGER}, order=60, rows=lambda ctx: analyses_to_review(ctx["today"]),
                template="panels/records.html"))
