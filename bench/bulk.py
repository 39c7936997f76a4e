"""Bulk writes for the scale bench: COPY on PostgreSQL, executemany on SQLite, in the session's transaction.

Rows are plain tuples in table-column order, values already in their stored form (enum codes,
money as integer cents, naive UTC datetimes); `Writer` converts them once per dialect, the way
SQLAlchemy would have stored them (SQLite: datetime text with microseconds, Numeric as float).
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.extensions import db

SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's own SQLite storage format


class Writer:
    """Buffers rows per table and writes them in chunks; tables flush in the order first used."""

    def __init__(self, chunk: int = 20_000):
        self.conn = db.session.connection()
        self.dialect = self.conn.dialect.name
        self.raw = self.conn.connection.driver_connection
        self.chunk = chunk
        self.buffers: dict[str, tuple[list[str], list[tuple]]] = {}
        self.written: dict[str, int] = {}

    # --- stored forms -----------------------------------------------------------
    def when(self, value: datetime | None):
        if value is None or self.dialect != "sqlite":
            return value
        return value.strftime(SQLITE_DATETIME)

    def money(self, cents: int):
        """Integer cents as the column stores them (PostgreSQL numeric text, SQLite float like SQLAlchemy)."""
        if self.dialect == "sqlite":
            return cents / 100
        sign = "-" if cents < 0 else ""
        return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"

    # --- writing ----------------------------------------------------------------
    def add(self, table: str, columns: list[str], row: tuple) -> None:
        buf = self.buffers.setdefault(table, (columns, []))
        buf[1].append(row)
        if len(buf[1]) >= self.chunk:
            self.flush()  # every table, in first-used order: parents before the rows that refer to them

    def flush(self) -> None:
        for table, (columns, rows) in self.buffers.items():
            if rows:
                self._write(table, columns, rows)
                self.written[table] = self.written.get(table, 0) + len(rows)
                rows.clear()

    def _write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        names = ", ".join(columns)
        if self.dialect == "postgresql":
            with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            self.raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def next_id(table: str) -> int:
    return (db.session.scalar(sa.text(f"SELECT max(id) FROM {table}")) or 0) + 1


def fix_sequences(tables: list[str]) -> None:
    """Rows written with explicit ids: move PostgreSQL's id sequences past them (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))
