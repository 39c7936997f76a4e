"""The stock half of bench/scale.py: a parts catalogue and a FIFO ledger simulated in memory, written in bulk.

The simulation follows app/services/stock.py posting by posting (receipts open layers, issues /
scrap / stocktake losses draw the oldest layers first, a transfer carries its layers' cost and
age, a reversal gives an issue back to the same layers), so the rows it writes satisfy the same
invariants (`verify_ledger`) as rows posted through the service — at ~100 000 movements a second
instead of ~50.
"""
from __future__ import annotations

import bisect
import random
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import sqlalchemy as sa

from app.extensions import db
from app.models.base import utcnow
from bench.bulk import Writer, next_id
from bench.scale_checks import verify_ledger  # noqa: F401  (re-exported for scale.py)

CATEGORIES = {"电源": 380_00, "存储": 1650_00, "网络": 260_00, "接收站": 8600_00, "GNSS": 4200_00,
              "无人机": 2600_00, "工作站": 2100_00, "耗材": 25_00}
MOVEMENT_COLUMNS = ["id", "part_id", "warehouse_id", "kind", "qty", "unit_cost", "value", "balance_qty",
                    "balance_value", "reference", "ticket_id", "counterpart_id", "reversal_of_id", "posted_at",
                    "posted_by_id"]
LAYER_COLUMNS = ["id", "part_id", "warehouse_id", "movement_id", "received_at", "unit_cost", "qty_in",
                 "qty_remaining"]
USE_COLUMNS = ["id", "movement_id", "layer_id", "qty", "unit_cost"]
# what one step of the simulation posts, by share of steps (a transfer posts two movements)
KIND_WEIGHTS = {"receipt": 26, "issue": 52, "return_unused": 4, "scrap": 2, "transfer": 6, "adjust_in": 2,
                "adjust_out": 2, "reversal": 1}


def ensure_warehouses_and_parts(w: Writer, rng: random.Random, warehouses: int, parts: int) -> None:
    """Top the catalogue up to `parts` parts and `warehouses` stores (the demo's are kept)."""
    now = w.when(utcnow())
    have = db.session.scalar(sa.text("SELECT count(*) FROM warehouse"))
    first = next_id("warehouse")
    for n in range(max(0, warehouses - have)):
        w.add("warehouse", ["id", "code", "name", "location", "active", "created_at", "updated_at"],
              (first + n, f"WS{n + 1:02d}", f"片区备件点 {n + 1}", "服务站", True, now, now))
    have = db.session.scalar(sa.text("SELECT count(*) FROM part"))
    first = next_id("part")
    cats = list(CATEGORIES)
    for n in range(max(0, parts - have)):
        cat = cats[n % len(cats)]
        cost = max(100, int(CATEGORIES[cat] * rng.uniform(0.2, 2.5)))
        w.add("part", ["id", "code", "name", "spec", "unit", "category", "is_key", "safety_stock", "reorder_point",
                       "reorder_qty", "standard_cost", "expects_return", "active", "created_at", "updated_at"],
              (first + n, f"BJ{n + 1:05d}", f"{cat}备件 {n + 1:05d}", f"型号 {rng.randint(1, 99)}", "个", cat,
               rng.random() < 0.2, rng.randint(0, 5), rng.randint(2, 10), rng.randint(5, 30), w.money(cost),
               rng.random() < 0.7, True, now, now))
    w.flush()


class Pair:
    """One part in one warehouse: its open FIFO layers (oldest first), balance, last movement."""

    __slots__ = ("part", "wh", "open", "qty", "value", "last_id", "last_issue")

    def __init__(self, part: int, wh: int):
        self.part, self.wh = part, wh
        self.open: list[list] = []  # [received_at, layer id, remaining, unit cost cents, index in layers]
        self.qty = self.value = 0
        self.last_id = None
        self.last_issue = None  # (movement id, qty, value, takes) while the issue is the pair's newest posting


