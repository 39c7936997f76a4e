"""The real Redis of this machine for the tests that need one (database 6, emptied per test).

REDIS_TEST_URL overrides the URL. When no Redis answers there, those tests skip and say why
(.ci/run starts one first, so in CI they run).
"""
from __future__ import annotations

import os

import pytest

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/6")
# The login limits shared by two app instances (tests/test_lockout.py); a database of its own,
# so two runs side by side (.ci/run: SQLite and PostgreSQL at once) pass their own numbers.
LIMITS_TEST_URL = os.environ.get("LIMITS_TEST_URL", "redis://127.0.0.1:6379/7")
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
