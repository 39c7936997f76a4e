"""GET /health: is the app up and can it reach its database (no login)."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from ..extensions import db, csrf

health_bp = Blueprint("health", __name__)
csrf.exempt(health_bp)


@health_bp.get("/health")
def health():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
