"""CPU seconds used by a server's processes (Linux /proc), for a bench on a shared machine: throughput
there follows the other tenants' load, the server's CPU per request much less (bench/postings.py)."""
from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu(pid: str) -> float:
    """utime + stime of one process, seconds; 0 once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def snapshot(server_pid: int, database: str) -> dict[str, dict[str, float]]:
    """{"server": {pid: cpu}, "database": {pid: cpu}}: the server's process group (gunicorn and its
    workers) and the PostgreSQL backends serving `database` (their process title names it)."""
    out: dict[str, dict[str, float]] = {"server": {}, "database": {}}
    if not Path("/proc").is_dir():
        return out
    group = os.getpgid(server_pid)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            mine = os.getpgid(int(pid)) == group
        except OSError:
            continue
        if mine:
            out["server"][pid] = _cpu(pid)
        elif _cmdline(pid).startswith("postgres:") and f" {database} " in _cmdline(pid):
            out["database"][pid] = _cpu(pid)
    return out


def used(before: dict[str, dict[str, float]], after: dict[str, dict[str, float]]) -> dict[str, float]:
    """CPU seconds per side between two snapshots (a process born in between counts whole)."""
    return {side: sum(cpu - before[side].get(pid, 0.0) for pid, cpu in after[side].items()) for side in after}
