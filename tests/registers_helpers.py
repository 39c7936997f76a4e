"""Shared helpers of the register tests (callbacks, complaints, inspections, maintenance)."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def get(app, model, pk):
    """A detached copy of a row's column values."""
    with app.app_context():
        obj = db.session.get(model, pk)
        return {c.key: getattr(obj, c.key) for c in sa.inspect(model).column_attrs} if obj else None
