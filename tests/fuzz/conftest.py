"""The API fuzzed from its own OpenAPI document: schemathesis against a live server.

One server per session on 127.0.0.1:<free port> (werkzeug, in a thread) on a copy of the
demo department (a SQLite file, or `<demo database>_fuzz`), so lists, `_info` choices and
related fields answer real rows. The document is read from the running server, as a client generator would.
Nothing is wiped between tests: the test module orders the operations so that deletes come last.
The run prints how long the fuzzing took (the goal: under 3 minutes for both roles on 2 cores).
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
import schemathesis

from app import create_app
from tests.conftest import PASSWORD, copy_database, make_config, serving

_timing = {"server": 0.0, "started": None, "finished": 0.0, "operations": 0}


def _is_fuzz_test(nodeid: str) -> bool:
    return nodeid.replace("\\", "/").startswith("tests/fuzz/")


def pytest_runtest_logstart(nodeid, location):
    if _is_fuzz_test(nodeid):
        _timing["started"] = _timing["started"] or time.monotonic()


def pytest_runtest_logfinish(nodeid, location):
    if _is_fuzz_test(nodeid):
        _timing["finished"] = time.monotonic()


def pytest_terminal_summary(terminalreporter):
    if not _timing["started"]:
        return
    took = _timing["finished"] - _timing["started"]
    terminalreporter.write_line(f"fuzz tests: {_timing['operations']} operations × role in {took:.0f} s "
                                f"(live server, migrations and demo seed: {_timing['server']:.0f} s)", bold=True)


@pytest.fixture(autouse=True)
def _clean_database():
    """The fuzzed server keeps its seeded department (no per-test wipe, as the suite's has)."""
    yield


@dataclass
class LiveServer:
    url: str
    app: object


@pytest.fixture(scope="session")
def live_server(demo_template, tmp_path_factory) -> Iterator[LiveServer]:
    """A copy of the suite's demo department (seeded once per run, tests/conftest.py): the
    fuzzer's writes stay in the copy."""
    started = time.monotonic()
    app = create_app(make_config(copy_database(demo_template.url, tmp_path_factory, "fuzz"),
                                 DEMO_PASSWORD=PASSWORD))
    # one request at a time, as schemathesis sends them (no SQLite writer contention)
    with serving(app, threaded=False) as url:
        _timing["server"] = time.monotonic() - started
        yield LiveServer(url=url, app=app)


@pytest.fixture(scope="session")
def tokens(live_server) -> dict[str, dict]:
    """Bearer headers for the Admin and a Field Engineer, made once (the security endpoints
    themselves are not fuzzed: a fuzzed login would lock these accounts out)."""
    headers = {}
    for username in ("admin", "field1"):
        resp = requests.post(f"{live_server.url}/api/v1/security/login", timeout=30, json={
            "username": username, "password": PASSWORD, "provider": "db", "refresh": False})
        assert resp.status_code == 200, resp.text
        headers[username] = {"Authorization": f"Bearer {resp.json()['access_token']}"}
    return headers


@pytest.fixture(scope="session")
def api_schema(live_server, tokens):
    """The document as the running server answers it (the admin may read it)."""
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/_openapi", headers=tokens["admin"],
                                           timeout=60)
    schema.config.update(base_url=live_server.url)
    return schema.exclude(path_regex=r"^/api/v1/security/")
