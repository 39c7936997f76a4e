"""Security commands: `flask permissions-doc`, `flask unlock-user`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "PERMISSIONS.md"


def register_cli(app: Flask) -> None:
    @app.cli.command("permissions-doc")
    @click.option("--check", is_flag=True, help="Only report whether docs/PERMISSIONS.md is up to date.")
    def permissions_doc(check: bool) -> None:
        """Render the role × resource × permission matrix into docs/PERMISSIONS.md."""
        from .matrix import render

        text = render(current_app.extensions["appbuilder"])
        current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
        if check:
            if current != text:
                raise click.ClickException(f"{DOC_PATH} is stale: run `flask permissions-doc`")
            click.echo(f"{DOC_PATH} is up to date")
            return
        DOC_PATH.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {DOC_PATH}")

    @app.cli.command("unlock-user")
    @click.argument("username")
    def unlock_user(username: str) -> None:
        """Unlock a login locked after repeated failed logins."""
        sm = current_app.extensions["appbuilder"].sm
        user = sm.find_user(username=username)
        if user is None:
            raise click.ClickException(f"No login named {username!r}")
        was_locked = sm.is_locked(user)
        sm.unlock_user(user)
        click.echo(f"Login {username} unlocked" + ("" if was_locked else " (it was not locked)"))
