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

    @app.cli.command("backup")
    @click.argument("file", type=click.Path(dir_okay=False))
    def backup_command(file: str) -> None:
        """A consistent online backup of the database and the attachments into FILE."""
        from .backup import BackupError, backup

        try:
            manifest = backup(file)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Backup written to {file} ({manifest['database']}, migration {manifest['revision']}, "
                   f"attachments {'included' if manifest['attachments'] else 'none'}).")

    @app.cli.command("restore")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--force", is_flag=True, help="Replace a database that is not empty.")
    def restore_command(file: str, force: bool) -> None:
        """Restore FILE (from `flask backup`) into an empty database; --force replaces a non-empty one."""
        from .backup import BackupError, restore

        try:
            manifest = restore(file, force=force)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Restored the backup of {manifest['created_at']} (migration {manifest['revision']}). "
                   "Run `flask db upgrade` if the code is newer.")

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Run the queued jobs, then exit (no scheduled sweeps).")
    def worker(burst: bool) -> None:
        """Run background jobs and, every minute, the sweep (needs REDIS_URL)."""
        if not current_app.config.get("REDIS_URL"):
            raise click.ClickException("REDIS_URL is not set: without Redis jobs run inline and "
                                       "the sweep runs in the app process (or by `flask sweep`).")
        from .jobs.worker import work

        work(burst=burst)
