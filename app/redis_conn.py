"""The Redis of REDIS_URL: rate-limit counters, caches and the job queue (None when unset)."""
from __future__ import annotations

from flask import Flask, current_app
from redis import Redis

# Seconds to wait for Redis before a request gives up on it (a stopped Redis must not hang pages).
CONNECT_TIMEOUT = 2


def redis_client(app: Flask | None = None) -> Redis | None:
    """One client (a connection pool) per app and URL; None in the embedded default."""
    app = app or current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    cached = app.extensions.get("redis")
    if cached is None or cached[0] != url:
        client = Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=30,
                                health_check_interval=30)
        cached = app.extensions["redis"] = (url, client)
    return cached[1]
