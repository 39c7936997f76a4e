"""Project commands: `flask seed-demo`, `flask ensure-admin`, `flask sync-roles`, `flask rebuild-kpi-figures`."""
from __future__ import annotations

import click
from flask import Flask, current_app

from .security.passwords import generate_password


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--reset-passwords", is_flag=True, help="Give the demo logins a new password.")
    def seed_demo(reset_passwords: bool) -> None:
        """Create (or complete) the demo department; safe to run again."""
        from .seed import seed_demo as run

        report = run(reset_passwords=reset_passwords)
        for line in report:
            click.echo(line)

    @app.cli.command("ensure-admin")
    @click.option("--username", default="admin", show_default=True)
    def ensure_admin(username: str) -> None:
        """Create the Admin login with a random password, printed once, unless one exists."""
        sm = current_app.appbuilder.sm
        if sm.find_user(username=username):
            click.echo(f"Admin login '{username}' already exists (password unchanged).")
            return
        password = generate_password(username)
        user = sm.add_user(
            username, "System", "Administrator", f"{username}@example.invalid",
            sm.find_role(sm.auth_role_admin), password,
        )
        if not user:
            raise click.ClickException("Could not create the admin user")
        click.echo(f"Admin login created: {username} / {password}  (shown once; change it after login)")

    @app.cli.command("rebuild-kpi-figures")
    def rebuild_kpi_figures() -> None:
        """Compute the KPI summary's hourly figures again from every ticket (after rows written by hand)."""
        from .services import kpi_figures
        from .unit_of_work import unit_of_work

        with unit_of_work():
            hours = kpi_figures.rebuild()
        click.echo(f"KPI figures computed again from the tickets; hours stored: {hours}.")

    @app.cli.command("sync-roles")
    def sync_roles() -> None:
        """Write the role policy table into FAB's role tables."""
        current_app.appbuilder.sm.sync_all()
        click.echo("Roles synced from app/security/policy.py")

    from .cli_deploy import register_deploy_cli
    from .cli_due import register_due_cli

    register_due_cli(app)
    register_deploy_cli(app)
