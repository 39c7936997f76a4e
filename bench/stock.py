"""Stock ledger figures: postings per second, and ledger page latency at 100k+ movements.

Usage (from the repo root):
    .venv/bin/python bench/stock.py                       # SQLite in a temp folder
    BENCH_DATABASE_URL=postgresql+psycopg://…/db .venv/bin/python bench/stock.py   # WIPES that database
Prints figures only; nothing here asserts a timing.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Part, StockMovement, Warehouse  # noqa: E402
from app.services import stock  # noqa: E402
from app.unit_of_work import unit_of_work  # noqa: E402
from config import TestConfig  # noqa: E402

MOVEMENTS = int(os.environ.get("BENCH_MOVEMENTS", "100000"))
POSTINGS = int(os.environ.get("BENCH_POSTINGS", "2000"))
PASSWORD = "bench-password-123"


def build_app(url: str):
    from bench.data import reset_database

    reset_database(url)
    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    app = create_app(config)
    with app.app_context():
        flask_migrate.upgrade()
        sm = app.appbuilder.sm
        sm.sync_all()
        sm.add_user("keeper", "k", "k", "k@bench.invalid", sm.find_role("Parts Keeper"), PASSWORD)
    return app


def bench_postings(app) -> None:
    """Receive + FIFO issue pairs through the service, one transaction each (like the API)."""
    with app.app_context():
        parts = [Part(code=f"B{n:05d}", name=f"part {n}", category="bench", standard_cost=Decimal("1.00"))
                 for n in range(200)]
        wh = Warehouse(code="BW", name="bench store")
        db.session.add_all(parts + [wh])
        db.session.commit()
        ids = [p.id for p in parts]
        start = time.perf_counter()
        for i in range(POSTINGS // 2):
            part = ids[i % len(ids)]
            with unit_of_work():
                stock.receive(part, wh.id, 5, "2.50", "BR")
            with unit_of_work():
                stock.issue(part, wh.id, 3, "BI")
        elapsed = time.perf_counter() - start
        print(f"  postings: {POSTINGS} in {elapsed:.2f} s = {POSTINGS / elapsed:.0f} postings/s (1 per transaction)")


def fill_ledger(app) -> None:
    """Bulk-insert filler movements (balance rows untouched: these only load the list pages)."""
    with app.app_context():
        part_ids = db.session.scalars(sa.select(Part.id)).all()
        wh = db.session.scalar(sa.select(Warehouse.id))
        have = db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement))
        rows, batch = [], 5000
        start = time.perf_counter()
        for i in range(max(0, MOVEMENTS - have)):
            rows.append({"part_id": part_ids[i % len(part_ids)], "warehouse_id": wh, "kind": "receipt", "qty": 1,
                         "unit_cost": Decimal("1.00"), "value": Decimal("1.00"), "balance_qty": i + 1,
                         "balance_value": Decimal(i + 1), "reference": f"FILL-{i % 997}"})
            if len(rows) == batch:
                db.session.execute(StockMovement.__table__.insert(), rows)
                rows = []
        if rows:
            db.session.execute(StockMovement.__table__.insert(), rows)
        db.session.commit()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement))
        print(f"  ledger filled to {total} movements in {time.perf_counter() - start:.1f} s")


def timed(client, url: str, runs: int = 15) -> tuple[float, int]:
    client.get(url)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), resp.status_code


def bench_pages(app) -> None:
    client = app.test_client()
    client.post("/login/", data={"username": "keeper", "password": PASSWORD})
    token = client.post("/api/v1/security/login", json={"username": "keeper", "password": PASSWORD,
                                                        "provider": "db"}).json["access_token"]
    with app.app_context():
        part = db.session.scalar(sa.select(Part.id))
    pages = [
        ("movement list, 25 rows", "/stockmovementview/list/"),
        ("movement list, page 2000", "/stockmovementview/list/?page_StockMovementView=2000"),
        ("movement list filtered by part", f"/stockmovementview/list/?_flt_0_part_id={part}"),
        ("movement list filtered by reference", "/stockmovementview/list/?_flt_0_reference=FILL-5"),
        ("stock card (last 200)", f"/stock/card/{part}"),
        ("valuation by warehouse", "/stock/valuation"),
    ]
    for label, url in pages:
        ms, status = timed(client, url)
        print(f"  {label:38s} {ms:7.1f} ms  (HTTP {status})")
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    ms, status = timed(client, "/api/v1/stock_movement/?q=(page_size:100)")
    print(f"  {'API stock_movement, 100 rows':38s} {ms:7.1f} ms  (HTTP {status})")


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    tmp = None
    if not url:
        tmp = tempfile.mkdtemp()
        url = f"sqlite:///{tmp}/bench.db"
    app = build_app(url)
    with app.app_context():
        dialect = db.engine.dialect.name
    print(f"{dialect}:")
    bench_postings(app)
    fill_ledger(app)
    bench_pages(app)


if __name__ == "__main__":
    main()
