"""Migrations run from empty to head and match the models (no pending autogenerate diff)."""
import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import create_app
from app.extensions import db
from tests.conftest import make_config


def test_head_matches_models(app):
    with app.app_context(), db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(ctx, db.metadata)
    assert diff == []


def test_upgrade_downgrade_upgrade_on_empty_sqlite(tmp_path):
    other = create_app(make_config(f"sqlite:///{tmp_path}/mig.db"))
    with other.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        flask_migrate.upgrade()
        assert db.inspect(db.engine).has_table("customer")
