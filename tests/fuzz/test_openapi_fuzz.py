"""Every operation of the OpenAPI document, fuzzed with schemathesis as Admin and as a Field
Engineer: no 5xx, and every answer (status, content type, body) as the document says.

Bounded: FUZZ_EXAMPLES generated requests per operation and role (default 3, seeded, so a run
repeats), FUZZ_DEADLINE_MS per request; the whole run takes about two minutes here.
"""
from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from tests.conftest import PASSWORD

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
DEADLINE = timedelta(milliseconds=int(os.environ.get("FUZZ_DEADLINE_MS", "15000")))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Field engineer first: Admin's fuzzing deletes and edits rows at random afterwards.
ROLES = [("Field Engineer", "field1"), ("Admin", "admin")]


def _token(base: str, username: str) -> str:
    resp = requests.post(f"{base}/api/v1/security/login", timeout=30,
                         json={"username": username, "password": PASSWORD, "provider": "db"})
    resp.raise_for_status()
    return resp.json()["access_token"]


def _document(base: str, token: str) -> dict:
    resp = requests.get(f"{base}/api/v1/_openapi", headers={"Authorization": f"Bearer {token}"}, timeout=60)
    resp.raise_for_status()
    return resp.json()


def _fuzz(operation, base: str, headers: dict) -> str | None:
    """Run the operation's examples; the first failure's text, or None."""
    @settings(max_examples=EXAMPLES, deadline=DEADLINE, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(base_url=base, headers=headers, checks=CHECKS)

    try:
        run()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # schemathesis raises a BaseExceptionGroup of every failed check
        details = getattr(exc, "exceptions", None) or [exc]
        return f"{operation.label}: " + "\n".join(str(e) for e in details)[:3000]
    return None


@pytest.mark.parametrize("role,username", ROLES, ids=[r for r, _ in ROLES])
def test_every_operation_answers_as_documented(fuzz_server, role, username):
    admin_token = _token(fuzz_server, "admin")
    document = _document(fuzz_server, admin_token)
    token = admin_token if username == "admin" else _token(fuzz_server, username)
    schema = schemathesis.openapi.from_dict(document)
    headers = {"Authorization": f"Bearer {token}"}
    failures, operations, started = [], 0, time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/security/login") or operation.path.endswith("/security/refresh"):
            continue  # fuzzing the login would hold the fuzzer's own logins (tests/test_lockout.py)
        operations += 1
        problem = _fuzz(operation, fuzz_server, headers)
        if problem:
            failures.append(problem)
    took = time.monotonic() - started
    print(f"\n{role}: {operations} operations × {EXAMPLES} examples in {took:.0f} s, {len(failures)} failing")
    assert operations > 200
    assert not failures, f"{len(failures)} of {operations} operations:\n\n" + "\n\n".join(failures)
