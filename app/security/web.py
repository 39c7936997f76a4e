"""Response hardening: CSP with per-request nonces, security headers, no-store, refusals audited."""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request
from flask_appbuilder.exceptions import ApplyFilterException
from werkzeug.exceptions import HTTPException

from ..models.audit import AuditAction
from . import api_edge, audit, filter_values, logins

log = logging.getLogger(__name__)


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


def _secure_headers(response: Response) -> Response:
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


def _statement_error(exc: Exception) -> Response | tuple[str, int]:
    """An unreachable database answers 503. Any other error while a statement runs is a bug of
    ours — client values were checked before the query (filter_values) — so it stays a 500."""
    down = api_edge.unreachable_answer(exc)
    if down is not None:
        return down
    raise exc


def init_app(app: Flask, error_page: Callable[[HTTPException], Any]) -> None:
    """Wire the audit trail, the CSP nonce, the headers and the security commands; `error_page`
    draws the screens' error pages (api_edge answers JSON under /api/)."""
    from .cli import register_cli

    audit.install()
    logins.install()
    api_edge.init_app(app, error_page)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.register_error_handler(sa.exc.StatementError, _statement_error)
    # FAB wraps a failed related-record lookup of a filter (the database gone) in its own exception
    app.register_error_handler(ApplyFilterException, _statement_error)
    filter_values.init_app(app)
    # after_request runs in reverse order: JSON for /api/, then the headers.
    app.after_request(_secure_headers)
    app.after_request(api_edge.json_answers)
    register_cli(app)
