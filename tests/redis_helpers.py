"""The real Redis of this machine for the tests that need one (database 6, emptied per test;
under pytest-xdist each worker its own, see _for_this_worker).

REDIS_TEST_URL overrides the URL. When no Redis answers there, those tests skip and say why
(.ci/run starts one first, so in CI they run).
"""
from __future__ import annotations

import os

import pytest


def _for_this_worker(url: str) -> str:
    """Under pytest-xdist (`-n 2`) each worker its own Redis databases: worker k adds 4 × k to
    the number, so the second worker of the SQLite run takes 10/11 and, in .ci/run, that of the
    PostgreSQL run (8/9) 12/13 (Redis has 16 databases: at most `-n 3`)."""
    from redis.connection import parse_url

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return url
    number = parse_url(url).get("db", 0) + 4 * int(worker.removeprefix("gw"))
    return url.rsplit("/", 1)[0] + f"/{number}"


REDIS_TEST_URL = _for_this_worker(os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/6"))
# The login limits shared by two app instances (tests/test_lockout.py); a database of its own,
# so two runs side by side (.ci/run: SQLite and PostgreSQL at once) pass their own numbers.
LIMITS_TEST_URL = _for_this_worker(os.environ.get("LIMITS_TEST_URL", "redis://127.0.0.1:6379/7"))
# Nothing listens here: a "stopped" Redis.
CLOSED_REDIS_URL = "redis://127.0.0.1:1/0"


def redis_or_skip():
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except RedisError as exc:
        pytest.skip(f"needs Redis at {REDIS_TEST_URL} ({exc}); .ci/run starts one")
    return client


@pytest.fixture
def redis_url():
    """REDIS_TEST_URL with an empty database before and after the test."""
    client = redis_or_skip()
    client.flushdb()
    yield REDIS_TEST_URL
    client.flushdb()
    client.close()
