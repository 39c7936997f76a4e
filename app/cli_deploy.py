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
