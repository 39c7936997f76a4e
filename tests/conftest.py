"""Test fixtures: one migrated database per run, wiped after every test; logins per role."""
from __future__ import annotations

import contextlib
import gc
import os
import re
import sqlite3
import threading
from dataclasses import dataclass

import flask_migrate
import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from config import TestConfig

# Young collections every 20,000 new objects instead of 700: the objects a test makes (its app,
# pages, rows) mostly die with it before reaching the old generation, and a full collection —
# every live object of a run that holds a few apps, ~1.5 million — comes a few times a run
# instead of ~40 (the garbage collector was a sixth of the suite's CPU; ~15% more memory).
gc.set_threshold(20_000, 20, 10)

PASSWORD = "correct-horse-battery-staple"
LOGINS = {
    "admin": "Admin",
    "manager": "Manager",
    "tech": "Tech Engineer",
    "field1": "Field Engineer",
    "field2": "Field Engineer",
    "cs": "Customer Service",
    "keeper": "Parts Keeper",
}
# Tables that survive between tests: roles, permissions and the base logins.
KEPT_TABLES = {
    "alembic_version", "ab_permission", "ab_view_menu", "ab_permission_view", "ab_role",
    "ab_permission_view_role", "ab_user", "ab_user_role", "ab_group", "ab_group_role",
    "ab_user_group",
}


def xdist_worker() -> str:
    """The pytest-xdist worker this process is ("gw0", "gw1", …); "" in a run without `-n`."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def _postgresql_base() -> sa.engine.URL | None:
    """TEST_DATABASE_URL, or under pytest-xdist `<its database>_<worker>`: each worker its own."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    base = sa.engine.make_url(url)
    return base.set(database=f"{base.database}_{xdist_worker()}") if xdist_worker() else base


