"""`flask seed-demo`: an idempotent, realistic demo department (in Chinese)."""
from __future__ import annotations

import random

from flask import current_app
from flask_babel import force_locale

from ..extensions import db


def seed_demo(reset_passwords: bool = False) -> list[str]:
    """Create whatever part of the demo is missing; return lines to print."""
    # The demo department works in 简体中文: texts the system writes into its records while
    # seeding (follow-up ticket titles, timeline notes) are in that language, like the rest.
    with force_locale("zh_Hans"):
        return _seed_demo(reset_passwords)


def _seed_demo(reset_passwords: bool) -> list[str]:
    from . import core

    rng = random.Random(20261123)  # same data on every machine
    report: list[str] = []
    password = current_app.config.get("DEMO_PASSWORD")
    report += core.seed_people(password, reset_passwords)
    report += core.seed_customers(rng)
    from . import tickets

    report += tickets.seed_tickets(rng)
    from .parts import seed_parts  # after tickets, so requisitions can link to them

    report += seed_parts(random.Random(4))
    report += seed_registers_a(rng)
    from .registers_b import seed_registers_b

    report += seed_registers_b(random.Random(6))  # its own stream: other areas' seeds do not shift it
    db.session.commit()
    return report


def seed_registers_a(rng: random.Random) -> list[str]:
    """Inspections (first: callbacks follow them), maintenance, upgrades, callbacks, complaints."""
    from . import registers_a, registers_a_plans

    return (
        registers_a_plans.seed_inspections(rng) + registers_a_plans.seed_maintenance(rng)
        + registers_a_plans.seed_upgrades(rng) + registers_a.seed_callbacks(rng)
        + registers_a.seed_complaints(rng)
    )