class Ledger:
    def __init__(self, w: Writer, rng: random.Random, keeper: int | None, tickets: tuple[int, int]):
        self.w, self.rng, self.keeper, self.tickets = w, rng, keeper, tickets
        self.mv_id, self.layer_id, self.use_id = next_id("stock_movement"), next_id("stock_layer"), \
            next_id("stock_layer_use")
        self.layers: list[list] = []  # rows of stock_layer; qty_remaining (index 7) changes until the end
        self.uses: list[tuple] = []
        self.count = 0

    # --- rows ------------------------------------------------------------------
    def _movement(self, p: Pair, kind: str, qty: int, value: int, at: datetime, reference: str, **kw) -> int:
        mid, self.mv_id = self.mv_id, self.mv_id + 1
        p.qty += qty
        p.value += value
        unit = int((Decimal(abs(value)) / abs(qty)).quantize(Decimal(1), ROUND_HALF_EVEN))
        w = self.w
        w.add("stock_movement", MOVEMENT_COLUMNS, (
            mid, p.part, p.wh, kind, qty, w.money(unit), w.money(value), p.qty, w.money(p.value), reference,
            kw.get("ticket"), kw.get("counterpart"), kw.get("reversal_of"), w.when(at), self.keeper))
        p.last_id, p.last_issue = mid, None
        self.count += 1
        return mid

    def _layer(self, p: Pair, movement: int, received: datetime, cost: int, qty: int) -> None:
        lid, self.layer_id = self.layer_id, self.layer_id + 1
        self.layers.append([lid, p.part, p.wh, movement, received, cost, qty, qty])
        bisect.insort(p.open, [received, lid, qty, cost, len(self.layers) - 1])

    def _take(self, p: Pair, qty: int) -> list[tuple[list, int]]:
        """The oldest layers covering qty: (open layer, taken); drawn from the pair at once."""
        takes, need = [], qty
        while need:
            layer = p.open[0]
            take = min(need, layer[2])
            layer[2] -= take
            self.layers[layer[4]][7] -= take
            takes.append((layer, take))
            need -= take
            if layer[2] == 0:
                p.open.pop(0)
        return takes

    def _uses(self, movement: int, takes) -> None:
        for layer, take in takes:
            self.uses.append((self.use_id, movement, layer[1], take, self.w.money(layer[3])))
            self.use_id += 1

    # --- postings ----------------------------------------------------------------
    def stock_in(self, p: Pair, kind: str, qty: int, cost: int, at: datetime, reference: str) -> None:
        mid = self._movement(p, kind, qty, qty * cost, at, reference)
        self._layer(p, mid, at, cost, qty)

    def stock_out(self, p: Pair, kind: str, qty: int, at: datetime, reference: str, ticket=None) -> None:
        takes = self._take(p, qty)
        value = sum(t * layer[3] for layer, t in takes)
        mid = self._movement(p, kind, -qty, -value, at, reference, ticket=ticket)
        self._uses(mid, takes)
        if kind == "issue":
            p.last_issue = (mid, qty, value, takes)

    def transfer(self, src: Pair, dst: Pair, qty: int, at: datetime, reference: str) -> None:
        takes = self._take(src, qty)
        value = sum(t * layer[3] for layer, t in takes)
        out = self._movement(src, "transfer_out", -qty, -value, at, reference)
        self._uses(out, takes)
        inn = self._movement(dst, "transfer_in", qty, value, at, reference, counterpart=out)
        for layer, take in takes:  # the layers travel with their original receipt date and cost
            self._layer(dst, inn, layer[0], layer[3], take)

    def reverse_issue(self, p: Pair, at: datetime) -> None:
        """The issue just posted was wrong: the same quantities go back to the same layers."""
        mid, qty, value, takes = p.last_issue
        rev = self._movement(p, "reversal", qty, value, at, f"REV-{mid}", reversal_of=mid)
        for layer, take in takes:
            if layer[2] == 0:
                bisect.insort(p.open, layer)
            layer[2] += take
            self.layers[layer[4]][7] += take
            self.uses.append((self.use_id, rev, layer[1], -take, self.w.money(layer[3])))
            self.use_id += 1

    def write_tail(self, pairs: list[Pair]) -> None:
        """Layers (final qty_remaining), layer uses and balances, after every movement is written."""
        w = self.w
        w.flush()
        for row in self.layers:
            w.add("stock_layer", LAYER_COLUMNS, (row[0], row[1], row[2], row[3], w.when(row[4]), w.money(row[5]),
                                                 row[6], row[7]))
        w.flush()
        for row in self.uses:
            w.add("stock_layer_use", USE_COLUMNS, row)
        for p in pairs:
            if p.last_id is not None:
                w.add("stock_balance", ["part_id", "warehouse_id", "qty", "value", "last_movement_id"],
                      (p.part, p.wh, p.qty, w.money(p.value), p.last_id))
        w.flush()


