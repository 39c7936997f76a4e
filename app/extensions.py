"""Extension instances shared by the app factory and the modules."""
import logging
import sqlite3

from flask_appbuilder.models.sqla import Model
from flask_appbuilder.models.sqla.base import SQLA
from flask_migrate import Migrate
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

from .replica import Session as ReplicaAwareSession

log = logging.getLogger(__name__)

# Named constraints, so that Alembic (and SQLite batch mode) can alter them later.
# FAB's own ab_* tables are defined before this runs and keep their names.
Model.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# model_class=Model: a plain SQLA() leaves db.metadata empty (STACK_NOTES). The session class
# sends report reads to a read replica when one is configured (app/replica.py).
db = SQLA(model_class=Model, session_options={"class_": ReplicaAwareSession})


def _render_item(type_, obj, _autogen_context):
    """`flask db migrate` writes our column types (UtcDateTime, SystemTextColumn) as the plain type
    under them, `sa.DateTime(timezone=True)`, `sa.String(length=200)`: a revision imports only
    sqlalchemy and does not change when the model code does."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False  # Alembic's own rendering


migrate = Migrate(compare_type=True, render_as_batch=True, render_item=_render_item)


SQLITE_CACHE_KIB = 64 * 1024  # filled only as large tables are read; freed with the connection


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite ignores FOREIGN KEY clauses unless each connection asks for them. A database file
    is kept in write-ahead-log mode: in SQLite's default mode a long read (an export of a million
    movements) holds a lock that makes every write wait, and after the busy timeout fail with
    "database is locked" — a clerk's login (its last-login write) or a posting. With the log,
    readers and the one writer go on side by side. (An in-memory database answers "memory".)

    Each connection may keep up to SQLITE_CACHE_KIB of the file's pages (SQLite's default is
    2 MB): the index of a million movements is ~17 MB, and with the default cache a deep ledger
    page re-read most of it from the operating system on every request (40 → 19 ms)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:  # another process holds the file in the old mode: keep it
            log.warning("SQLite database kept in its old journal mode: another process holds it")
        cursor.close()


@event.listens_for(Engine, "connect")
def _postgresql_session_in_utc(dbapi_connection, _record):
    """Sessions on PostgreSQL run in UTC: raw SQL, ``::date`` and naive literals mean UTC, as inside the app."""
    if type(dbapi_connection).__module__.startswith("psycopg"):
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SET TIME ZONE 'UTC'")
        dbapi_connection.autocommit = autocommit
