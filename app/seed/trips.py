"""Demo field trips of the engineers for tickets and inspections."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import Customer, Ticket, Trip

VEHICLES = ["云A·T3521 皮卡", "云A·W8806 越野车", "公司商务车"]


PURPOSES = ["故障上门维修", "季度巡检", "设备除尘保养", "软件升级部署", "客户现场培训", "备件送达与更换"]


def seed_trips(rng: random.Random, people: dict, start: date, end: date) -> str:
    """Two field engineers out two or three days a week, some trips for their tickets."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Trip)):
        return "Trips: already there."
    customers = db.session.scalars(sa.select(Customer).order_by(Customer.code)).all()
    places = [c.name for c in customers] or ["东城镇自然资源局", "西河乡水利局", "南山镇气象站"]
    added = 0
    for login in ("field1", "field2"):
        engineer = people[login]
        tickets = db.session.scalars(sa.select(Ticket.id).where(Ticket.assignee_id == engineer.id)
                                     .order_by(Ticket.id)).all()
        day = start
        while day <= end:
            if day.weekday() < 5 and rng.random() < 0.5:
                leave = clock.from_local(datetime.combine(day, time(rng.choice([7, 8, 9]), rng.choice([0, 30]))))
                purpose = rng.choice(PURPOSES)
                db.session.add(Trip(
                    engineer_id=engineer.id, departure_at=leave,
                    return_at=leave + timedelta(hours=rng.randint(4, 10)), destination=rng.choice(places),
                    purpose=purpose, vehicle=rng.choice(VEHICLES), mileage_km=Decimal(rng.randint(20, 260)),
                    ticket_id=rng.choice(tickets) if tickets and purpose == "故障上门维修" else None,
                    inspection_ref=f"XJ-{day:%Y%m}-{rng.randint(1, 20):02d}" if purpose == "季度巡检" else None,
                ))
                added += 1
            day += timedelta(days=1)
    return f"Trips: {added} added."
