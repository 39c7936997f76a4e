"""What the benchmarks share: an empty database to start from, and synthetic tickets (N over a
year, deterministic)."""
from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Customer, Equipment, Importance, Staff, Ticket
from app.models.base import utcnow
from app.models.tickets import Category, Channel, Severity, TicketStatus

RESOLVE_HOURS = {"general": 72, "important": 24, "emergency": 4}
MODELS = ["RS-3000", "GS-200", "DL380", "NAS-8T", "UPS-10K", "UAV-M6", "WS-15"]
REGIONS = ["东城镇", "西河乡", "南山镇", "北岭乡", "城关镇", "青石镇", "柳林乡"]
STATUS_WEIGHTS = {"new": 4, "assigned": 5, "in_progress": 6, "awaiting_confirmation": 3,
                  "closed": 75, "cancelled": 7}


def reset_database(url: str) -> None:
    """An empty schema (PostgreSQL: the public schema dropped and made again; a new SQLite file is empty)."""
    engine = sa.create_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def ensure_customers(rng: random.Random, wanted: int) -> list[int]:
    """At least `wanted` customers with one or two pieces of equipment each."""
    have = db.session.scalar(sa.select(sa.func.count()).select_from(Customer))
    for i in range(have, wanted):
        region = rng.choice(REGIONS)
        c = Customer(code=f"B{i:05d}", name=f"{region}用户单位{i:05d}", region=region,
                     importance=rng.choices(list(Importance), weights=[1, 3, 8])[0])
        db.session.add(c)
        db.session.flush()
        for j in range(rng.randint(1, 2)):
            model = rng.choice(MODELS)
            db.session.add(Equipment(customer_id=c.id, name=model, model=model,
                                     serial_number=f"BS{i:05d}-{j}"))
    db.session.commit()
    return list(db.session.scalars(sa.select(Customer.id)))


def add_tickets(count: int, seed: int = 8) -> int:
    """Insert `count` tickets received over the last 365 days; returns how many exist now."""
    rng = random.Random(seed)
    customers = ensure_customers(rng, max(50, count // 10))
    equipment: dict[int, list[int]] = {}
    for eid, cid in db.session.execute(sa.select(Equipment.id, Equipment.customer_id)):
        equipment.setdefault(cid, []).append(eid)
    engineers = list(db.session.scalars(sa.select(Staff.id).where(
        Staff.position.in_(["field_engineer", "tech_engineer"]))))
    start = db.session.scalar(sa.select(sa.func.count()).select_from(Ticket))
    now = utcnow()
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    rows = []
    for n in range(start, start + count):
        received = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        severity = rng.choices(list(Severity), weights=[70, 22, 8])[0]
        status = rng.choices(statuses, weights=weights)[0]
        if received > now - timedelta(days=20) and rng.random() < 0.5:
            status = rng.choice(["new", "assigned", "in_progress"])
        cid = rng.choice(customers)
        resolve_by = received + timedelta(hours=RESOLVE_HOURS[severity.value])
        closed = status in ("closed", "cancelled")
        rows.append(dict(
            number=f"GD{n + 1:07d}", channel=rng.choice(list(Channel)), category=rng.choice(list(Category)),
            severity=severity, status=TicketStatus(status), customer_id=cid,
            equipment_id=rng.choice(equipment.get(cid, [None])), title="设备故障", description="现象、影响",
            received_at=received, respond_by=received + timedelta(hours=2), resolve_by=resolve_by,
            assignee_id=None if status == "new" or not engineers else rng.choice(engineers),
            first_response_at=None if status == "new" else received + timedelta(minutes=rng.randint(5, 240)),
            resolved_at=received + timedelta(hours=rng.randint(1, 90)) if closed else None,
            created_at=now, updated_at=now,
        ))
    for i in range(0, len(rows), 2000):
        db.session.execute(sa.insert(Ticket), rows[i:i + 2000])
    db.session.commit()
    return start + count
