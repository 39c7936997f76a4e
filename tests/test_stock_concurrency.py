"""Concurrent postings on PostgreSQL: no negative stock, no lost update, FIFO layers consistent."""
import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import StockMovement
from app.models.base import DomainError
from app.models.stock import MovementKind
from app.services import stock
from app.unit_of_work import unit_of_work
from tests.parts_helpers import check_invariants, make_part, make_warehouse

THREADS = 8


@pytest.fixture(autouse=True)
def _postgresql_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks are a PostgreSQL test; SQLite has a single writer")


def run_threads(app, work, n=THREADS):
    """Run `work(i)` in n threads, each with its own app context and session, started together."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def target(i):
        with app.app_context():
            try:
                barrier.wait()
                results[i] = work(i)
            except Exception as exc:  # surfaced below: an unexpected error fails the test
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_concurrent_issues_of_one_part_never_oversell(app):
    with app.app_context():
        part, wh = make_part(), make_warehouse()
        for n, cost in enumerate(("1.00", "2.00", "3.00", "4.00", "5.00")):
            with unit_of_work():
                stock.receive(part, wh, 10, cost, f"R{n}")

    def work(i):
        done = refused = 0
        for k in range(4):
            try:
                with unit_of_work():
                    stock.issue(part, wh, 3, f"T{i}-{k}")
                done += 1
            except DomainError as err:
                assert err.status == 409
                refused += 1
        return done, refused

    results = run_threads(app, work)
    issued = sum(d for d, _r in results)
    with app.app_context():
        qty, value = stock.balance(part, wh)
        assert issued == 16 and qty == 2  # 50 units, 3 at a time: 16 issues fit, every other one refused
        assert sum(r for _d, r in results) == THREADS * 4 - 16
        # FIFO: the two left are from the newest layer
        assert value == Decimal("10.00")
        issues = db.session.scalars(sa.select(StockMovement).where(StockMovement.kind == MovementKind.issue)
                                    .order_by(StockMovement.id)).all()
        assert [m.balance_qty for m in issues] == list(range(47, 1, -3))  # serialized: no two saw the same balance
        assert sum(-m.value for m in issues) == Decimal("150.00") - value
        check_invariants()


def test_concurrent_first_receipts_create_one_balance_row(app):
    with app.app_context():
        part, wh = make_part(), make_warehouse()

    run_threads(app, lambda i: _receive(part, wh, i + 1))
    with app.app_context():
        assert stock.balance(part, wh) == (sum(range(1, THREADS + 1)), Decimal(sum(range(1, THREADS + 1))) * 2)
        check_invariants()


def _receive(part, wh, qty):
    with unit_of_work():
        stock.receive(part, wh, qty, "2.00", "R")


def test_concurrent_reversals_of_one_movement_post_once(app):
    with app.app_context():
        part, wh = make_part(), make_warehouse()
        with unit_of_work():
            stock.receive(part, wh, 10, "1.00", "R")
        with unit_of_work():
            issue_id = stock.issue(part, wh, 4, "I").id

    def work(i):
        try:
            with unit_of_work():
                stock.reverse(issue_id)
            return "ok"
        except DomainError as err:
            return err.status

    results = run_threads(app, work)
    assert results.count("ok") == 1 and results.count(409) == THREADS - 1
    with app.app_context():
        assert stock.balance(part, wh) == (10, Decimal("10.00"))
        check_invariants()


def test_concurrent_opposite_transfers_do_not_deadlock(app):
    with app.app_context():
        part, wh1, wh2 = make_part(), make_warehouse(1), make_warehouse(2)
        for wh in (wh1, wh2):
            with unit_of_work():
                stock.receive(part, wh, 40, "1.00", "R")

    def work(i):
        src, dst = (wh1, wh2) if i % 2 else (wh2, wh1)
        for k in range(5):
            with unit_of_work():
                stock.transfer(part, src, dst, 1, f"T{i}-{k}")

    run_threads(app, work)
    with app.app_context():
        assert stock.balance(part) == (80, Decimal("80.00"))
        assert stock.balance(part, wh1) == (40, Decimal("40.00"))
        check_invariants()
