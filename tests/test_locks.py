"""The hashed lock files agree with the pins people edit: every `name==version` of
requirements.txt is in requirements.lock, and of both files in requirements-dev.lock, each
with its hashes (`make lock` rewrites them)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", re.M)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", re.sub(r"\[.*\]", "", name)).lower()


def _pins(path: Path) -> dict[str, str]:
    return {_norm(n): v for n, v in PIN.findall(path.read_text())}


@pytest.mark.parametrize("sources, lock", [(["requirements.txt"], "requirements.lock"),
                                           (["requirements.txt", "requirements-dev.txt"], "requirements-dev.lock")])
def test_every_pin_is_locked_with_its_hashes(sources, lock):
    locked = _pins(ROOT / lock)
    text = (ROOT / lock).read_text()
    for source in sources:
        for name, version in _pins(ROOT / source).items():
            assert locked.get(name) == version, f"{source}: {name}=={version}, {lock}: {locked.get(name)}; run `make lock`"
    entries = [e for e in re.split(r"\n(?=[A-Za-z0-9])", text) if PIN.match(e)]
    assert len(entries) == len(locked) and all("--hash=sha256:" in e for e in entries), "every package has hashes"
