"""A real department's size, built in minutes: the database bench/pages.py measures.

    .venv/bin/python bench/scale.py [--fraction 0.1] [--sqlite PATH | --database-url URL] [--tickets N] ...

Full size: 20 000 customers, 200 000 tickets with ~850 000 timeline events, 2 000 parts × 5
warehouses, 1 000 000 stock movements with their FIFO layers and balances; `--fraction 0.1`
builds a tenth of everything, and each count has its own flag. The schema is the project's
own, migrated (`flask_migrate.upgrade`); the demo logins and the demo department (its 24
customers and 320 tickets, requisitions, inspections, callbacks, …) come from the seeds through
the services, then the big tables are written in bulk (bench/bulk.py: COPY on PostgreSQL).
The ledger is checked against its invariants (bench/scale_checks.py) before the build reports
success. The database is kept
(default SQLite file: /tmp/scale.db); a PostgreSQL database given by URL is WIPED first.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root: app, config, bench

import flask_migrate  # noqa: E402
import sqlalchemy as sa  # noqa: E402

PASSWORD = "bench-password-not-secret"  # every demo login of the bench database
FULL = {"customers": 20_000, "tickets": 200_000, "events": 850_000, "parts": 2_000, "warehouses": 5,
        "movements": 1_000_000}
CHANNELS = ["phone"] * 6 + ["email", "online", "im", "onsite", "fax"]
CATEGORIES = ["hardware"] * 3 + ["system_fault"] * 2 + ["software_function", "operation_usage", "consultation",
                                                         "suggestion"]
NOTES = ["已电话联系用户，约定上门时间", "远程查看日志，定位到电源模块", "等待备件到货", "已更换故障部件，观察运行",
         "用户反馈问题复现，继续排查"]


def config(url: str):
    from config import TestConfig

    return type("ScaleConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})


def engineers(rng: random.Random, field: int = 24, tech: int = 6) -> None:
    """A department of this size has about 30 engineers (staff without logins)."""
    from app.extensions import db
    from app.models import Staff
    from bench.data import REGIONS

    for n in range(field + tech):
        position = "field_engineer" if n < field else "tech_engineer"
        db.session.add(Staff(employee_no=f"S{n + 100:03d}", name=f"工程师{n + 1:02d}", position=position,
                             region=rng.choice(REGIONS), active=True))
    db.session.flush()


def customers(w, rng: random.Random, count: int) -> None:
    from bench.bulk import next_id
    from bench.data import MODELS, REGIONS

    now = w.when(w.now)
    first, eq = next_id("customer"), next_id("equipment")
    for i in range(count):
        region = rng.choice(REGIONS)
        importance = rng.choices(["key", "important", "normal"], weights=[1, 3, 8])[0]
        w.add("customer", ["id", "code", "name", "region", "phone", "importance", "created_at", "updated_at"],
              (first + i, f"C{i:06d}", f"{region}用户单位{i:06d}", region, f"0371-{i:08d}", importance, now, now))
        for j in range(rng.choice((1, 1, 2, 3))):
            model = rng.choice(MODELS)
            w.add("equipment", ["id", "customer_id", "name", "model", "serial_number", "created_at", "updated_at"],
                  (eq, first + i, model, model, f"SN{i:06d}-{j}", now, now))
            eq += 1
    w.flush()


def tickets(w, rng: random.Random, count: int, events: int) -> None:
    """Tickets over the last year with their timelines; older ones are mostly closed, as in a working desk."""
    from app.extensions import db
    from bench.bulk import next_id
    from bench.data import RESOLVE_HOURS, STATUS_WEIGHTS

    q = lambda sql: db.session.execute(sa.text(sql)).all()  # noqa: E731
    cust_eq: dict[int, list[int]] = {}
    for eid, cid in q("SELECT id, customer_id FROM equipment"):
        cust_eq.setdefault(cid, []).append(eid)
    cust = list(cust_eq)
    staff = q("SELECT id, position, user_id FROM staff WHERE active")
    assignable = [sid for sid, pos, _u in staff if pos in ("field_engineer", "tech_engineer")]
    cs_staff = [sid for sid, pos, _u in staff if pos == "customer_service"] or [None]
    users = dict(q("SELECT username, id FROM ab_user"))
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    now, first = w.now, next_id("ticket")
    base_events = {"new": 1, "assigned": 2, "in_progress": 3, "awaiting_confirmation": 4, "closed": 5,
                   "cancelled": 2}
    timelines = []
    for n in range(count):
        received = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        severity = rng.choices(["general", "important", "emergency"], weights=[70, 22, 8])[0]
        status = rng.choices(statuses, weights=weights)[0]
        age = now - received
        if age > timedelta(days=30) and status not in ("closed", "cancelled") and rng.random() > 0.03:
            status = "closed"
        elif age < timedelta(days=20) and rng.random() < 0.5:
            status = rng.choice(["new", "assigned", "in_progress"])
        hours = RESOLVE_HOURS[severity]
        assigned = None if status == "new" else received + timedelta(minutes=rng.randint(3, 90))
        responded = assigned + timedelta(minutes=rng.randint(5, 120)) if assigned else None
        done = status in ("closed", "cancelled", "awaiting_confirmation")
        resolved = responded + timedelta(hours=rng.uniform(0.5, hours * 1.4)) if done else None
        closed = resolved + timedelta(hours=rng.uniform(1, 48)) if status in ("closed", "cancelled") else None
        if closed and closed > now:
            closed = resolved = now - timedelta(minutes=1)
        cid = rng.choice(cust)
        tid = first + n
        w.add("ticket", ["id", "number", "channel", "category", "severity", "status", "customer_id", "equipment_id",
                         "title", "description", "received_at", "received_by_id", "respond_by", "resolve_by",
                         "assignee_id", "assigned_at", "first_response_at", "resolved_at", "closed_at",
                         "reopen_count", "created_at", "updated_at"],
              (tid, f"GD{tid:07d}", rng.choice(CHANNELS), rng.choice(CATEGORIES), severity, status, cid,
               rng.choice(cust_eq[cid]), "设备故障", "现象、影响", w.when(received), rng.choice(cs_staff),
               w.when(received + timedelta(hours=2)), w.when(received + timedelta(hours=hours)),
               rng.choice(assignable) if assigned else None, w.when(assigned), w.when(responded), w.when(resolved),
               w.when(closed), 0, w.when(received), w.when(closed or responded or received)))
        timelines.append((tid, status, received, assigned, responded, resolved, closed))
    w.flush()
    planned = sum(base_events[t[1]] for t in timelines)
    extra = [0] * len(timelines)
    for i in rng.choices(range(len(timelines)), k=max(0, events - planned)):
        extra[i] += 1  # progress notes, on random tickets
    cols = ["ticket_id", "at", "user_id", "from_status", "to_status", "note"]
    cs, tech, field = users.get("cs"), users.get("tech"), users.get("field1")
    for (tid, status, received, assigned, responded, resolved, closed), notes in zip(timelines, extra, strict=True):
        w.add("ticket_event", cols, (tid, w.when(received), cs, None, "new", None))
        if assigned:
            w.add("ticket_event", cols, (tid, w.when(assigned), tech, "new", "assigned", None))
        if status == "cancelled":
            w.add("ticket_event", cols, (tid, w.when(closed), cs, "assigned", "cancelled", "用户撤销"))
            continue
        if responded:
            w.add("ticket_event", cols, (tid, w.when(responded), field, "assigned", "in_progress", None))
            for k in range(notes):
                at = responded + (resolved - responded if resolved else timedelta(hours=2)) * (k + 1) / (notes + 1)
                w.add("ticket_event", cols, (tid, w.when(at), field, None, None, rng.choice(NOTES)))
        if resolved:
            w.add("ticket_event", cols, (tid, w.when(resolved), field, "in_progress", "awaiting_confirmation",
                                         "已处理，待用户确认"))
        if status == "closed":
            w.add("ticket_event", cols, (tid, w.when(closed), cs, "awaiting_confirmation", "closed", None))
    w.flush()


def build(url: str, sizes: dict[str, int], demo_areas: bool = True) -> None:
    from app import create_app
    from app.extensions import db
    from app.models.base import utcnow
    from app.seed.core import seed_people
    from bench import scale_stock
    from bench.bulk import Writer, fix_sequences
    from bench.data import reset_database

    reset_database(url)
    app = create_app(config(url))
    rng = random.Random(20261203)
    timings = {}
    with app.app_context():
        started = time.perf_counter()
        flask_migrate.upgrade()
        app.appbuilder.sm.sync_all()
        seed_people(PASSWORD)
        db.session.commit()
        mark = lambda name: timings.__setitem__(name, time.perf_counter() - started)  # noqa: E731
        mark("schema, logins")
        dialect = db.engine.dialect.name
        if dialect == "sqlite":  # the build only (a crash means: build again); pages.py runs with the default
            sa.event.listen(db.engine, "connect", lambda conn, _rec: conn.execute("PRAGMA synchronous=OFF"))
            db.engine.dispose()
        if demo_areas:  # the demo department first, through the services (its size, whatever the scale):
            # customers, tickets, requisitions, defective returns, inspections, callbacks, complaints
            from flask_babel import force_locale

            from app.seed import seed_service_records
            from app.seed.core import seed_customers
            from app.seed.parts import seed_parts
            from app.seed.tickets import seed_tickets

            with force_locale("zh_Hans"):
                demo = random.Random(20261123)
                seed_customers(demo)
                seed_tickets(demo)
                seed_parts(random.Random(4))
                seed_service_records(demo)
            db.session.commit()
            mark("demo department (services)")
        engineers(rng)  # after the demo: its tickets go to the demo engineers, who have logins
        db.session.commit()
        w = Writer()
        w.now = utcnow()
        customers(w, rng, sizes["customers"])
        mark("customers, equipment")
        tickets(w, rng, sizes["tickets"], sizes["events"])
        fix_sequences(["customer", "equipment", "ticket"])
        db.session.commit()
        mark("tickets, timeline")
        from app.services import kpi_figures  # the bulk rows bypassed the session's bookkeeping

        kpi_figures.rebuild()
        db.session.commit()
        mark("KPI figures per hour")
        w = Writer()
        scale_stock.ensure_warehouses_and_parts(w, rng, sizes["warehouses"], sizes["parts"])
        posted = scale_stock.simulate(w, rng, sizes["movements"])
        fix_sequences(["warehouse", "part", "stock_movement", "stock_layer", "stock_layer_use"])
        db.session.commit()
        mark(f"stock ledger ({posted} movements)")
        if dialect == "postgresql":
            db.session.execute(sa.text("ANALYZE"))  # what autovacuum does soon after a bulk load
            db.session.commit()
        checks = scale_stock.verify_ledger()
        mark("ledger checks")
        counts = {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in
                  ("customer", "equipment", "ticket", "ticket_event", "part", "warehouse", "stock_movement",
                   "stock_layer", "stock_layer_use", "stock_balance", "requisition")}
    print(f"{dialect}: {url}")
    for name, seconds in timings.items():
        print(f"  {seconds:7.1f} s  {name}")
    print("  rows: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    for line in checks:
        print(f"  {line}")
    if any(line.startswith("BAD") for line in checks):
        raise SystemExit("the ledger breaks its invariants")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=1.0, help="scale every count (0.1 = a tenth)")
    for name, full in FULL.items():
        parser.add_argument(f"--{name}", type=int, help=f"default {full:,} × fraction")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--sqlite", default="/tmp/scale.db", help="SQLite file to (re)build (default %(default)s)")
    where.add_argument("--database-url", help="e.g. postgresql+psycopg://postgres@127.0.0.1:5432/scale (WIPED)")
    parser.add_argument("--no-demo-areas", action="store_true",
                        help="skip the demo department (faster; the home pages show less)")
    args = parser.parse_args()
    sizes = {name: getattr(args, name) or max(1, round(full * args.fraction)) for name, full in FULL.items()}
    sizes["warehouses"] = args.warehouses or FULL["warehouses"]
    url = args.database_url
    if not url:
        path = Path(args.sqlite).resolve()
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    build(url, sizes, demo_areas=not args.no_demo_areas)


if __name__ == "__main__":
    main()
