"""`flask seed-demo`: an idempotent, realistic demo department (in Chinese).

One module per department area (people and customers in `core`, then `tickets`, `parts`,
`inspections`, `maintenance`, `callbacks`, `complaints`, `knowledge`, `risks`, `development`,
`trips`, `budget`, `meetings`), run in this order: later areas refer to earlier records.
"""
# ruff: noqa: I001 - seeds run in dependency order
from __future__ import annotations

import random

from flask import current_app
from flask_babel import force_locale

from ..extensions import db
from . import (
    budget, callbacks, complaints, core, development, inspections, knowledge, maintenance, meetings, parts,
    risks, tickets, trips,
)


def seed_demo(reset_passwords: bool = False) -> list[str]:
    """Create whatever part of the demo is missing; return lines to print."""
    # The demo department works in 简体中文: texts the system writes into its records while
    # seeding (follow-up ticket titles, timeline notes) are in that language, like the rest.
    with force_locale("zh_Hans"):
        return _seed_demo(reset_passwords)


def _seed_demo(reset_passwords: bool) -> list[str]:
    rng = random.Random(20261123)  # same data on every machine
    report: list[str] = []
    password = current_app.config.get("DEMO_PASSWORD")
    report += core.seed_people(password, reset_passwords)
    report += core.seed_customers(rng)
    report += tickets.seed_tickets(rng)
    report += parts.seed_parts(random.Random(4))  # after tickets, so requisitions can link to them
    report += seed_service_records(rng)
    report += seed_management(random.Random(6))  # its own stream: other areas' seeds do not shift it
    db.session.commit()
    return report


def seed_service_records(rng: random.Random) -> list[str]:
    """Inspections (first: callbacks follow them), maintenance, upgrades, callbacks, complaints."""
    return (inspections.seed_inspections(rng) + maintenance.seed_maintenance(rng)
            + maintenance.seed_upgrades(rng) + callbacks.seed_callbacks(rng) + complaints.seed_complaints(rng))


def seed_management(rng: random.Random) -> list[str]:
    """The department's own records over the demo year: knowledge base, risks, training and
    appraisals, trips, budget, meetings; a line per register."""
    people = core.staff_by_login()
    if not people:
        return ["Management records: no staff yet, skipped."]
    start, end = core.demo_year()
    lines = [knowledge.seed_knowledge(rng, people, start), risks.seed_risks(people, end),
             development.seed_training(rng, people, start), development.seed_appraisals(people, end),
             trips.seed_trips(rng, people, start, end), budget.seed_budget(rng, people, start, end),
             meetings.seed_meetings(rng, people, start, end)]
    db.session.flush()
    return lines
