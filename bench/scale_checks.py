"""The ledger invariants of tests/parts_helpers.check_invariants, as a few set-based queries.

The test helper asks per balance and per layer (millions of statements at a real department's
size); these ask the same things with GROUP BY and window sums. On a small ledger both run and
must agree (bench/scale.py --movements 20000 or less).
"""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db

CENT = 0.005  # money compared to the cent (SQLite keeps Numeric as float)
CHECKS = {
    "balance = Σ movements (qty, value), last movement = newest": """
        SELECT count(*) FROM stock_balance b
        JOIN (SELECT part_id, warehouse_id, sum(qty) AS q, sum(value) AS v, max(id) AS last
              FROM stock_movement GROUP BY part_id, warehouse_id) m
          ON m.part_id = b.part_id AND m.warehouse_id = b.warehouse_id
        WHERE b.qty <> m.q OR abs(b.value - m.v) >= :cent OR b.last_movement_id <> m.last""",
    "every part × warehouse with movements has a balance": """
        SELECT count(*) FROM (SELECT DISTINCT part_id, warehouse_id FROM stock_movement) m
        WHERE NOT EXISTS (SELECT 1 FROM stock_balance b
                          WHERE b.part_id = m.part_id AND b.warehouse_id = m.warehouse_id)""",
    "balance = Σ remaining FIFO layers (qty, value)": """
        SELECT count(*) FROM stock_balance b
        LEFT JOIN (SELECT part_id, warehouse_id, sum(qty_remaining) AS q, sum(qty_remaining * unit_cost) AS v
                   FROM stock_layer GROUP BY part_id, warehouse_id) l
          ON l.part_id = b.part_id AND l.warehouse_id = b.warehouse_id
        WHERE coalesce(l.q, 0) <> b.qty OR abs(coalesce(l.v, 0) - b.value) >= :cent""",
    "layer: qty_in - Σ uses = qty_remaining, 0 ≤ remaining ≤ qty_in": """
        SELECT count(*) FROM stock_layer l
        LEFT JOIN (SELECT layer_id, sum(qty) AS used FROM stock_layer_use GROUP BY layer_id) u ON u.layer_id = l.id
        WHERE l.qty_in - coalesce(u.used, 0) <> l.qty_remaining OR l.qty_remaining < 0
           OR l.qty_remaining > l.qty_in""",
    "movement's running balance = Σ earlier movements": """
        SELECT count(*) FROM (
          SELECT balance_qty, balance_value,
                 sum(qty) OVER (PARTITION BY part_id, warehouse_id ORDER BY id) AS q,
                 sum(value) OVER (PARTITION BY part_id, warehouse_id ORDER BY id) AS v
          FROM stock_movement) t
        WHERE balance_qty <> q OR abs(balance_value - v) >= :cent""",
    "stock-out value = Σ FIFO layers it drew": """
        SELECT count(*) FROM stock_movement m
        JOIN (SELECT movement_id, sum(qty * unit_cost) AS v FROM stock_layer_use GROUP BY movement_id) u
          ON u.movement_id = m.id
        WHERE abs(m.value + u.v) >= :cent""",
    "a transfer's legs: same part, opposite quantities": """
        SELECT count(*) FROM stock_movement i JOIN stock_movement o ON o.id = i.counterpart_id
        WHERE i.part_id <> o.part_id OR i.qty <> -o.qty OR abs(i.value + o.value) >= :cent""",
}
SLOW_CHECK_LIMIT = 20_000  # movements up to which the tests' own per-row check runs too


def verify_ledger() -> list[str]:
    """One line per invariant with the number of rows breaking it (0 everywhere = consistent)."""
    lines = []
    for label, sql in CHECKS.items():
        bad = db.session.scalar(sa.text(sql), {"cent": CENT})
        lines.append(f"{'ok ' if bad == 0 else 'BAD'} {label}: {bad} rows off")
    movements = db.session.scalar(sa.text("SELECT count(*) FROM stock_movement"))
    if movements <= SLOW_CHECK_LIMIT:
        from tests.parts_helpers import check_invariants

        check_invariants()  # raises AssertionError on the first row off
        lines.append(f"ok  tests/parts_helpers.check_invariants on all {movements} movements")
    return lines
