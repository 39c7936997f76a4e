"""Logging set up by the app factory: a request id on every request and every line.

Production writes one JSON object per line (LOG_FORMAT=json); development readable lines.
Each line of a request carries its request id, user and route; a job carries the id of the
request that started it (app/jobs). Errors go to Sentry too when SENTRY_DSN is set.
"""
from __future__ import annotations

import contextvars
import logging
import re
import sys
import uuid

from flask import Flask, g, has_request_context, request

from .actor import current_user

REQUEST_ID_HEADER = "X-Request-ID"
# An id from a proxy / client is kept only if it is short and plain (it ends up in log lines).
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# Outside a request (jobs, CLI): the id of the request the work came from.
job_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("job_request_id", default=None)
_HANDLER_NAME = "service-desk"
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s%(where)s"


def current_request_id() -> str | None:
    if has_request_context():
        return getattr(g, "request_id", None)
    return job_request_id.get()


class ContextFilter(logging.Filter):
    """Adds request_id, user and route to every record (blank outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        user = route = None
        if has_request_context():
            route = f"{request.method} {request.path}"
            account = current_user()
            user = account.username if account is not None else None
        record.user = user
        record.route = route
        record.where = f" (user={user or '-'} route={route})" if route and record.levelno >= logging.ERROR else ""
        return True


def _formatter(kind: str) -> logging.Formatter:
    if kind == "json":
        from pythonjsonlogger.json import JsonFormatter

        return JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user)s %(route)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    return logging.Formatter(TEXT_FORMAT)


def configure_logging(kind: str = "text", level: str = "INFO") -> logging.Handler:
    """One handler on the root logger (replaced, not added, when called again)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(_formatter(kind))
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler


def _take_request_id() -> None:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if _VALID_ID.match(offered) else uuid.uuid4().hex


def _echo_request_id(response):
    request_id = getattr(g, "request_id", None)
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    return response


def _init_sentry(app: Flask) -> None:
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(dsn=dsn, integrations=[FlaskIntegration()], send_default_pii=False,
                    environment=app.config.get("SENTRY_ENVIRONMENT") or ("test" if app.testing else "production"),
                    traces_sample_rate=0.0)


def init_logging(app: Flask) -> None:
    if not app.testing:  # pytest keeps its own capture handlers
        configure_logging(app.config.get("LOG_FORMAT", "text"), app.config.get("LOG_LEVEL", "INFO"))
    # first in line, so every later hook and log line of the request has the id
    app.before_request_funcs.setdefault(None, []).insert(0, _take_request_id)
    app.after_request(_echo_request_id)
    _init_sentry(app)
