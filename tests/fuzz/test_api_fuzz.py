"""Every operation of the OpenAPI document, as the Admin and as a Field Engineer: never a 5xx,
and every answer as the document declares it (status code, content type, body).

Each operation is a subtest (its method and path in the report) running a few derandomized
Hypothesis examples, valid and invalid input alike. Deletes run after everything else (pytest
runs the tests in file order), so the rows that lists, `_info` and the related fields answer
are still there while they are fuzzed.

The loop is ours, not `schemathesis.pytest.from_fixture`: that plugin renames pytest's nodes
through `Function._nodeid`, which pytest 9 no longer has (AttributeError before any request).
"""
from __future__ import annotations

import re

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.shards import mine

from .conftest import _timing

# Few examples per operation, the same ones on every run (derandomized, no example database),
# no shrinking and no deadline: every operation × both roles in CI time (under 3 minutes on
# 2 cores); a failure shows the first case that failed, with its curl line.
MAX_EXAMPLES = 3
# a date-time without its offset ("2026-12-01T19:30:00"): a client cannot tell which zone it is in
_LOCAL_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")


def _strings(value):
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


@schemathesis.check
def date_times_carry_their_offset(ctx, response, case):
    """Every date-time in a JSON answer has its offset: schemathesis validates bodies without
    `format` checks, so `format: date-time` alone would let a local time through."""
    if "json" not in ",".join(response.headers.get("content-type", [])).lower():
        return None
    naive = [text for text in _strings(response.json()) if _LOCAL_DATE_TIME.fullmatch(text)]
    if naive:
        raise AssertionError(f"date-times without an offset: {naive[:3]}")
    return None


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          date_times_carry_their_offset]
SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                    report_multiple_bugs=False)


def _operations(schema, deletes: bool):
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper() == "DELETE") == deletes:
            yield operation


# The cases Hypothesis drew for each operation, kept for the second role. Derandomized, the draw
# is the same for both roles (one seed, one strategy), and drawing them is half of the fuzz's time:
# the second role sends the very cases the first one did instead of drawing them again.
_DRAWN: dict[str, list] = {}


def _fuzz(operation, live_server, headers) -> None:
    __tracebackhide__ = True

    def call(case):
        case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS, timeout=60)

    drawn = _DRAWN.pop(operation.label, None)
    if drawn is not None:
        for case in drawn:
            call(case)
        return
    strategy = st.one_of(operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                         operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    cases: list = []

    @SETTINGS
    @given(case=strategy)
    def run(case):
        cases.append(case)
        call(case)

    run()
    _DRAWN[operation.label] = cases  # only when every case passed: after a failure, the next role draws anew


def _fuzz_all(schema, subtests, live_server, headers, deletes=False) -> None:
    for operation in mine(_operations(schema, deletes)):  # CI: half on each database (tests/shards.py)
        _timing["operations"] += 1
        with subtests.test(msg=operation.label):
            _fuzz(operation, live_server, headers)


def test_as_admin(api_schema, subtests, live_server, tokens):
    _fuzz_all(api_schema, subtests, live_server, tokens["admin"])


def test_as_field_engineer(api_schema, subtests, live_server, tokens):
    _fuzz_all(api_schema, subtests, live_server, tokens["field1"])


def test_deletes_as_field_engineer(api_schema, subtests, live_server, tokens):
    _fuzz_all(api_schema, subtests, live_server, tokens["field1"], deletes=True)


def test_deletes_as_admin(api_schema, subtests, live_server, tokens):
    _fuzz_all(api_schema, subtests, live_server, tokens["admin"], deletes=True)
