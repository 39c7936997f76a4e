"""Deployment commands: `flask deploy`, `flask sweep`, `flask worker`, `flask backup`, `flask restore`."""
from __future__ import annotations

import click
from flask import Flask, current_app


def register_deploy_cli(app: Flask) -> None:
    @app.cli.command("deploy")
    def deploy() -> None:
        """Once per release, before the app servers start: migrate, then sync roles and permissions."""
        import flask_migrate

        flask_migrate.upgrade()
        current_app.appbuilder.sm.sync_all()
        click.echo("Database at the latest migration; roles and permissions synced.")

    @app.cli.command("sweep")
    @click.option("--rule", "rules", multiple=True, help="Run only this rule (repeatable).")
    def sweep(rules: tuple[str, ...]) -> None:
        """One idempotent pass of every time-based rule (the workers run it every minute)."""
        from .sweep import RULES, run_sweep

        from .sweep import rules as _department_rules  # noqa: F401  (registers them)

        unknown = set(rules) - set(RULES)
        if unknown:
            raise click.BadParameter(f"unknown rule(s): {', '.join(sorted(unknown))}; known: {', '.join(RULES)}")
        report = run_sweep(rules or None)
        for name, result in report.items():
            if isinstance(result, str):
                click.echo(f"{name}: {result}", err=True)
            else:
                click.echo(f"{name}: " + (", ".join(f"{k} {v}" for k, v in result.items()) or "nothing to do"))
        if any(isinstance(result, str) for result in report.values()):
            raise SystemExit(1)
