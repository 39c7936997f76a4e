"""`flask seed-demo`: an idempotent, realistic demo department (in Chinese)."""
from __future__ import annotations

import random

from flask import current_app

from ..extensions import db


def seed_demo(reset_passwords: bool = False) -> list[str]:
    """Create whatever part of the demo is missing; return lines to print."""
    from . import core

    rng = random.Random(20261123)  # same data on every machine
    report: list[str] = []
    password = current_app.config.get("DEMO_PASSWORD")
    report += core.seed_people(password, reset_passwords)
    report += core.seed_customers(rng)
    from .parts import seed_parts  # after tickets, so requisitions can link to them

    report += seed_parts(random.Random(4))
    db.session.commit()
    return report