def simulate(w: Writer, rng: random.Random, movements: int, years: float = 3.0) -> int:
    """Post about `movements` movements over the last `years` years to part × warehouse pairs without stock yet."""
    parts = db.session.execute(sa.text("SELECT id, standard_cost FROM part ORDER BY id")).all()
    whs = [r[0] for r in db.session.execute(sa.text("SELECT id FROM warehouse ORDER BY id"))]
    taken = set(db.session.execute(sa.text("SELECT part_id, warehouse_id FROM stock_balance")).all())
    cost = {pid: max(1, int(round(float(c or 0) * 100))) for pid, c in parts}
    pairs = [Pair(pid, wh) for pid, _c in parts for wh in whs if (pid, wh) not in taken]
    by_part: dict[int, list[Pair]] = {}
    for p in pairs:
        by_part.setdefault(p.part, []).append(p)
    # a few parts move a lot (fuses, disks), most rarely; the main store moves most
    wh_weight = {wh: 1 / (i + 1) for i, wh in enumerate(whs)}
    rank = {pid: i + 1 for i, pid in enumerate(rng.sample([pid for pid, _c in parts], len(parts)))}
    weights = [wh_weight[p.wh] / rank[p.part] ** 0.7 for p in pairs]
    keeper = db.session.scalar(sa.text("SELECT id FROM ab_user WHERE username = 'keeper'"))
    low, high = db.session.execute(sa.text("SELECT min(id), max(id) FROM ticket")).one()
    ledger = Ledger(w, rng, keeper, (low, high))
    kinds, kind_w = zip(*KIND_WEIGHTS.items(), strict=True)
    now = utcnow()
    start = now - timedelta(days=365 * years)
    step = (now - start) / max(1, movements)
    steps = max(1, int(movements / 1.06))  # a transfer step posts two movements
    chosen = rng.choices(pairs, weights=weights, k=steps)
    for n, p in enumerate(chosen):
        at = start + step * ledger.count
        kind = rng.choices(kinds, kind_w)[0]
        if p.qty == 0 or kind == "receipt":
            lot = rng.randint(5, 60)
            price = max(1, int(cost[p.part] * rng.uniform(0.9, 1.15)))
            ledger.stock_in(p, "receipt", lot, price, at, f"CG-{n // 7:07d}")
        elif kind == "reversal" and p.last_issue is not None:
            ledger.reverse_issue(p, at)
        elif kind in ("return_unused", "adjust_in"):
            last = ledger.layers[p.open[-1][4]][5] if p.open else cost[p.part]
            ledger.stock_in(p, kind, rng.randint(1, 3), last, at, f"TL-{n // 3:07d}")
        elif kind == "transfer" and len(by_part[p.part]) > 1:
            dst = rng.choice([o for o in by_part[p.part] if o is not p])
            ledger.transfer(p, dst, rng.randint(1, min(p.qty, 10)), at, f"DB-{n:07d}")
        else:
            out = kind if kind in ("scrap", "adjust_out") else "issue"
            ticket = rng.randint(low, high) if low and out == "issue" and rng.random() < 0.7 else None
            ledger.stock_out(p, out, rng.randint(1, min(p.qty, 4)), at, f"LY-{n // 2:07d}", ticket)
    ledger.write_tail(pairs)
    return ledger.count
