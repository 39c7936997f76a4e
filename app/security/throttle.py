"""Login throttling (ASVS 5.0 6.3.1): growing delays per account and per client address.

Nobody can be locked out for good, and nobody can lock others out for long:
- Per account: after `AUTH_LOCKOUT_THRESHOLD` consecutive failures the login is held for
  `AUTH_LOCKOUT_SECONDS`, doubling with every further failure up to `AUTH_LOCKOUT_MAX_SECONDS`;
  it opens again by itself when the time is up (or when an Admin unlocks it). Attempts
  while held are refused unchecked and do not lengthen the hold. Kept in the database
  (FAB's `fail_login_count`, `login_guard.locked_until`): one rule for every worker.
- Per client address: after `AUTH_ADDRESS_THRESHOLD` failures within
  `AUTH_ADDRESS_WINDOW_SECONDS` (on any logins) the address waits `AUTH_ADDRESS_SECONDS`,
  doubling per further failure up to `AUTH_LOCKOUT_MAX_SECONDS`. Counted in Flask-Limiter's
  storage (`RATELIMIT_STORAGE_URI`, Redis when configured), so shared by every worker.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import cast

from flask import current_app, request
from flask_appbuilder.security.sqla.models import User
from limits.storage import Storage, storage_from_string

from .. import clock
from ..extensions import db
from ..models.sessions import LoginGuard

log = logging.getLogger(__name__)

DEFAULTS = {
    "AUTH_LOCKOUT_THRESHOLD": 5,
    "AUTH_LOCKOUT_SECONDS": 60,
    "AUTH_LOCKOUT_MAX_SECONDS": 900,
    "AUTH_ADDRESS_THRESHOLD": 10,
    "AUTH_ADDRESS_SECONDS": 30,
    "AUTH_ADDRESS_WINDOW_SECONDS": 900,
}


def setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def growing_delay(failures_over: int, base: int) -> int:
    """base, 2×base, 4×base … seconds, capped at AUTH_LOCKOUT_MAX_SECONDS."""
    return min(setting("AUTH_LOCKOUT_MAX_SECONDS"), base * (1 << min(failures_over, 20)))


# --- per account (database) ----------------------------------------------------------------
def locked_until(user: User) -> datetime | None:
    guard = db.session.get(LoginGuard, user.id)
    until = guard.locked_until if guard is not None else None
    return until if until is not None and until > clock.now_utc() else None


def hold_account(user: User) -> int | None:
    """After a failed login: hold the account when the run of failures is long enough."""
    over = (user.fail_login_count or 0) - setting("AUTH_LOCKOUT_THRESHOLD")
    if over < 0:
        return None
    seconds = growing_delay(over, setting("AUTH_LOCKOUT_SECONDS"))
    guard = db.session.get(LoginGuard, user.id) or LoginGuard(user_id=user.id, token_version=0)
    guard.locked_until = clock.now_utc() + timedelta(seconds=seconds)
    db.session.add(guard)
    return seconds


def release_account(user: User) -> None:
    guard = db.session.get(LoginGuard, user.id)
    if guard is not None:
        guard.locked_until = None


# --- per client address (limiter storage) ---------------------------------------------------
def storage() -> Storage:
    """The counters' storage: Flask-Limiter's URI, so Redis when the deployment has it."""
    app = current_app
    uri = app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL") or "memory://"
    cached = app.extensions.get("login_throttle")
    if cached is None or cached[0] != uri:
        cached = app.extensions["login_throttle"] = (uri, storage_from_string(uri))
    return cast(Storage, cached[1])  # a sync URI (memory://, redis://): never limits' async storage


def client_address() -> str:
    return request.remote_addr or "unknown"


def address_held(address: str | None = None) -> bool:
    try:
        return bool(storage().get(f"login-hold:{address or client_address()}") > 0)
    except Exception:  # storage (Redis) unreachable: the account holds in the database still apply
        log.warning("login throttle storage unreachable", exc_info=True)
        return False


def note_address_failure(address: str | None = None) -> int | None:
    """Count a failed login from the address; hold the address once it failed too often."""
    address = address or client_address()
    store = storage()
    try:
        failures = store.incr(f"login-fail:{address}", setting("AUTH_ADDRESS_WINDOW_SECONDS"))
    except Exception:  # storage (Redis) unreachable: not counted, the login still answers
        log.warning("login throttle storage unreachable", exc_info=True)
        return None
    over = failures - setting("AUTH_ADDRESS_THRESHOLD")
    if over < 0:
        return None
    seconds = growing_delay(over, setting("AUTH_ADDRESS_SECONDS"))
    store.clear(f"login-hold:{address}")
    store.incr(f"login-hold:{address}", seconds)
    return seconds
