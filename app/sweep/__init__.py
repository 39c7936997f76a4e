"""The sweep: one idempotent pass of every time-based rule (`flask sweep`, every minute).

Each rule is a function registered with `@rule(name)`; it receives the sweep's `now` (naive
UTC) and `today` (local date) and returns what it did as {label: count}. A rule must give
the same end state however often it runs: it raises alerts through `Alerts.hold`, which
records each condition once (unique key) and resolves those that no longer hold. The rules
run in their own transaction each, so one failing rule does not stop the others.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from ..clock import now_utc, today_local
from ..extensions import db
from ..models.alerts import Alert

log = logging.getLogger(__name__)

RuleFn = Callable[["Sweep"], dict[str, int]]
RULES: dict[str, RuleFn] = {}


def rule(name: str) -> Callable[[RuleFn], RuleFn]:
    """Register a time-based rule under a name (the order of registration is the run order)."""
    def register(fn: RuleFn) -> RuleFn:
        RULES[name] = fn
        return fn

    return register


@dataclass
class Sweep:
    now: object
    today: object


@dataclass(frozen=True)
class Condition:
    """One thing that holds right now: the alert it should have."""

    key: str
    record: str
    record_id: int
    detail: str | None = None


def hold(kind: str, conditions: Iterable[Condition], now) -> tuple[int, int]:
    """Make the open alerts of `kind` match `conditions`: raise the new, resolve the gone.

    Returns (raised, resolved). Safe against a concurrent sweep: the insert skips keys
    another sweep recorded first.
    """
    wanted = {c.key: c for c in conditions}
    open_alerts = {key: pk for key, pk in db.session.execute(
        sa.select(Alert.key, Alert.id).where(Alert.kind == kind, Alert.resolved_at.is_(None)))}
    new = [c for key, c in wanted.items() if key not in open_alerts]
    raised = 0
    if new:
        rows = [{"kind": kind, "key": c.key, "record": c.record, "record_id": c.record_id,
                 "detail": c.detail, "raised_at": now} for c in new]
        raised = _insert_new(rows)
    gone = [alert_id for key, alert_id in open_alerts.items() if key not in wanted]
    for alert_id in gone:
        db.session.execute(sa.update(Alert).where(Alert.id == alert_id, Alert.resolved_at.is_(None)).values(
            resolved_at=now, key=Alert.key + "#" + sa.cast(Alert.id, sa.String)))
    return raised, len(gone)


def _insert_new(rows: list[dict]) -> int:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the two supported databases
        raise RuntimeError(f"no sweep insert for {dialect}")
    table = Alert.__table__
    stmt = insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id)
    # RETURNING counts what this sweep inserted (rowcount is unreliable for multi-row inserts)
    return len(db.session.connection().execute(stmt, rows).all())


def run_sweep(only: Iterable[str] | None = None) -> dict[str, dict[str, int] | str]:
    """One pass of every rule (or the named ones); returns each rule's counts or its error."""
    from . import rules  # noqa: F401  (registers the department's rules)

    sweep = Sweep(now=now_utc(), today=today_local())
    report: dict[str, dict[str, int] | str] = {}
    for name, fn in RULES.items():
        if only and name not in only:
            continue
        try:
            report[name] = fn(sweep)
            db.session.commit()
        except Exception as exc:  # one broken rule must not stop the others
            db.session.rollback()
            log.exception("sweep rule %s failed", name)
            report[name] = f"failed: {exc}"
    log.info("sweep done: %s", report)
    return report
