"""Server time of the manager dashboard at scale: the page, every chart endpoint, the home page.

    python bench/dashboard.py [--tickets 10000] [--runs 7] [--database-url URL]

Builds a throwaway database (SQLite in a temp folder unless --database-url; a PostgreSQL
database given there is WIPED), fills it with bench/data.py and times in-process requests
as the manager (medians, milliseconds, SQL statements per request).
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root: app, config


def _config(url: str):
    from config import TestConfig

    return type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})


def _login(client, username: str, password: str) -> None:
    html = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    resp = client.post("/login/", data={"username": username, "password": password, "csrf_token": token})
    assert resp.status_code == 302, "login failed"


def _time(client, engine, url: str, runs: int) -> tuple[float, int, int]:
    statements: list[str] = []

    def count(*_args):
        statements.append("")

    client.get(url)  # warm-up (template compile, statement cache)
    times = []
    for _ in range(runs):
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", count)
        start = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        sa.event.remove(engine, "before_cursor_execute", count)
        assert resp.status_code == 200, (url, resp.status_code)
    return statistics.median(times), len(statements), len(resp.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    from bench.data import reset_database

    reset_database(url)

    from app import create_app
    from app.charts import CHARTS
    from app.extensions import db
    from app.seed.core import seed_people
    from bench.data import add_tickets

    app = create_app(_config(url))
    password = "bench-password-not-secret"
    with app.app_context():
        flask_migrate.upgrade()
        app.appbuilder.sm.sync_all()
        seed_people(password)
        db.session.commit()
        start = time.perf_counter()
        total = add_tickets(args.tickets)
        # the other areas at the demo department's scale: parts, stock ledger, tools, requisitions,
        # inspections, maintenance, callbacks, complaints (the widgets and panels read these)
        from app.seed import seed_service_records
        from app.seed.parts import seed_parts

        seed_parts(random.Random(4))
        seed_service_records(random.Random(20261123))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))  # what autovacuum does soon after a bulk load
            db.session.commit()
        print(f"{db.engine.dialect.name}: {total} tickets, data built in {time.perf_counter() - start:.1f} s")
        engine = db.engine
    client = app.test_client()
    _login(client, "manager", password)
    # "computed": every request runs its SQL (FIGURES_CACHE_SECONDS=0, or the first request after
    # a save); "kept": the same request again while nothing was saved (app/figures.py)
    print(f"{'request':<48}{'computed ms':>12}{'SQL':>6}{'kept ms':>9}{'SQL':>6}{'KB':>8}")
    urls = ["/dashboard/", "/", "/kpi/"] + [f"/api/v1/chart/{name}" for name in CHARTS]
    totals = [0.0, 0.0]
    for target in urls:
        app.config["FIGURES_CACHE_SECONDS"] = 0
        ms, queries, size = _time(client, engine, target, args.runs)
        app.config["FIGURES_CACHE_SECONDS"] = 300
        kept_ms, kept_queries, _ = _time(client, engine, target, args.runs)
        if target.startswith("/api/v1/chart/"):
            totals[0] += ms
            totals[1] += kept_ms
        print(f"{target:<48}{ms:>12.1f}{queries:>6}{kept_ms:>9.1f}{kept_queries:>6}{size / 1024:>8.1f}")
    print(f"{'all chart endpoints together':<48}{totals[0]:>12.1f}{'':>6}{totals[1]:>9.1f}")
    for login in ("cs", "field1", "tech", "keeper"):  # each role's home page
        other = app.test_client()
        _login(other, login, password)
        ms, queries, size = _time(other, engine, "/", args.runs)
        print(f"{'/ as ' + login:<48}{ms:>10.1f}{queries:>6}{size / 1024:>8.1f}")


if __name__ == "__main__":
    main()
