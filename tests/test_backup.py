"""`flask backup` → `flask restore` into an empty database keeps every row and the attachments."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import Customer
from tests.conftest import make_config
from tests.records import make_customer, make_ticket


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        return {n: conn.execute(sa.text(f'SELECT count(*) FROM "{n}"')).scalar() for n in names}


@pytest.fixture
def empty_database(db_url, tmp_path):
    """A second, empty database of the same kind as the suite's."""
    url = sa.engine.make_url(db_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path}/restored.db"
        return
    name = f"{url.database}_restore"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_backup_and_restore_keep_every_row_and_attachment(app, staff, empty_database, tmp_path):
    customer = make_customer(app)
    for n in range(1, 4):
        make_ticket(app, customer, n)
    store = Path(app.config["ATTACHMENT_DIR"])
    (store / "ab").mkdir(parents=True, exist_ok=True)
    (store / "ab" / "ab12").write_bytes(b"photo bytes")
    with app.app_context():
        before = _counts(db.engine)
    assert before["ticket"] == 3 and before["staff"] > 0

    archive = tmp_path / "desk.backup"
    result = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "attachments included" in result.output

    restored_files = tmp_path / "restored-attachments"
    other = create_app(make_config(empty_database, FAB_UPDATE_PERMS=False, FAB_CREATE_DB=False,
                                   ATTACHMENT_DIR=str(restored_files)))
    result = other.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    with other.app_context():
        after = _counts(db.engine)
        assert db.session.scalar(sa.select(Customer.name)) == "客户1"
    assert after == before
    assert (restored_files / "ab" / "ab12").read_bytes() == b"photo bytes"

    # a second restore would overwrite the data now there: refused without --force
    again = other.test_cli_runner().invoke(args=["restore", str(archive)])
    assert again.exit_code != 0 and "not empty" in again.output
    forced = other.test_cli_runner().invoke(args=["restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    with other.app_context():
        assert _counts(db.engine) == before
        db.engine.dispose()


def test_restore_refuses_what_is_not_a_backup(app, tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(os.urandom(64))
    result = app.test_cli_runner().invoke(args=["restore", str(junk)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
