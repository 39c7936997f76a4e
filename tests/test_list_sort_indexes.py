"""The sorts the big lists offer walk an index to the page instead of sorting every row: the
page's id query of the ticket list sorted by severity or status (by meaning: a CASE over the
codes) and of the stock ledger sorted by quantity or value, read with SQLite's query plan."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.services import stock
from app.unit_of_work import unit_of_work
from tests.conftest import login
from tests.parts_helpers import make_part, make_warehouse
from tests.records import make_customer
from tests.ticket_helpers import new_ticket

SORTS = [
    ("/ticketview/list/", "TicketView", "severity"), ("/ticketview/list/", "TicketView", "status"),
    ("/stockmovementview/list/", "StockMovementView", "qty"),
    ("/stockmovementview/list/", "StockMovementView", "value"),
]


@pytest.fixture
def rows(app):
    """A few tickets and movements: an empty list reads no page."""
    customer = make_customer(app, 1, with_equipment=True)
    for severity in ("general", "important", "emergency"):
        new_ticket(app, customer, severity=severity)
    with app.app_context():
        part, warehouse = make_part(), make_warehouse(1, "县城备件库")
        with unit_of_work():
            stock.receive(part, warehouse, 10, "5.00", "R1")
            stock.receive(part, warehouse, 3, "7.00", "R2")


@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.parametrize(("url", "view", "column"), SORTS)
def test_offered_sort_reads_an_index(app, client, rows, url, view, column, direction):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the plan is read with SQLite's EXPLAIN QUERY PLAN (PostgreSQL picks by table size)")
    login(client, "admin")
    seen: list[tuple[str, object]] = []

    def before(conn, cursor, statement, parameters, *args):
        seen.append((statement, parameters))

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            resp = client.get(f"{url}?_oc_{view}={column}&_od_{view}={direction}")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)
        assert resp.status_code == 200
        paged = [(s, p) for s, p in seen if "ORDER BY" in s and "LIMIT" in s]
        assert paged, "no paged query seen"
        statement, parameters = paged[0]
        with db.engine.connect() as conn:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
    # the page's ids are sorted and cut in a subquery (a co-routine of the plan): that part must walk an
    # index in the sort's order; the outer sort of the page's own few rows is fine
    details = [row[-1] for row in plan if row[1] in {r[0] for r in plan if "CO-ROUTINE" in r[-1]}]
    assert details, plan
    assert any("USING INDEX" in d or "USING COVERING INDEX" in d for d in details), details
    assert not any("TEMP B-TREE FOR ORDER BY" in d for d in details), details