def database_url(tmp_path_factory) -> str:
    """The suite's database: a SQLite file in this process's temporary folder (its own per
    pytest-xdist worker), TEST_DATABASE_URL, or under xdist `<that database>_<worker>` made afresh."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    if not xdist_worker():
        return url
    return _new_database(sa.engine.make_url(url), xdist_worker())


def sibling_database_url(tmp_path_factory, suffix: str) -> str:
    """A database of its own for a live server: a SQLite file, or `<test db>_<suffix>` made afresh."""
    base = _postgresql_base()
    if base is None:
        return f"sqlite:///{tmp_path_factory.mktemp(suffix + '-db') / (suffix + '.db')}"
    return _new_database(base, suffix)


def _new_database(url, suffix: str, template: str | None = None) -> str:
    """`<url's database>_<suffix>` on the same PostgreSQL server, made afresh (from `template`)."""
    name = f"{url.database}_{suffix}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def copy_database(source: str, tmp_path_factory, suffix: str) -> str:
    """A copy of a database nobody is connected to: the SQLite backup API, or PostgreSQL's
    CREATE DATABASE … TEMPLATE (a file copy: seconds, where seeding again takes a minute), named
    `<test db>_<suffix>` (this worker's, under pytest-xdist)."""
    url = sa.engine.make_url(source)
    if url.get_backend_name() == "sqlite":
        target = tmp_path_factory.mktemp(suffix + "-db") / (suffix + ".db")
        with sqlite3.connect(url.database) as src, sqlite3.connect(str(target)) as dst:
            src.backup(dst)
        return f"sqlite:///{target}"
    base = _postgresql_base()
    assert base is not None, "a PostgreSQL database to copy without TEST_DATABASE_URL"
    # one copy at a time from a template that the workers of a pytest-xdist run share
    with _run_lock(tmp_path_factory):
        return _new_database(base, suffix, template=url.database)


@contextlib.contextmanager
def _run_lock(tmp_path_factory):
    """Held by one pytest-xdist worker of this run at a time (a no-op without xdist)."""
    if not xdist_worker():
        yield
        return
    import fcntl

    with open(tmp_path_factory.getbasetemp().parent / "run.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def serving(app, threaded: bool = True):
    """The app served on 127.0.0.1:<free port> by werkzeug in a thread; yields its base URL.
    On the way out the server stops and the app's connections are closed."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=threaded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def reset_database(url: str) -> None:
    """Start from an empty schema."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def make_config(url: str, **overrides) -> type:
    return type("ThisTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, **overrides})


@pytest.fixture(scope="session")
def db_url(tmp_path_factory) -> str:
    url = database_url(tmp_path_factory)
    reset_database(url)
    return url


@pytest.fixture(scope="session")
def app(db_url):
    """The app on a database built by the Alembic migrations (empty → head)."""
    application = create_app(make_config(db_url))
    with application.app_context():
        flask_migrate.upgrade()
        sm = application.appbuilder.sm
        sm.sync_all()
        for username, role in LOGINS.items():
            sm.add_user(username, username, "Test", f"{username}@test.invalid", sm.find_role(role), PASSWORD)
        application.config["BASE_USER_IDS"] = [u.id for u in sm.get_all_users()]
    yield application


@dataclass
class Demo:
    """The demo department (`flask seed-demo`), seeded once per run: admin 周建华 and the demo
    logins, all with PASSWORD. `first_output` is what that first seed printed."""

    url: str
    first_output: str


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Demo:
    """Seeded once and never connected to again: tests and servers that need the demo take a
    copy (`copy_database`), so a minute of seeding is paid once, not by each of them. Under
    pytest-xdist the first worker that needs it seeds it for all of them (in the run's shared
    temporary folder, or as `<TEST_DATABASE_URL's database>_demo`)."""
    if not xdist_worker():
        return _seed_demo(sibling_database_url(tmp_path_factory, "demo"))
    import json

    shared = tmp_path_factory.getbasetemp().parent / "demo.json"
    with _run_lock(tmp_path_factory):
        if not shared.exists():
            base = os.environ.get("TEST_DATABASE_URL")
            url = (_new_database(sa.engine.make_url(base), "demo") if base
                   else f"sqlite:///{shared.parent / 'demo.db'}")
            demo = _seed_demo(url)
            shared.write_text(json.dumps({"url": demo.url, "first_output": demo.first_output}))
        return Demo(**json.loads(shared.read_text()))


def _seed_demo(url: str) -> Demo:
    """The demo department seeded into the empty database at `url`."""
    application = create_app(make_config(url, DEMO_PASSWORD=PASSWORD))
    with application.app_context():
        flask_migrate.upgrade()
        sm = application.appbuilder.sm
        sm.sync_all()
        sm.add_user("admin", "建华", "周", "admin@test.invalid", sm.find_role("Admin"), PASSWORD)
        result = application.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        db.session.remove()
        db.engine.dispose()
    return Demo(url=url, first_output=result.output)


@pytest.fixture(scope="session")
def demo(demo_template, tmp_path_factory):
    """An app on a copy of the demo department, shared by the tests that read it (and check that
    seeding again adds nothing); logins as in `demo_template`. Not wiped between tests."""
    application = create_app(make_config(copy_database(demo_template.url, tmp_path_factory, "demo_copy"),
                                         DEMO_PASSWORD=PASSWORD))
    application.config["DEMO_FIRST_OUTPUT"] = demo_template.first_output
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


# Tables written since the last wipe, from every INSERT the engines ran (ORM, Core or raw
# SQL); None = unknown (start of the run): wipe them all.
_INSERT_INTO = re.compile(r'^\s*(?:WITH\b.*?\)\s*)?INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(?:"?\w+"?\.)?"?(\w+)"?',
                          re.IGNORECASE | re.DOTALL)
_written: set[str] | None = None


@sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
def _note_insert(conn, cursor, statement, parameters, context, executemany):
    if _written is not None:
        match = _INSERT_INTO.match(statement)
        if match:
            _written.add(match.group(1).lower())


def _tables_to_wipe(written: set[str] | None) -> list[sa.Table]:
    """Domain tables written since the last wipe, children first (all of them when unknown)."""
    return [t for t in reversed(db.metadata.sorted_tables)
            if t.name not in KEPT_TABLES and (written is None or t.name in written)]


def _wipe_postgresql(tables: list[sa.Table]) -> None:
    """DELETE the few rows a test wrote, without foreign-key triggers, and restart the ids: a
    tenth of TRUNCATE's fixed cost per table (~0.1 s a test). Without the right to skip the
    triggers, or when rows written before tracking still point at these, TRUNCATE … CASCADE."""
    try:
        with db.session.begin_nested():
            db.session.execute(sa.text("SET LOCAL session_replication_role = replica"))
            for table in tables:
                db.session.execute(table.delete())
            db.session.execute(sa.text("SET LOCAL session_replication_role = origin"))
            for table in tables:
                (key, *more) = table.primary_key.columns
                # only an integer key has a sequence: max() of a text or time key (login_session,
                # ticket_figures_hour) plus 1 is a type error, which sent every test that logged in
                # or saved a ticket to the TRUNCATE below (~0.3 s a test instead of ~10 ms)
                if not more and isinstance(key.type, sa.Integer):
                    # ids start at 1 again, as after TRUNCATE … RESTART IDENTITY — or after the highest
                    # id left, should a writer outside this process (a subprocess, pg_restore) have
                    # added rows the tracking did not see: never a duplicate key in the next test
                    db.session.execute(sa.text(
                        f'SELECT setval(seq, COALESCE((SELECT max("{key.name}") FROM "{table.name}"), 0) + 1, false) '
                        "FROM pg_get_serial_sequence(:t, :c) AS seq WHERE seq IS NOT NULL"),
                        {"t": table.name, "c": key.name})
    except sa.exc.DBAPIError:
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    """Wipe domain data (and any extra login) after each test: only the tables it wrote."""
    global _written
    yield
    # a production-configured app answering a request starts the in-process sweep timer (make run's):
    # left running, it sweeps this database every minute for the rest of the run, raising alerts in
    # other tests (the sweep test once found two of them)
    timers = [thread for thread in threading.enumerate() if thread.name == "sweep-timer"]
    for timer in timers:
        timer.stop()
    with app.app_context():
        db.session.rollback()
        base = tuple(app.config["BASE_USER_IDS"])
        # swapped before the wipe, not emptied after it: a write that a live server's thread makes
        # while the wipe runs (a request still in flight when a browser test ends) is wiped next
        # time instead of staying for the rest of the run (a leftover plan once gave the sweep test
        # two inspections of its own)
        written, _written = _written, set()
        tables = _tables_to_wipe(written)
        if db.engine.dialect.name == "postgresql":
            if tables:
                _wipe_postgresql(tables)
        elif tables:
            # stock_movement refers to itself ON DELETE RESTRICT (checked row by row): wipe without FK checks
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # ignored inside a transaction: before any DML
                for table in tables:
                    conn.execute(table.delete())
                conn.commit()
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        users = db.metadata.tables["ab_user"]
        user_role = db.metadata.tables["ab_user_role"]
        db.session.execute(user_role.delete().where(user_role.c.user_id.not_in(base)))
        db.session.execute(users.delete().where(users.c.id.not_in(base)))
        db.session.execute(users.update().values(fail_login_count=0, active=True))
        db.session.commit()
        throttle = app.extensions.get("login_throttle")
        if throttle is not None:
            throttle[1].reset()  # failed-login counts per client address
    if timers:
        pytest.fail(f"{request.node.nodeid} left the in-process sweep timer running: set SWEEP_EVERY_SECONDS = 0")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def staff(app):
    """Staff records for the base logins (the demo staffing of seed 002)."""
    from app.models import Staff
    from app.seed.core import seed_people

    with app.app_context():
        seed_people(PASSWORD)
        db.session.commit()
        return {s.username: s.id for s in db.session.scalars(sa.select(Staff))}


def csrf_token(client, url: str = "/login/") -> str:
    """The CSRF token of the session, read from a form page."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'id="csrf_token"[^>]*value="([^"]+)"', html
    )
    assert match, f"no csrf token on {url}"
    return match.group(1)


def login(client, username: str, password: str = PASSWORD):
    """Log in through the HTML form (with its CSRF token)."""
    token = csrf_token(client, "/login/")
    return client.post(
        "/login/", data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def api_headers(client, username: str, password: str = PASSWORD) -> dict:
    """Authorization headers with a JWT for the login."""
    resp = client.post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db", "refresh": False},
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return {"Authorization": f"Bearer {resp.json['access_token']}"}


@pytest.fixture
def as_user(client):
    """Log the test client in as a given login: `as_user("manager")`."""

    def _login(username: str):
        resp = login(client, username)
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return client

    return _login


@pytest.fixture
def api(client):
    """`api("manager")` → headers with a bearer token for that login."""
    cache: dict[str, dict] = {}

    def _headers(username: str) -> dict:
        if username not in cache:
            cache[username] = api_headers(client, username)
        return cache[username]

    return _headers


@contextlib.contextmanager
def count_queries(engine):
    """Count the SQL statements run inside the block: `with count_queries(db.engine) as q:`."""
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
