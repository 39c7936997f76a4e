"""GET /health (is the app up, can it reach its database) and GET /ready (may it take traffic); no login."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db
from ..redis_conn import redis_client

health_bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@health_bp.get("/health")
def health():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


def _migration_heads() -> set[str]:
    """Alembic head revision(s) of the code, read once per app."""
    heads = current_app.extensions.get("alembic_heads")
    if heads is None:
        from alembic.script import ScriptDirectory

        directory = current_app.extensions["migrate"].directory
        config = current_app.extensions["migrate"].migrate.get_config(directory)
        heads = current_app.extensions["alembic_heads"] = set(ScriptDirectory.from_config(config).get_heads())
    return heads


def check_database() -> tuple[str, str]:
    """(database state, migrations state)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        log.warning("ready: database unreachable", exc_info=True)
        return "unreachable", "unknown"
    try:
        applied = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception:
        db.session.rollback()
        applied = set()
    if applied == _migration_heads():
        return "ok", "current"
    return "ok", "pending" if applied else "not applied"


def check_redis() -> str:
    client = redis_client()
    if client is None:
        return "not configured"
    try:
        client.ping()
    except Exception as exc:
        log.warning("ready: redis unreachable: %s", exc)
        return "unreachable"
    return "ok"


@health_bp.get("/ready")
def ready():
    """200 when the database answers, its schema is at the code's migration head and Redis
    (when configured) answers; 503 naming the failing part otherwise (load balancers poll this)."""
    database, migrations = check_database()
    state = {"database": database, "redis": check_redis(), "migrations": migrations}
    ok = database == "ok" and migrations == "current" and state["redis"] in ("ok", "not configured")
    return jsonify(state), 200 if ok else 503
