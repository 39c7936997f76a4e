"""Reports read from a PostgreSQL read replica when `DATABASE_REPLICA_URL` is set.

Why: the dashboard's aggregates, the KPI figures and the periodic report workbook scan every
ticket of a period; on a replica they do not compete with the counter, the ledger and the
screens for the primary. Only what runs inside `reporting()` goes there, and only its SELECT
statements: a session that has written in its transaction keeps reading the primary (its own
writes first), and everything else — screens, the API, the ledger, the sweep — always does.

A replica lags its primary by its replication delay (usually under a second): a figure may
not yet count a ticket saved a moment ago. Without the setting there is one database and this
module changes nothing.
"""
from __future__ import annotations

import contextlib
import contextvars

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession

BIND = "replica"
_reporting: contextvars.ContextVar[bool] = contextvars.ContextVar("reporting", default=False)


@contextlib.contextmanager
def reporting():
    """Reads inside this block may be served by the replica."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def configured(app) -> bool:
    return BIND in (app.config.get("SQLALCHEMY_BINDS") or {})


class Session(FlaskSession):
    """Flask-SQLAlchemy's session, sending report SELECTs to the replica bind."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if (bind is None and _reporting.get() and isinstance(clause, sa.Select)
                and not (self.new or self.dirty or self.deleted or self.info.get("figures_wrote"))):
            engine = self._db.engines.get(BIND)
            if engine is not None:
                return engine
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
