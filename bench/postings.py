"""Concurrent stock postings through the HTTP API against gunicorn workers (issue 14).

Usage (from the repo root; the database is WIPED and rebuilt):
    .venv/bin/python bench/postings.py [--clients 8] [--seconds 30] [--workers 4] [--parts 20]
    .venv/bin/python bench/postings.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_postings
    .venv/bin/python bench/postings.py --sqlite /tmp/bench_postings.db
    .venv/bin/python bench/postings.py --in-process 300 [--profile]   # the app's CPU per posting, no load
Each client logs in as a Parts Keeper (POST /api/v1/security/login) and loops receive → issue →
(every third round) reverse of its last issue, on a random part of --parts, timing every request.
Prints postings/s, p50 / p95 / max latency, errors by status, then the ledger invariants
(bench/scale_checks.py). Prints figures only; nothing here asserts a timing.
"""
from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "stock-bench-pass-2026"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_postings"


def create_database(url: str) -> None:
    """CREATE DATABASE when it is missing (PostgreSQL), then an empty schema."""
    from bench.data import reset_database

    target = sa.engine.make_url(url)
    if target.get_backend_name() == "postgresql":
        admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}):
                conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
        admin.dispose()
    reset_database(url)


def bench_app(url: str):
    from app import create_app
    from config import TestConfig

    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    return create_app(config)


def build(url: str, parts: int) -> tuple[list[int], int]:
    """Migrated schema, synced roles, one keeper login, `parts` parts and one warehouse."""
    import flask_migrate

    from app.extensions import db
    from app.models import Part, Warehouse

    create_database(url)
    app = bench_app(url)
    with app.app_context():
        flask_migrate.upgrade()
        sm = app.appbuilder.sm
        sm.sync_all()
        for n in range(8):
            sm.add_user(f"keeper{n}", "k", "k", f"k{n}@bench.invalid", sm.find_role("Parts Keeper"), PASSWORD)
        rows = [Part(code=f"PB{n:04d}", name=f"bench part {n}", category="bench", standard_cost=Decimal("1.00"))
                for n in range(parts)]
        wh = Warehouse(code="PBW", name="bench store")
        db.session.add_all(rows + [wh])
        db.session.commit()
        return [p.id for p in rows], wh.id


