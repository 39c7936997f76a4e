"""Process start-up and permission checks: this project against stock Flask-AppBuilder behaviour.

Every gunicorn worker and every `flask` command builds the app. Stock FAB re-checks every view's
permissions against the database at each start (`update_perms`: thousands of statements); this
project reads the whole permission state in two queries and syncs only when it differs
(app/security/sync.py). On each page, stock FAB asks the database once per permission check for
roles kept in the database (Admin: ~80 checks to draw the menu); this project reads a role's
permissions once per request.

Both are measured in one run, interleaved, on the same database:
    .venv/bin/python bench/startup.py                 # SQLite in a temp folder
    BENCH_DATABASE_URL=postgresql+psycopg://…/db .venv/bin/python bench/startup.py   # WIPES that database
Prints figures only; nothing here asserts a timing. The machine is shared: compare the ratios.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from flask_appbuilder.security.sqla.manager import SecurityManager  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestConfig  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PAGES = int(os.environ.get("BENCH_PAGES", "20"))
PASSWORD = "bench-password-123"


def _config(url: str, **extra):
    return type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, **extra})


def _statements(url: str, fn) -> tuple[float, int]:
    """(seconds, SQL statements) of fn()."""
    count = [0]

    def note(*_args):
        count[0] += 1

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", note)
    started = time.perf_counter()
    try:
        fn()
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", note)
    return time.perf_counter() - started, count[0]


def _stock_fab_start(url: str):
    """What a stock FAB app does at start: the per-view permission sync (`update_perms`)."""
    app = create_app(_config(url, FAB_UPDATE_PERMS=False))
    with app.app_context():
        app.appbuilder.add_permissions(update_perms=True)
    return app


def _menu_page(app, stock: bool) -> tuple[float, int]:
    """Admin's home page (the menu: one permission check per item), as stock FAB or as ours."""
    client = app.test_client()
    client.post("/login/", data={"username": "admin", "password": PASSWORD})
    client.get("/")
    sm = app.appbuilder.sm
    patched = stock and "exist_permission_on_roles" in type(sm).__dict__
    if patched:  # stock FAB's own method: one query per check
        sm.exist_permission_on_roles = SecurityManager.exist_permission_on_roles.__get__(sm)
    try:
        timings = [_statements(app.config["SQLALCHEMY_DATABASE_URI"], lambda: client.get("/")) for _ in range(PAGES)]
    finally:
        if patched:
            del sm.exist_permission_on_roles
    return statistics.median(t for t, _ in timings), timings[-1][1]


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/startup.db"
    from bench.data import reset_database

    reset_database(url)
    app = create_app(_config(url))
    with app.app_context():
        flask_migrate.upgrade()
        sm = app.appbuilder.sm
        sm.sync_all()
        sm.add_user("admin", "Bench", "Admin", "admin@bench.invalid", sm.find_role("Admin"), PASSWORD)
        db.session.remove()
    ours, stock = [], []
    for _ in range(ROUNDS):  # interleaved, so a busy moment of the machine hits both alike
        stock.append(_statements(url, lambda: _stock_fab_start(url)))
        ours.append(_statements(url, lambda: create_app(_config(url))))
    med = lambda rows, i: statistics.median(r[i] for r in rows)  # noqa: E731
    print(f"database: {sa.engine.make_url(url).get_backend_name()}, {ROUNDS} starts each, interleaved")
    print(f"app start, stock FAB sync : {med(stock, 0):6.2f} s  {med(stock, 1):6.0f} SQL statements")
    print(f"app start, this project   : {med(ours, 0):6.2f} s  {med(ours, 1):6.0f} SQL statements"
          f"   ({med(stock, 0) / med(ours, 0):.1f}x faster)")
    app = create_app(_config(url))
    stock_page, stock_sql = _menu_page(app, stock=True)
    our_page, our_sql = _menu_page(app, stock=False)
    print(f"Admin home page, stock FAB checks: {stock_page * 1000:6.1f} ms  {stock_sql:4d} SQL statements")
    print(f"Admin home page, this project    : {our_page * 1000:6.1f} ms  {our_sql:4d} SQL statements")


if __name__ == "__main__":
    main()
