"""`flask generate-due`: create the callbacks and inspections the plans make due.

`flask sweep` (every minute in a deployment) does this too; this command stays for a day
chosen by hand (`--on`) and other horizons.
"""
from __future__ import annotations

import click
from flask import Flask


def register_due_cli(app: Flask) -> None:
    @app.cli.command("generate-due")
    @click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Generate as of this day (default: today).")
    @click.option("--callback-days", default=30, show_default=True, help="Callbacks due within this many days.")
    @click.option("--inspection-days", default=14, show_default=True, help="Inspections due within this many days.")
    def generate_due(on, callback_days: int, inspection_days: int) -> None:
        """Create due callbacks and inspections from the active plans; safe to run again."""
        from .clock import today_local
        from .extensions import db
        from .services.callbacks import generate_due_callbacks
        from .services.inspections import generate_due_inspections

        if callback_days < 0 or inspection_days < 0:
            raise click.BadParameter("the horizons must not be negative")
        day = on.date() if on else today_local()
        callbacks = generate_due_callbacks(day, callback_days)
        inspections = generate_due_inspections(day, inspection_days)
        db.session.commit()
        click.echo(f"Due callbacks created: {callbacks}; due inspections created: {inspections}.")
