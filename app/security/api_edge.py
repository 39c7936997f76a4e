"""The edge of /api/: one JSON body parser (size and depth bounded), and JSON for every answer.

- Bodies: JSON bodies are read up to `API_JSON_MAX_BYTES` (413 past it), parsed by the app's
  JSON provider, which refuses nesting deeper than `API_JSON_MAX_DEPTH` (400, never a
  RecursionError); any other body is bounded by `MAX_CONTENT_LENGTH` (413).
- Answers: every /api/ error is `{"message": …}` JSON (Werkzeug's and FAB's HTML 404 / 405 /
  413 / 500 pages included); a database that cannot be reached answers 503; an id the route
  refuses (`/ticket/abc`) is a 404, as an unknown number is, not Werkzeug's 405.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, has_request_context, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge

from ..extensions import db

log = logging.getLogger(__name__)
API_PREFIX = "/api/"


def _depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing documents nested deeper than API_JSON_MAX_DEPTH (ValueError → 400)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        limit = self._app.config.get("API_JSON_MAX_DEPTH", 32)
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError(f"JSON nested deeper than {limit} levels") from None
        if _depth(value) > limit:
            raise ValueError(f"JSON nested deeper than {limit} levels")
        return value


def _is_api() -> bool:
    return has_request_context() and request.path.startswith(API_PREFIX)


def _note_database_down(context: sa.engine.ExceptionContext) -> None:
    """Engine hook: the database could not be reached (connection refused, dropped)."""
    if has_request_context() and (context.is_disconnect or isinstance(
            context.sqlalchemy_exception, (sa.exc.OperationalError, sa.exc.InterfaceError))
            and context.connection is None):
        g._database_down = True


def _database_down_answer() -> Response:
    try:
        db.session.rollback()
    except Exception:  # the rollback itself may find no connection
        log.debug("rollback without a database", exc_info=True)
    response = jsonify(message=_("The database cannot be reached; try again shortly."))
    response.status_code = 503
    response.headers["Retry-After"] = "30"
    return response


def _refused_path_value(exc: HTTPException) -> bool:
    """A 405 only because a converter refused a value: `GET /api/v1/ticket/abc` misses the GET
    rule `/<int:pk>` and lands on the PUT rule `/<pk>`. A rule for this very method has the
    path's shape (same segments, a variable where they differ): the record does not exist."""
    if not isinstance(exc, MethodNotAllowed):
        return False
    parts = request.path.rstrip("/").split("/")
    for rule in current_app.url_map.iter_rules():
        if request.method not in (rule.methods or ()):
            continue
        pattern = rule.rule.rstrip("/").split("/")
        if len(pattern) == len(parts) and all(
                a == b or (a.startswith("<") and a.endswith(">")) for a, b in zip(pattern, parts, strict=True)):
            return True
    return False


def _http_error(exc: HTTPException) -> Any:
    if not _is_api():
        return current_app.extensions["error_page"](exc)
    if _refused_path_value(exc):
        exc = NotFound()
    description = exc.description if exc.code != 500 else None
    response = jsonify(message=description or exc.name)
    response.status_code = exc.code or 500
    for key, value in exc.get_headers():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response


def unreachable_answer(exc: Exception) -> Response | tuple[str, int] | None:
    """The 503 for an exception raised because the database is unreachable, else None."""
    if getattr(g, "_database_down", False) or getattr(exc, "connection_invalidated", False):
        log.error("database unreachable: %s", exc.__class__.__name__)
        if _is_api():
            return _database_down_answer()
        return _("The database cannot be reached; try again shortly."), 503
    return None


def json_answers(response: Response) -> Response:
    """Last look at an /api/ answer: 503 when the database was down, JSON when it was not."""
    if not _is_api() or response.status_code < 400:
        return response
    if response.status_code == 500 and getattr(g, "_database_down", False):
        return _database_down_answer()
    if response.mimetype != "application/json":
        status = response.status_code
        new = jsonify(message=response.status.split(" ", 1)[-1])
        new.status_code = status
        for key in ("Allow", "Retry-After", "WWW-Authenticate"):
            if key in response.headers:
                new.headers[key] = response.headers[key]
        return new
    return response


def init_app(app: Flask, error_page: Callable[[HTTPException], Any]) -> None:
    """`error_page(exc)`: the screens' page for an HTTP error outside /api/ (views/errors.py),
    handed in by create_app so that this layer does not reach up into the screens."""
    app.extensions["error_page"] = error_page
    app.json = BoundedJSONProvider(app)
    app.config.setdefault("API_JSON_MAX_DEPTH", 32)
    app.config.setdefault("API_JSON_MAX_BYTES", 1024 * 1024)

    @app.before_request
    def _bound() -> None:
        if request.is_json and request.path.startswith(API_PREFIX):
            request.max_content_length = min(
                app.config["API_JSON_MAX_BYTES"], app.config.get("MAX_CONTENT_LENGTH") or 1 << 62)
        limit = request.max_content_length
        # refuse before any view runs: a view that never reads the body would let it in, and
        # FAB's @safe turns a 413 raised while reading into a 500
        if limit is not None and (request.content_length or 0) > limit:
            raise RequestEntityTooLarge(_("The request body is larger than %(n)d KB.", n=limit // 1024))
        if request.is_json and request.path.startswith(API_PREFIX) and request.content_length is None:
            request.get_data(cache=True)  # a chunked body: read (bounded) here, refused here

    from sqlalchemy.engine import Engine

    if not sa.event.contains(Engine, "handle_error", _note_database_down):
        sa.event.listen(Engine, "handle_error", _note_database_down)
    # (database errors reach web.py's StatementError handler, which asks unreachable_answer)
    app.register_error_handler(HTTPException, _http_error)