def start_gunicorn(url: str, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, APP_CONFIG="production", DATABASE_URL=url, SECRET_KEY="bench-" + "x" * 32,
               APP_HOSTS="127.0.0.1", GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers),
               GUNICORN_THREADS=str(threads), GUNICORN_ACCESS_LOG=str(log), AUTH_RATE_LIMIT="1000 per minute",
               LOG_FORMAT="text")
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except requests.RequestException:  # workers still booting
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    stop(proc)
    sys.exit(f"gunicorn did not answer /health; see {log}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class Client(threading.Thread):
    """One keeper at the counter: receive, issue, sometimes reverse its last issue."""

    def __init__(self, n: int, base: str, parts: list[int], warehouse: int, until: float, results: dict):
        super().__init__(daemon=True)
        self.n, self.base, self.parts, self.wh, self.until = n, base, parts, warehouse, until
        self.rng, self.results = random.Random(n), results
        self.http = requests.Session()

    def post(self, path: str, body: dict) -> requests.Response | None:
        start = time.perf_counter()
        try:
            resp = self.http.post(self.base + path, json=body, timeout=60)
        except requests.RequestException as err:
            self.results["errors"][type(err).__name__] += 1
            return None
        self.results["latency"].append(time.perf_counter() - start)
        if resp.status_code == 201:
            self.results["postings"][path.split("/")[2]] += 1
        else:
            self.results["errors"][resp.status_code] += 1
        return resp

    def run(self) -> None:
        token = self.http.post(self.base + "/security/login", json={
            "username": f"keeper{self.n % 8}", "password": PASSWORD, "provider": "db"}).json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        round_ = 0
        while time.perf_counter() < self.until:
            part = self.rng.choice(self.parts)
            self.post("/stock/receive", {"part": part, "warehouse": self.wh, "qty": 5, "unit_cost": "2.50",
                                         "reference": f"PB-R{self.n}"})
            resp = self.post("/stock/issue", {"part": part, "warehouse": self.wh, "qty": 3,
                                              "reference": f"PB-I{self.n}"})
            round_ += 1
            if resp is not None and resp.status_code == 201 and round_ % 3 == 0:
                self.post(f"/stock/reverse/{resp.json()['movement']['id']}", {})


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


def run_load(port: int, clients: int, seconds: float, parts: list[int], warehouse: int) -> int:
    """The clients' loop; prints its figures, returns the number of requests answered."""
    results = {"latency": [], "postings": collections.Counter(), "errors": collections.Counter()}
    base = f"http://127.0.0.1:{port}/api/v1"
    start = time.perf_counter()
    threads = [Client(n, base, parts, warehouse, start + seconds, results) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    lat = results["latency"]
    total = sum(results["postings"].values())
    print(f"  {total} postings in {elapsed:.1f} s = {total / elapsed:.0f} postings/s "
          f"({dict(results['postings'])})")
    print(f"  latency p50 {percentile(lat, 0.5) * 1000:.0f} ms, p95 {percentile(lat, 0.95) * 1000:.0f} ms, "
          f"max {max(lat, default=0) * 1000:.0f} ms over {len(lat)} requests")
    print(f"  errors by status: {dict(results['errors']) or 'none'}")
    return len(lat)


def check_ledger(url: str) -> int:
    from bench.scale_checks import verify_ledger

    with bench_app(url).app_context():
        lines = verify_ledger()
    for line in lines:
        print("  " + line)
    return sum(not line.startswith("ok") for line in lines)


def in_process(url: str, parts: list[int], warehouse: int, rounds: int, profile: bool) -> None:
    """CPU of the app per posting, one keeper through the test client (no HTTP, no other load):
    a figure the shared machine's load does not move much, unlike the throughput above."""
    import cProfile
    import pstats

    from app.extensions import db

    app = bench_app(url)
    client = app.test_client()
    token = client.post("/api/v1/security/login", json={"username": "keeper0", "password": PASSWORD,
                                                         "provider": "db"}).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    statements = [0]
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
    rng = random.Random(1)

    def one_round() -> None:
        part = rng.choice(parts)
        for path, body in (("receive", {"qty": 5, "unit_cost": "2.50"}), ("issue", {"qty": 3})):
            resp = client.post(f"/api/v1/stock/{path}", headers=headers,
                               json={"part": part, "warehouse": warehouse, "reference": "PB-IN", **body})
            assert resp.status_code == 201, resp.get_data(as_text=True)

    for _ in range(20):
        one_round()  # warm-up: caches, the first-use imports
    statements[0] = 0
    prof = cProfile.Profile(time.process_time) if profile else None  # CPU, not the waits on the database
    cpu, wall = time.process_time(), time.perf_counter()
    if prof:
        prof.enable()
    for _ in range(rounds):
        one_round()
    if prof:
        prof.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = 2 * rounds
    print(f"in process, {n} postings: {1000 * cpu / n:.2f} ms CPU and {1000 * wall / n:.2f} ms wall a posting, "
          f"{statements[0] / n:.1f} SQL statements")
    if os.environ.get("POSTINGS_SQL"):  # the statements of one receive and one issue
        seen: list[str] = []
        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", lambda c, cur, sql, *a: seen.append(sql))
        one_round()
        print("\n".join(f"--- {n}: {sql[:300]}" for n, sql in enumerate(seen, 1)))
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    ap.add_argument("--parts", type=int, default=20, help="parts the clients post on (fewer = more contention)")
    ap.add_argument("--port", type=int, default=8097)
    ap.add_argument("--database-url", default=DEFAULT_URL)
    ap.add_argument("--sqlite", help="a SQLite file instead of PostgreSQL (WIPED)")
    ap.add_argument("--in-process", type=int, metavar="ROUNDS",
                    help="instead of the load: the app's CPU per posting over ROUNDS receive + issue pairs")
    ap.add_argument("--profile", action="store_true", help="with --in-process: cProfile them")
    args = ap.parse_args()
    url = args.database_url
    if args.sqlite:
        Path(args.sqlite).unlink(missing_ok=True)
        url = f"sqlite:///{Path(args.sqlite).resolve()}"
    parts, warehouse = build(url, args.parts)
    if args.in_process:
        in_process(url, parts, warehouse, args.in_process, args.profile)
        return
    log = Path("/tmp") / f"bench_postings_{args.port}.log"
    print(f"{sa.engine.make_url(url).get_backend_name()}: {args.clients} clients, {args.workers} gunicorn "
          f"workers × {args.threads} threads, {args.parts} parts, {args.seconds:.0f} s; load {os.getloadavg()}")
    from bench import proc_cpu

    proc = start_gunicorn(url, args.port, args.workers, args.threads, log)
    database = sa.engine.make_url(url).database or ""
    try:
        before = proc_cpu.snapshot(proc.pid, database)
        requests_done = run_load(args.port, args.clients, args.seconds, parts, warehouse)
        cpu = proc_cpu.used(before, proc_cpu.snapshot(proc.pid, database))
    finally:
        stop(proc)
    per = 1000 / max(requests_done, 1)
    print(f"  CPU a posting: gunicorn {cpu['server'] * per:.1f} ms, PostgreSQL backends {cpu['database'] * per:.1f} ms "
          f"(load {os.getloadavg()[0]:.1f})")
    bad = check_ledger(url)
    print(f"  invariant violations: {bad}")


if __name__ == "__main__":
    main()
