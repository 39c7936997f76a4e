"""Response hardening: CSP with per-request nonces, security headers, no-store, refusals audited."""
from __future__ import annotations

import logging
import secrets

import sqlalchemy as sa
from flask_appbuilder.exceptions import ApplyFilterException
from flask import Flask, abort, current_app, g, has_request_context, jsonify, request
from sqlalchemy.engine import Engine

from ..extensions import db
from ..models.audit import AuditAction
from ..models.base import is_digits
from . import api_edge, audit, logins

log = logging.getLogger(__name__)
BAD_VALUE = "A value in the request does not fit its field (wrong type, out of range or unknown code)."


def csp_nonce() -> str:
    """The request's script nonce; FAB's templates call `csp_nonce()` when it is defined."""
    nonce = getattr(g, "_csp_nonce", None)
    if nonce is None:
        nonce = g._csp_nonce = secrets.token_urlsafe(16)
    return nonce


def content_security_policy() -> str:
    """Scripts only from this site or inline with this request's nonce; no framing."""
    nonce = getattr(g, "_csp_nonce", None)
    script = "script-src 'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    return "; ".join([
        "default-src 'self'",
        script,
        # FAB's templates carry style="…" attributes; styles cannot run code.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _secure_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("SECURITY_HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if not (request.endpoint or "").endswith("static"):
        # Authenticated pages and API answers must not stay in shared or browser caches.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    if response.status_code == 403:
        audit.record(AuditAction.denied, f"{request.method} {request.path}"[:500])
    return response


# FAB list arguments parsed with int(): anything else would be a 500 (ValueError).
INTEGER_ARGS = ("page_", "psize_")


def _refuse_malformed_list_args():
    for key, value in request.args.items():
        if key.startswith(INTEGER_ARGS) and not is_digits(value.strip()):
            abort(400)


def _note_bad_value(context) -> None:
    """Engine hook: the database (or bind processing) refused a value the client sent.

    PostgreSQL raises DataError for "abc" in an integer filter or an id out of range, enum
    columns raise on unknown codes; FAB's API turns any exception into a 500 (@safe).
    """
    exc = context.sqlalchemy_exception
    original = context.original_exception
    # SQLSTATE class 22 = data exception; 42883 = no operator for these types (text vs boolean).
    sqlstate = getattr(original, "sqlstate", None) or ""
    if has_request_context() and (
        isinstance(exc, sa.exc.DataError) or sqlstate.startswith("22") or sqlstate == "42883"
        or isinstance(original, (LookupError, ValueError, TypeError, OverflowError))
    ):
        g._bad_client_value = True


def _bad_value_response():
    db.session.rollback()
    log.warning("refused a request with a value its column cannot take: %s %s", request.method, request.path)
    response = jsonify(message=BAD_VALUE)
    response.status_code = 400
    return response


def _statement_error(exc):
    """A bad filter value answers 400, an unreachable database 503, not 500."""
    down = api_edge.unreachable_answer(exc)
    if down is not None:
        return down
    if getattr(g, "_bad_client_value", False):
        return _bad_value_response()
    raise exc


def _api_500_to_400(response):
    if response.status_code == 500 and getattr(g, "_bad_client_value", False):
        return _bad_value_response()
    return response


def init_app(app: Flask) -> None:
    """Wire the audit trail, the CSP nonce, the headers and the security commands."""
    from .cli import register_cli

    audit.install()
    logins.install()
    api_edge.init_app(app)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    if not sa.event.contains(Engine, "handle_error", _note_bad_value):
        sa.event.listen(Engine, "handle_error", _note_bad_value)
    app.register_error_handler(sa.exc.StatementError, _statement_error)
    app.register_error_handler(OverflowError, _statement_error)  # sqlite3 raises it unwrapped
    # FAB wraps the database's refusal of a related-column filter value in its own exception
    app.register_error_handler(ApplyFilterException, _statement_error)
    app.before_request(_refuse_malformed_list_args)
    # after_request runs in reverse order: the 500 → 400 rewrite, then JSON for /api/, then the headers.
    app.after_request(_secure_headers)
    app.after_request(api_edge.json_answers)
    app.after_request(_api_500_to_400)
    register_cli(app)
