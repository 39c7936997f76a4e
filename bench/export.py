"""Export bench: the project's xlsx export path against raw xlsxwriter writing the same rows.

    python bench/export.py                      # 200 000 equipment rows, SQLite in /tmp
    python bench/export.py --rows 1000000
    python bench/export.py --db-url postgresql+psycopg://postgres@127.0.0.1:5432/h_export

Seeds N equipment rows (with customers and projects) into the bench's own database, then
runs each measurement in a fresh subprocess, so that peak memory (ru_maxrss) of one does not
leak into another:
- html: GET /equipmentview/export.xlsx as admin (login, row rules, filters, streamed query,
  typed cells, safe text, the response streamed to nowhere);
- api:  GET /api/v1/equipment/export.xlsx with a JWT (ten columns, dotted joins);
- raw:  the same rows, already in a Python list, written with xlsxwriter constant_memory
  (typed write_* calls, same formats; no database, no checks). Loading the list is not timed.
Then logins for a few seconds while an html export reads its rows (on SQLite a long read used to
make the last-login write fail with "database is locked").
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "export-figures-not-secret"  # must not contain the login name
CUSTOMERS = 2000


LOGIN_SECONDS = 6


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork + exec, so a worker would
    report its parent's peak (the seeding) instead of its own.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_app(db_url: str):
    import logging

    from config import TestConfig

    logging.disable(logging.WARNING)
    cfg = type("BenchConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": db_url, "TESTING": False, "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
    })
    from app import create_app

    return create_app(cfg)


# --- set-up --------------------------------------------------------------------------

def setup(db_url: str, rows: int) -> None:
    """Schema, an admin login, and exactly `rows` equipment rows (added or trimmed)."""
    import flask_migrate
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Customer, Equipment, Project

    app = make_app(db_url)
    with app.app_context():
        flask_migrate.upgrade()
        sm = app.appbuilder.sm
        sm.sync_all()
        if not sm.find_user("bench"):
            sm.add_user("bench", "Bench", "Admin", "bench@bench.invalid", sm.find_role("Admin"), PASSWORD)
        if not db.session.scalar(sa.select(sa.func.count()).select_from(Customer)):
            rng = random.Random(7)
            db.session.execute(sa.insert(Customer), [
                {"code": f"C{i:05d}", "name": f"{rng.choice('东西南北')}城客户{i}", "region": "东城镇",
                 "importance": "normal", "created_at": _now(), "updated_at": _now()}
                for i in range(1, CUSTOMERS + 1)])
            db.session.execute(sa.insert(Project), [
                {"code": f"P{i:05d}", "name": f"遥感项目{i}", "customer_id": i,
                 "warranty_start": date(2024, 1, 1), "warranty_end": date(2027, 12, 31),
                 "created_at": _now(), "updated_at": _now()}
                for i in range(1, CUSTOMERS + 1)])
            db.session.commit()
        have = db.session.scalar(sa.select(sa.func.count()).select_from(Equipment))
        if have > rows:
            cut = sa.select(Equipment.id).order_by(Equipment.id).offset(rows).limit(1)
            db.session.execute(sa.delete(Equipment).where(Equipment.id >= cut.scalar_subquery()))
            db.session.commit()
        rng = random.Random(have)
        for start in range(have, rows, 20_000):
            batch = [_equipment(i, rng) for i in range(start, min(start + 20_000, rows))]
            db.session.execute(sa.insert(Equipment), batch)
            db.session.commit()
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Equipment))
        assert count == rows, (count, rows)


def _now():
    from app.models.base import utcnow

    return utcnow()


def _equipment(i: int, rng: random.Random) -> dict:
    customer = rng.randint(1, CUSTOMERS)
    installed = date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))
    return {
        "customer_id": customer, "project_id": customer,
        "name": rng.choice(["遥感数据处理服务器", "存储阵列", "GNSS 接收机", "Workstation"]),
        "model": f"RS-{rng.randint(100, 999)}", "serial_number": f"SN{i:09d}",
        "location": rng.choice(["机房 A", "County data room", "二楼 203", None]),
        "install_date": installed, "warranty_end": installed + timedelta(days=3 * 365),
        "created_at": _now(), "updated_at": _now(),
    }


# --- workers (each in its own process) ------------------------------------------------

def worker_export(db_url: str, kind: str) -> dict:
    app = make_app(db_url)
    client = app.test_client()
    if kind == "html":
        resp = client.post("/login/", data={"username": "bench", "password": PASSWORD})
        assert resp.status_code == 302, resp.status_code
        url, headers = "/equipmentview/export.xlsx", {}
    else:
        token = client.post("/api/v1/security/login", json={
            "username": "bench", "password": PASSWORD, "provider": "db"}).json["access_token"]
        url, headers = "/api/v1/equipment/export.xlsx", {"Authorization": f"Bearer {token}"}
    base = rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    resp = client.get(url, headers=headers, buffered=False)
    assert resp.status_code == 200, resp.status_code
    size = sum(len(chunk) for chunk in resp.response)  # streamed to nowhere
    resp.close()
    return _result(start, cpu, size, base)


def _result(start: float, cpu: float, size: int, base: float) -> dict:
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "bytes": size, "base_mb": base, "peak_mb": rss_mb()}


def worker_raw(db_url: str, kind: str) -> dict:
    """The same rows from memory, written with xlsxwriter alone."""
    import sqlalchemy as sa
    import xlsxwriter

    from app.extensions import db
    from app.models import Customer, Equipment

    app = make_app(db_url)
    with app.app_context():
        if kind == "raw_html":
            stmt = (sa.select(Equipment.serial_number, Equipment.model, Equipment.name, Customer.name,
                              Equipment.location, Equipment.warranty_end)
                    .join(Customer, Equipment.customer_id == Customer.id)
                    .order_by(Equipment.serial_number))
            kinds = "sssssd"
        else:
            stmt = (sa.select(Equipment.id, Equipment.serial_number, Equipment.model, Equipment.name,
                              Customer.id, Customer.name, Equipment.project_id, Equipment.location,
                              Equipment.install_date, Equipment.warranty_end)
                    .join(Customer, Equipment.customer_id == Customer.id)
                    .order_by(Equipment.serial_number))
            kinds = "nsssnsnsdd"
        data = [tuple(r) for r in db.session.execute(stmt)]
    base = rss_mb()
    fh = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the workbook below
    start, cpu = time.perf_counter(), time.process_time()
    wb = xlsxwriter.Workbook(fh, {"constant_memory": True})
    ws = wb.add_worksheet("Equipment")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    header = wb.add_format({"bold": True})
    for c in range(len(kinds)):
        ws.write_string(0, c, f"col{c}", header)
    writers = [
        {"s": ws.write_string, "n": ws.write_number}.get(k) or
        (lambda r, c, v, f=date_fmt: ws.write_datetime(r, c, v, f)) for k in kinds
    ]
    for r, row in enumerate(data, start=1):
        for c, (write, value) in enumerate(zip(writers, row, strict=True)):
            if value is not None:
                write(r, c, value)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(data), len(kinds) - 1)
    wb.close()
    return _result(start, cpu, fh.tell(), base)


def worker_logins(db_url: str, kind: str) -> dict:
    """Log in again and again for LOGIN_SECONDS (run while an export reads): how many logins, how
    many lost their last-login write ("database is locked", logged by FAB), the slowest."""
    import logging

    app = make_app(db_url)
    lost = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = lost.append  # type: ignore[method-assign]
    logging.getLogger("flask_appbuilder.security.sqla.manager").addHandler(handler)
    times, end = [], time.monotonic() + LOGIN_SECONDS
    while time.monotonic() < end:
        start = time.perf_counter()
        resp = app.test_client().post("/login/", data={"username": "bench", "password": PASSWORD})
        assert resp.status_code == 302, resp.status_code
        times.append(time.perf_counter() - start)
    return {"logins": len(times), "lost": len(lost), "slowest_ms": max(times) * 1000}


def logins_during_export(db_url: str) -> None:
    """Logins while the html export runs in another process (the case that locked on SQLite)."""
    export = subprocess.Popen([sys.executable, __file__, "--worker", "html", "--db-url", db_url],
                              cwd=ROOT, stdout=subprocess.DEVNULL)
    time.sleep(3)  # its start-up and login; then it is reading rows
    r = run_worker(db_url, "logins")
    still_exporting = export.poll() is None
    export.wait()
    print(f"logins during an html export: {r['logins']} in {LOGIN_SECONDS} s, {r['lost']} lost their "
          f"last-login write (database is locked), slowest {r['slowest_ms']:.0f} ms"
          + ("" if still_exporting else " (the export ended first: use more --rows)"))


def run_worker(db_url: str, kind: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--db-url", db_url],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--db-url", default=None, help="default: SQLite file in --workdir")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "export-bench"))
    parser.add_argument("--repeat", type=int, default=1, help="alternate runs; best of each is shown")
    parser.add_argument("--paths", default="html,api")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()

    db_url = args.db_url or f"sqlite:///{Path(args.workdir) / 'bench.db'}"
    if args.worker == "setup":
        setup(db_url, args.rows)
        return
    if args.worker:
        fn = (worker_raw if args.worker.startswith("raw")
              else worker_logins if args.worker == "logins" else worker_export)
        print(json.dumps(fn(db_url, args.worker)))
        return

    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--worker", "setup", "--rows", str(args.rows),
                    "--db-url", db_url], check=True, cwd=ROOT)
    print(f"{args.rows:,} equipment rows ready in {time.perf_counter() - t0:.1f} s ({db_url.split(':')[0]})")
    print(f"Best of {args.repeat} alternating run(s); CPU = this process's CPU time (the machine is shared).")
    print(f"{'path':<9} {'rows/s':>9} {'wall s':>7} {'rows/s CPU':>11} {'CPU s':>6} "
          f"{'peak MB':>8} {'start MB':>9} {'xlsx MB':>8}")
    for path in args.paths.split(","):
        runs: dict[str, list[dict]] = {f"raw_{path}": [], path: []}
        for _ in range(args.repeat):
            for kind in runs:  # alternate, so background load hits both alike
                runs[kind].append(run_worker(db_url, kind))
        best = {}
        for kind, results in runs.items():
            best[kind] = {
                "seconds": min(r["seconds"] for r in results), "cpu": min(r["cpu"] for r in results),
                "peak_mb": max(r["peak_mb"] for r in results), "base_mb": results[0]["base_mb"],
                "bytes": results[0]["bytes"],
            }
            r = best[kind]
            print(f"{kind:<9} {args.rows / r['seconds']:>9,.0f} {r['seconds']:>7.1f} "
                  f"{args.rows / r['cpu']:>11,.0f} {r['cpu']:>6.1f} "
                  f"{r['peak_mb']:>8.0f} {r['base_mb']:>9.0f} {r['bytes'] / 1e6:>8.1f}")
        raw = best[f"raw_{path}"]
        print(f"{path}: {raw['seconds'] / best[path]['seconds']:.0%} of raw xlsxwriter throughput "
              f"(wall), {raw['cpu'] / best[path]['cpu']:.0%} (CPU)")
    if "html" in args.paths.split(","):
        logins_during_export(db_url)

if __name__ == "__main__":
    main()
