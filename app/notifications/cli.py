"""`flask notify-sweep`: one pass of the notification rules alone (`flask sweep` runs them too)."""
from __future__ import annotations

import click

from ..clock import now_utc


def init_app(app) -> None:
    @app.cli.command("notify-sweep")
    def notify_sweep() -> None:
        """Due-soon / overdue tickets, due callbacks, inspections, maintenance, loans, reorder points; retries."""
        from .rules import sweep

        for name, count in sweep(now_utc()).items():
            click.echo(f"{name}: {'failed (see the log)' if count < 0 else count}")
