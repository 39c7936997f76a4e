"""Password policy (ASVS 6.2): a minimum length and a blocklist, no composition rules."""
from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

import click
from flask import current_app, g, has_request_context, request
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext

from ..models.base import is_digits

BLOCKLIST_FILE = Path(__file__).resolve().parent / "data" / "common_passwords.txt"
DEFAULT_MIN_LENGTH = 12
MAX_LENGTH = 128  # ASVS 6.2.9: at least 64 characters must be allowed


class WeakPassword(click.ClickException, ValueError):
    """A password the policy refuses; the CLI prints its message and exits 1."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords, lower-cased."""
    lines = BLOCKLIST_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def min_length() -> int:
    return int(current_app.config.get("PASSWORD_MIN_LENGTH", DEFAULT_MIN_LENGTH))


def password_problems(password: str | None, username: str | None = None) -> list[str]:
    """Why a password is refused (empty list: accepted)."""
    password = password or ""
    problems = []
    if len(password) < min_length():
        problems.append(gettext("Use at least %(n)d characters.", n=min_length()))
    if len(password) > MAX_LENGTH:
        problems.append(gettext("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.strip().lower()
    if lowered in common_passwords():
        problems.append(gettext("This password is too common; choose another."))
    name = (username or "").strip().lower()
    # Very short logins ("cs") would match by chance inside random passwords: equality only.
    if name and (name == lowered or (len(name) >= 4 and name in lowered)):
        problems.append(gettext("The password must not contain the username."))
    return problems


def check_password(password: str | None, username: str | None = None) -> None:
    """Raise WeakPassword when the policy refuses the password."""
    problems = password_problems(password, username)
    if problems:
        raise WeakPassword(" ".join(problems))


def _username_of_form() -> str | None:
    """The login whose password a FAB form is setting (add user / reset / reset mine)."""
    if not has_request_context():
        return None
    if request.form.get("username"):
        return request.form["username"]
    sm = current_app.extensions["appbuilder"].sm
    pk = request.args.get("pk")
    if request.path.startswith("/resetpassword") and pk and is_digits(pk):
        user = sm.get_user_by_id(int(pk))
        return user.username if user else None
    user = getattr(g, "user", None)
    return getattr(user, "username", None)


def fab_password_validator(password: str) -> None:
    """FAB_PASSWORD_COMPLEXITY_VALIDATOR: the same policy on FAB's forms and security API."""
    problems = password_problems(password, _username_of_form())
    if problems:
        raise PasswordComplexityValidationError(" ".join(problems))


def generate_password(*usernames: str) -> str:
    """A random password (16 url-safe characters) that the password policy accepts for these logins."""
    while True:
        password = secrets.token_urlsafe(12)
        if not any(password_problems(password, name) for name in usernames or (None,)):
            return password
