"""Maintenance plan completion and the upgrade request workflow (001 §四)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..models.base import DomainError
from ..models.maintenance import (
    MaintenanceOutcome,
    MaintenancePlan,
    MaintenanceRecord,
    MaintenanceStatus,
    UpgradeRequest,
)
from ..models.maintenance import UpgradeStatus as U
from ..security.roles import MANAGER, TECH
from .workflow import Move, Workflow

# Tech engineers evaluate (研发/技术 assesses feasibility); the manager decides (001 §四(三)(四)).
FLOW = Workflow((
    Move(U.submitted, U.evaluated, frozenset({TECH, MANAGER})),
    Move(U.evaluated, U.submitted, frozenset({TECH, MANAGER})),
    Move(U.evaluated, U.approved, frozenset({MANAGER})),
    Move(U.evaluated, U.rejected, frozenset({MANAGER})),
    Move(U.approved, U.implemented, frozenset({TECH, MANAGER})),
))


def apply_record(record: MaintenanceRecord) -> None:
    """A record that got the work done completes its plan."""
    plan = record.plan or db.session.get(MaintenancePlan, record.plan_id)
    if plan.status == MaintenanceStatus.cancelled:
        raise DomainError({"plan": _("The plan is cancelled.")}, status=409)
    if record.outcome == MaintenanceOutcome.done:
        plan.status = MaintenanceStatus.completed
        plan.completed_on = max(filter(None, (plan.completed_on, record.performed_on)))


def maintenance_completion_rate(start: date, end: date) -> float | None:
    """Share of plans due (planned end) in [start, end], not cancelled, that are completed; None if none."""
    due = sa.and_(MaintenancePlan.planned_end.between(start, end),
                  MaintenancePlan.status != MaintenanceStatus.cancelled)
    total, done = db.session.execute(sa.select(
        sa.func.count(),
        sa.func.count().filter(MaintenancePlan.status == MaintenanceStatus.completed),
    ).where(due)).one()
    return None if not total else round(done / total, 4)


def missing_for(req: UpgradeRequest, target: str, note: str | None) -> dict[str, str]:
    """What an upgrade request still lacks before it may move to target."""
    need = _("Required before this step.")
    errors = {}
    if target == U.evaluated:
        errors.update({f: need for f in ("feasibility", "cost_benefit", "priority") if not getattr(req, f)})
    if target == U.approved:
        errors.update({f: need for f in ("plan_goal", "plan_steps", "planned_start", "planned_end")
                       if not getattr(req, f)})
    if target == U.rejected and not (req.decision_note or (note or "").strip()):
        errors["decision_note"] = _("Give the reason for the rejection.")
    return errors


def transition(req: UpgradeRequest, target: str, note: str | None = None,
               roles: set[str] | None = None, staff_id: int | None = None,
               today: date | None = None) -> UpgradeRequest:
    """Move an upgrade request, with its checks; stamps who evaluated / decided and when."""
    try:
        target = U(target)
    except ValueError:
        raise DomainError({"to": _("Unknown status %(s)s.", s=target)}, status=422) from None
    today = today or clock.today_local()
    FLOW.find(req.status, target, roles)
    errors = missing_for(req, target, note)
    if errors:
        raise DomainError(errors, status=422)
    if target == U.evaluated:
        req.evaluated_by_id, req.evaluated_on = staff_id, today
    elif target in (U.approved, U.rejected):
        req.decided_by_id, req.decided_on = staff_id, today
        if note:
            req.decision_note = "\n".join(filter(None, (req.decision_note, note.strip())))
    elif target == U.implemented:
        req.implemented_on = today
    req.status = target
    return req


def allowed_targets(req: UpgradeRequest, roles: set[str]) -> list[str]:
    return FLOW.targets(req.status, roles)
