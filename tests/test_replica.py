"""DATABASE_REPLICA_URL: the charts, the KPI figures and the report workbook read from the
replica; screens, saves and a session that has written read the primary. The "replica" here is
a second engine on the test database (what goes where is the point, not replication)."""
from __future__ import annotations

import contextlib

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.replica import reporting
from tests.conftest import make_config
from tests.records import make_customer
from tests.ticket_helpers import new_ticket


@pytest.fixture
def with_replica(db_url, app):
    server = create_app(make_config(db_url, SQLALCHEMY_BINDS={"replica": db_url}, FAB_UPDATE_PERMS=False,
                                    FIGURES_CACHE_SECONDS=0))
    yield server
    with server.app_context():
        db.engines["replica"].dispose()


@contextlib.contextmanager
def statements(server):
    """SQL sent to (primary, replica) while the block runs."""
    seen = {"primary": [], "replica": []}
    with server.app_context():
        engines = {"primary": db.engines[None], "replica": db.engines["replica"]}
    hooks = {name: (lambda name: lambda conn, cur, stmt, *a: seen[name].append(stmt))(name)  # noqa: B023 - bound
             for name in engines}
    for name, engine in engines.items():
        sa.event.listen(engine, "before_cursor_execute", hooks[name])
    try:
        yield seen
    finally:
        for name, engine in engines.items():
            sa.event.remove(engine, "before_cursor_execute", hooks[name])


def _reads_tickets(stmts) -> bool:
    return any("FROM ticket" in s for s in stmts)


def test_charts_and_kpis_read_the_replica_screens_the_primary(with_replica, app, api):
    new_ticket(app, make_customer(app, with_equipment=True))
    client, headers = with_replica.test_client(), api("manager")
    with statements(with_replica) as seen:
        assert client.get("/api/v1/chart/open_by_severity", headers=headers).status_code == 200
        assert client.get("/api/v1/kpi/summary", headers=headers).json["tickets"] == 1
    assert _reads_tickets(seen["replica"]) and all(s.lstrip().upper().startswith("SELECT") for s in seen["replica"])
    assert not _reads_tickets(seen["primary"])  # only the login's own checks went to the primary

    with statements(with_replica) as seen:
        assert client.get("/api/v1/ticket/", headers=headers).status_code == 200
    assert seen["replica"] == [] and _reads_tickets(seen["primary"])


def test_a_session_that_wrote_reads_its_own_writes_from_the_primary(with_replica, app):
    pk = new_ticket(app, make_customer(app, with_equipment=True))
    with with_replica.app_context(), statements(with_replica) as seen:
        from app.models import Ticket

        with reporting():
            assert db.session.scalar(sa.select(sa.func.count(Ticket.id))) == 1
            assert len(seen["replica"]) == 1
            db.session.execute(sa.update(Ticket).where(Ticket.id == pk).values(title="改"))
            assert db.session.scalar(sa.select(Ticket.title).where(Ticket.id == pk)) == "改"
        db.session.rollback()
    assert len(seen["replica"]) == 1 and any("改" in str(s) or "UPDATE ticket" in s for s in seen["primary"])


def test_the_report_workbook_reads_the_replica(with_replica, app, api):
    new_ticket(app, make_customer(app, with_equipment=True))
    client = with_replica.test_client()
    with statements(with_replica) as seen:
        resp = client.get("/api/v1/report/after_sales.xlsx?period=month", headers=api("manager"))
    assert resp.status_code == 200, resp.data[:300]
    assert _reads_tickets(seen["replica"])


def test_without_the_setting_there_is_one_database(app):
    with app.app_context():
        assert set(db.engines) == {None}
        with reporting():
            assert db.session.get_bind(clause=sa.select(sa.literal(1))) is db.engines[None]
