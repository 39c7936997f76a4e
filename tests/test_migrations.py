"""Migrations run from empty to head and match the models (no pending autogenerate diff)."""
from datetime import UTC, datetime, timezone

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app import create_app
from app.extensions import db
from app.models import AuditLog
from app.models.base import UtcDateTime
from tests.conftest import make_config, sibling_database_url


def _expression_indexes() -> dict[str, str]:
    """Indexes of the models on an expression (name → table): alembic cannot compare their SQL text
    across dialects (SQLite does not reflect them, PostgreSQL rewrites them), so they are checked by name."""
    return {ix.name: table.name for table in db.metadata.tables.values() for ix in table.indexes
            if any(not isinstance(e, sa.Column) for e in ix.expressions)}


def test_head_matches_models(app):
    with app.app_context(), db.engine.connect() as conn:
        expression = _expression_indexes()

        def compared(obj, name, type_, reflected, compare_to):
            return not (type_ == "index" and name in expression)

        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True,
                                                     "include_object": compared})
        diff = compare_metadata(ctx, db.metadata)
        if conn.dialect.name == "postgresql":
            stored = set(conn.scalars(sa.text("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%CASE%'")))
        else:
            stored = set(conn.scalars(sa.text("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%CASE%'")))
    assert diff == []
    assert expression and set(expression) <= stored, (expression, stored)


def test_the_models_package_imports_every_module_of_it():
    """`import app.models` meets every module of the package, so a new area's tables reach db.metadata
    (and the check above) with no line in app/models/__init__.py."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import pkgutil, sys, app.models as m; "
            "print([i.name for i in pkgutil.iter_modules(m.__path__) if f'app.models.{i.name}' not in sys.modules])")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "[]"


def test_a_generated_revision_writes_our_column_types_as_sqlalchemy_ones(app):
    """`flask db migrate` renders UtcDateTime and SystemTextColumn as the types under them, so the
    revision runs as generated (no `app.models.base.UtcDateTime` it does not import)."""
    from alembic.autogenerate import render_python_code
    from alembic.operations import ops

    from app.models.system_text import SystemTextColumn

    table = ops.CreateTableOp("probe", [sa.Column("at", UtcDateTime()), sa.Column("note", SystemTextColumn(200))])
    code = render_python_code(ops.UpgradeOps([table]), render_item=app.extensions["migrate"].configure_args["render_item"])
    assert "sa.Column('at', sa.DateTime(timezone=True)" in code
    assert "sa.Column('note', sa.String(length=200)" in code
    assert "app." not in code


def test_upgrade_downgrade_upgrade_on_empty_sqlite(tmp_path):
    other = create_app(make_config(f"sqlite:///{tmp_path}/mig.db"))
    with other.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        flask_migrate.upgrade()
        assert db.inspect(db.engine).has_table("customer")


def test_timestamps_are_timestamptz_on_postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: SQLite has no zone type")
        rows = db.session.execute(sa.text(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type LIKE 'timestamp%'")).all()
    types = {(t, c): kind for t, c, kind in rows}
    ours = {(t.name, c.name) for t in db.metadata.sorted_tables for c in t.columns
            if isinstance(c.type, UtcDateTime)}
    assert ours and ours <= set(types)
    assert {types[key] for key in ours} == {"timestamp with time zone"}
    assert types[("ab_user", "last_login")] == "timestamp without time zone"  # FAB's own stay as they are


def test_stored_times_keep_their_instant_across_the_migration(db_url, tmp_path_factory):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: on SQLite the migration changes nothing")
    url = sibling_database_url(tmp_path_factory, "tz")
    other = create_app(make_config(url))
    instant = "2026-11-30 17:30:00"  # = 2026-12-01 01:30 in Beijing
    with other.app_context():
        config = other.extensions["migrate"].migrate.get_config()
        revision = next(r for r in ScriptDirectory.from_config(config).walk_revisions()
                        if r.doc.startswith("timestamps as timestamptz"))
        flask_migrate.upgrade(revision=revision.down_revision)  # the last revision before it
        db.session.execute(sa.text(f"INSERT INTO audit_log (at, action) VALUES ('{instant}', 'login')"))
        db.session.commit()
        flask_migrate.upgrade(revision=revision.revision)
        at = db.session.execute(sa.text("SELECT at FROM audit_log")).scalar_one()
        assert at == datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
        assert db.session.scalars(sa.select(AuditLog.at)).one() == datetime(2026, 11, 30, 17, 30)
        db.session.commit()
        flask_migrate.downgrade(revision=revision.down_revision)
        assert db.session.execute(sa.text("SELECT at FROM audit_log")).scalar_one() == datetime(2026, 11, 30, 17, 30)
        db.session.commit()
        db.engine.dispose()
