"""Figures kept across requests: the dashboard's charts and the KPI summary.

Why: these are aggregates over every ticket of the period; at a real department's size one
dashboard costs seconds of SQL, and every manager opening it in the morning asks the same
questions. With `REDIS_URL` the answers live in Redis (shared by every app server), else in
this process (Flask-Caching's SimpleCache).

Never older than the data: every key carries the *data generation*, a counter bumped after
each commit that wrote rows (in Redis too, so a save on one server is seen by all). The clock
is part of the key to the minute (overdue and on-time counts change as time passes), and so
are the reader's language (labels) and the rows they may see. `FIGURES_CACHE_SECONDS` (default
300, 0 = off) bounds an entry's life and covers writes made outside the app (a restore).
A cache that fails (Redis down) is skipped for half a minute: figures are computed as if there
were none, and saves do not wait on it.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app
from flask_caching import Cache
from flask_sqlalchemy.session import Session as FlaskSession

from . import replica
from .clock import now_utc
from .redis_conn import redis_client

log = logging.getLogger(__name__)
cache = Cache()
GENERATION_KEY = "service-desk:figures:{database}:generation"
_WROTE = "figures_wrote"
# After a failure the cache is left alone this long (a stopped Redis must not slow every save).
PAUSE_SECONDS = 30
# With a read replica figures are kept at most this long (it may lag behind the last save).
REPLICA_SECONDS = 30


def init_app(app: Flask) -> None:
    seconds = int(app.config.get("FIGURES_CACHE_SECONDS", 300))
    # one Redis may serve several installations (staging beside production): keys name the database
    database = hashlib.sha256(str(app.config.get("SQLALCHEMY_DATABASE_URI")).encode()).hexdigest()[:12]
    app.extensions["figures_generation_key"] = GENERATION_KEY.format(database=database)
    config = {"CACHE_DEFAULT_TIMEOUT": seconds, "CACHE_KEY_PREFIX": f"service-desk:figures:{database}:"}
    if seconds <= 0:
        config.update(CACHE_TYPE="NullCache", CACHE_NO_NULL_WARNING=True)
    elif app.config.get("REDIS_URL"):
        config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=app.config["REDIS_URL"],
                      CACHE_OPTIONS={"socket_connect_timeout": 2, "socket_timeout": 5})
    else:
        config.update(CACHE_TYPE="SimpleCache", CACHE_THRESHOLD=2000)
    cache.init_app(app, config=config)
    app.extensions["figures_generation"] = itertools.count(1)
    app.extensions["figures_local_generation"] = 0
    app.extensions["figures_paused_until"] = 0.0
    if not getattr(FlaskSession, "_figures_hooked", False):
        sa.event.listen(FlaskSession, "after_flush", _noted_write)
        sa.event.listen(FlaskSession, "do_orm_execute", _noted_statement)
        sa.event.listen(FlaskSession, "after_commit", _after_commit)
        sa.event.listen(FlaskSession, "after_rollback", _after_rollback)
        FlaskSession._figures_hooked = True


def _noted_write(session, flush_context) -> None:
    session.info[_WROTE] = True


def _noted_statement(state) -> None:
    # bulk UPDATE / DELETE / INSERT and text statements change rows without a flush
    if not state.is_select:
        state.session.info[_WROTE] = True


def _after_commit(session) -> None:
    if session.info.pop(_WROTE, False) and _usable():
        try:
            bump()
        except Exception as err:  # the commit stands; entries then live at most FIGURES_CACHE_SECONDS
            _pause(err, "the data generation not moved on")


def _after_rollback(session) -> None:
    session.info.pop(_WROTE, None)


def cache_seconds() -> int:
    return int(current_app.config.get("FIGURES_CACHE_SECONDS", 300))


def _usable() -> bool:
    return (cache_seconds() > 0
            and time.monotonic() >= current_app.extensions.get("figures_paused_until", 0.0))


def _pause(err: Exception, what: str) -> None:
    current_app.extensions["figures_paused_until"] = time.monotonic() + PAUSE_SECONDS
    log.warning("figures cache unreachable (%s): %s; left alone for %s s", err, what, PAUSE_SECONDS)


def bump() -> None:
    """A commit wrote rows: every figure computed before it is out of date."""
    app = current_app._get_current_object()
    redis = redis_client(app)
    if redis is not None:
        redis.incr(app.extensions["figures_generation_key"])
    else:
        app.extensions["figures_local_generation"] = next(app.extensions["figures_generation"])


def generation() -> int:
    redis = redis_client()
    if redis is not None:
        return int(redis.get(current_app.extensions["figures_generation_key"]) or 0)
    return current_app.extensions["figures_local_generation"]


def remember(kind: str, parts: dict, compute: Callable[[], dict], now: datetime | None = None) -> dict:
    """`compute()`'s answer for these parts, from the cache when the data has not changed since."""
    if not _usable():
        return compute()
    from flask_babel import get_locale

    try:
        key = _key(kind, {**parts, "generation": generation(), "locale": str(get_locale()),
                          "minute": (now or now_utc()).strftime("%Y%m%d%H%M")})
        hit = cache.get(key)
    except Exception as err:
        _pause(err, f"{kind} computed directly")
        return compute()
    if hit is not None:
        return hit
    value = compute()
    try:
        # computed on a replica that may lag: kept briefly, so a lagging answer does not outlive it
        cache.set(key, value, timeout=min(cache_seconds(), REPLICA_SECONDS) if replica.configured(current_app)
                  else None)
    except Exception as err:
        _pause(err, f"{kind} not kept")
    return value


def _key(kind: str, parts: dict) -> str:
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f"{kind}:{digest}"
