"""Authentication hardening (ASVS V6/V7) mixed into the security manager.

Timed holds after repeated failures (per account and per client address), the password
policy on every path that sets a password, API token versions, audit entries for logins /
failures / locks, rate-limited API login, idle and absolute session timeouts.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, g, has_request_context, request, session
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.models import User
from flask_login import current_user, logout_user
from werkzeug.security import check_password_hash

from ..models.audit import AuditAction
from . import audit, throttle, tokens
from . import sessions as login_sessions
from .passwords import check_password

# Session keys that survive the session renewal at login.
KEPT_AT_LOGIN = ("locale",)
# How stale the session's "last seen" stamp may get before a request rewrites it. Rewriting it on
# every request made every answer send a new cookie, so a search box's request still in flight
# when a form was posted could arrive last and put back a cookie without the form's flash.
SEEN_AT_STEP_SECONDS = 60

if TYPE_CHECKING:  # what the mixin calls is FAB's SQLA security manager, its class at run time
    from flask_appbuilder.security.sqla.manager import SecurityManager as _Manager
else:
    _Manager = object


class HardenedAuthMixin(_Manager):
    """Login, lockout, password policy and session lifetime for the SQLA security manager."""

    # --- lockout: timed holds per account and per address (app/security/throttle.py) -----
    @property
    def lockout_threshold(self) -> int:
        return throttle.setting("AUTH_LOCKOUT_THRESHOLD")

    def is_locked(self, user: User) -> bool:
        """Held after a run of failed logins, until the hold runs out or an Admin unlocks it."""
        return throttle.locked_until(user) is not None

    def unlock_user(self, user: User) -> None:
        """End a hold and reset the failure count (users screen action / `flask unlock-user`)."""
        user.fail_login_count = 0
        throttle.release_account(user)
        self.update_user(user)
        audit.record(AuditAction.unlocked, f"login {user.username} unlocked", table_name="ab_user",
                     record_id=str(user.id))

    def auth_user_db(self, username: str | None, password: str | None) -> User | None:
        """FAB's check behind the holds; every refusal looks the same to the caller."""
        user = None
        if username:
            user = self.find_user(username=username) or self.find_user(email=username)
        held = "client address held" if throttle.address_held() else (
            "account held" if user is not None and self.is_locked(user) else None)
        if held:
            # Same work and same answer as a wrong password: no hint that the account exists.
            check_password_hash(current_app.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"], "password")
            audit.record(AuditAction.login_failed, held, user=user,
                         username=None if user else (username or "")[:128])
            return None
        result = super().auth_user_db(username, password)
        if result is None:
            throttle.note_address_failure()
        if result is None and (user is None or not user.is_active):
            reason = "unknown login" if user is None else "inactive login"
            audit.record(AuditAction.login_failed, reason, username=(username or "")[:128])
        return result

    def on_user_login(self, user: User) -> None:
        api = has_request_context() and request.path.startswith("/api/")
        if has_request_context() and not api:
            self._renew_session(user)
        audit.record(AuditAction.login, "api" if api else "form", user=user)

    def on_user_login_failed(self, user: User) -> None:
        # Never the password: only that it was wrong, and the running count.
        audit.record(AuditAction.login_failed, f"wrong password ({user.fail_login_count} in a row)", user=user)
        seconds = throttle.hold_account(user)
        if seconds is not None:
            tokens.revoke_tokens(user.id)  # a held login's API tokens end too
            audit.record(AuditAction.locked, f"held {seconds} s after {user.fail_login_count} failed logins",
                         user=user, table_name="ab_user", record_id=str(user.id))

    def on_user_logout(self, user: User) -> None:
        login_sessions.end_current("logout")
        audit.record(AuditAction.logout, "logout", user=user)

    # --- password policy on every path ------------------------------------------
    def add_user(self, username: str, first_name: str, last_name: str, email: str, role: Any = None,
                 password: str = "", hashed_password: str = "", groups: Any = None, commit: bool = True) -> Any:
        """FAB's add_user (CLI create-user / create-admin, seeding) with the password policy."""
        if password and not hashed_password:
            check_password(password, username)
        return super().add_user(username, first_name, last_name, email, role, password,
                                hashed_password, groups, commit)

    def reset_password(self, userid: int | str, password: str) -> None:
        """FAB's reset_password (forms, `flask fab reset-password`) with the password policy."""
        user = self.get_user_by_id(int(userid))
        check_password(password, user.username if user else None)
        super().reset_password(userid, password)  # app/security/logins.py ends its API tokens
        # ASVS 7.4.3: a new password ends the login's other sessions.
        mine = has_request_context() and getattr(getattr(g, "user", None), "id", None) == int(userid)
        login_sessions.end_all(int(userid), "password changed", keep_current=bool(mine))

    # --- API tokens ------------------------------------------------------------------
    def create_jwt_manager(self, app: Flask) -> Any:
        """FAB's JWT manager with token versions and 401 JSON answers (app/security/tokens.py)."""
        jwt_manager = super().create_jwt_manager(app)
        tokens.install(jwt_manager)
        return jwt_manager

    # --- rate limit of the API login ----------------------------------------------
    def register_views(self) -> None:
        super().register_views()
        if self.is_auth_limited:
            # FAB limits only the form login; /api/v1/security/login would stay open.
            for view in self.appbuilder.baseviews:
                if isinstance(view, SecurityApi):
                    self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)

    # --- session lifetime ---------------------------------------------------------
    def _renew_session(self, user: User) -> None:
        """A fresh session at login (no fixation), stamped for the timeouts, recorded server-side."""
        kept = {key: session[key] for key in KEPT_AT_LOGIN if key in session}
        session.clear()
        session.update(kept)
        now = time.time()
        session["auth_at"] = session["seen_at"] = now
        login_sessions.start(user)

    def before_request(self) -> None:
        """FAB's g.user, then end sessions idle or older than the configured limits."""
        g.user = current_user
        if not current_user.is_authenticated or (request.endpoint or "").endswith("static"):
            return
        now = time.time()
        auth_at, seen_at = session.get("auth_at"), session.get("seen_at")
        idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
        absolute = current_app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
        expired = auth_at is None or seen_at is None or now - seen_at > idle or now - auth_at > absolute
        if expired or not login_sessions.is_open(current_user):
            reason = "session expired" if expired else "session ended"
            audit.record(AuditAction.logout, reason, user=current_user)
            login_sessions.end_current(reason)
            logout_user()
            session.clear()
            g.user = current_user
            return
        if seen_at is None or now - seen_at >= SEEN_AT_STEP_SECONDS:
            session["seen_at"] = now
