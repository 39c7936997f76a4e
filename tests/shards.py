"""Half the items of each exhaustive sweep, when CI asks for it.

`.ci/run` runs the README's test command twice at once, on SQLite and on PostgreSQL, on a 2-core
machine. The sweeps — every date filter of every list, every add and edit form, every API
operation of the fuzz, every sort of every list's statement count — check the one widget and
schema layer item by item; there CI sets TEST_SHARD=0/2 for one run and 1/2 for the other, so each
item is checked once per CI, on one database or the other, and the two runs share the machine's
time instead of doing it twice. Everything else (journeys, local-time checks, unit tests) runs on
both. Without TEST_SHARD — `make test` as a person types it — every item runs.

The longest sweeps are also split into a few test files each (`part`): pytest-xdist gives each
worker whole files (`--dist loadfile`), so a sweep in one file ran on one core while the other
idled at the end of the run.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def shard() -> tuple[int, int]:
    """(this run's index, number of runs) from TEST_SHARD="i/n"; (0, 1) when unset."""
    value = os.environ.get("TEST_SHARD", "").strip()
    if not value:
        return 0, 1
    index, _, count = value.partition("/")
    i, n = int(index), int(count)
    if not 0 <= i < n:
        raise ValueError(f"TEST_SHARD={value!r}: want i/n with 0 <= i < n")
    return i, n


def dealt(items: Iterable[T], part: tuple[int, int]) -> list[T]:
    """Part (j, k) of the items: every k-th, from the j-th."""
    j, k = part
    return [item for m, item in enumerate(items) if m % k == j]


def mine(items: Iterable[T], part: tuple[int, int] = (0, 1)) -> list[T]:
    """The items this run checks: every n-th, from its index (all of them without a shard); of
    those, for part (j, k) of a sweep split into k test files, every k-th from j. A sharded run
    (CI: one process per database, the two runs already fill both cores) keeps its half whole in
    part 0: dealt four ways again, a part could hold one or two items, and one refused by its
    record's rules (a repair record of a closed ticket) left that file's floor unmet."""
    items = dealt(items, shard())
    if shard()[1] > 1:
        return items if part[0] == 0 else []
    return dealt(items, part)


def share(part: tuple[int, int] = (0, 1)) -> int:
    """Among how many runs or files each item of this sweep is dealt (a floor of items checked
    divides by it)."""
    return shard()[1] if shard()[1] > 1 else part[1]
