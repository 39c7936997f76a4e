"""Property test: random receive / issue / reverse / transfer sequences keep the ledger invariants."""
import itertools
from decimal import Decimal

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import StockMovement
from app.models.base import DomainError
from app.services import stock
from app.unit_of_work import unit_of_work
from tests.parts_helpers import check_invariants, make_part, make_warehouse

WAREHOUSES = 2
counter = itertools.count(1)

qty = st.integers(min_value=1, max_value=20)
wh = st.integers(min_value=0, max_value=WAREHOUSES - 1)
cost = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)
operation = st.one_of(
    st.tuples(st.just("receive"), wh, qty, cost),
    st.tuples(st.just("issue"), wh, qty),
    st.tuples(st.just("transfer"), wh, qty),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=30)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_random_postings_keep_the_ledger_consistent(app, ops):
    with app.app_context():
        n = next(counter)
        part = make_part(10_000 + n)
        whs = [make_warehouse(10_000 + n * 10 + i) for i in range(WAREHOUSES)]
        expected = {w: 0 for w in whs}
        posted: list[int] = []
        for op in ops:
            kind = op[0]
            try:
                with unit_of_work():
                    if kind == "receive":
                        mv = stock.receive(part, whs[op[1]], op[2], op[3], "R")
                        posted.append(mv.id)
                        expected[mv.warehouse_id] += op[2]
                    elif kind == "issue":
                        w = whs[op[1]]
                        mv = stock.issue(part, w, op[2], "I")
                        assert op[2] <= expected[w]  # an issue only succeeds when covered
                        posted.append(mv.id)
                        expected[w] -= op[2]
                    elif kind == "transfer":
                        src, dst = whs[op[1]], whs[1 - op[1]]
                        out, inn = stock.transfer(part, src, dst, op[2], "T")
                        assert op[2] <= expected[src]
                        posted.append(out.id)
                        expected[src] -= op[2]
                        expected[dst] += op[2]
                    elif posted:
                        target = posted[op[1] % len(posted)]
                        for rev in stock.reverse(target):
                            expected[rev.warehouse_id] += rev.qty
            except DomainError as err:
                assert err.status == 409, err.errors
                if kind == "issue":
                    assert op[2] > expected[whs[op[1]]]  # refused only when not covered
                if kind == "transfer":
                    assert op[2] > expected[whs[op[1]]]
            for w in whs:
                assert stock.balance(part, w)[0] == expected[w] >= 0
        check_invariants()
        total = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(StockMovement.value), 0))
                                  .where(StockMovement.part_id == part))
        assert Decimal(str(total)).quantize(Decimal("0.01")) == stock.balance(part)[1]
