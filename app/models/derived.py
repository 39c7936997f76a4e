"""Columns derived from others (risk level, appraisal total, period bounds), kept in sync on every save."""
from __future__ import annotations

import sqlalchemy as sa


def keep_derived(*models: type) -> None:
    """Call `sync_derived()` before every INSERT and UPDATE of these models, whoever saves them."""

    def _sync(mapper, connection, target):
        target.sync_derived()

    for model in models:
        sa.event.listen(model, "before_insert", _sync)
        sa.event.listen(model, "before_update", _sync)
