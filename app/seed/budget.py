"""Demo budgets per category and period, and the year's expenses against them."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import Budget, BudgetCategory, Expense, Ticket, Trip

# annual budgets per category (yuan); travel is budgeted per month
ANNUAL = {BudgetCategory.equipment: "120000", BudgetCategory.parts_purchase: "200000",
          BudgetCategory.training: "30000", BudgetCategory.other: "25000"}


MONTHLY_TRAVEL = "6000"


SPENDING = {
    BudgetCategory.equipment: ["示波器", "光功率计", "网络测试仪", "笔记本电脑", "工具箱"],
    BudgetCategory.parts_purchase: ["伺服驱动板", "硬盘 4TB", "光模块", "UPS 电池组", "风扇模组"],
    BudgetCategory.training: ["厂商培训费", "培训教材印刷", "客户培训场地费"],
    BudgetCategory.other: ["办公耗材", "快递费", "资料归档盒"],
}


def months(start: date, end: date) -> list[date]:
    out, day = [], start
    while day <= end:
        out.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out




def seed_budget(rng: random.Random, people: dict, start: date, end: date) -> str:
    """Annual budgets per category, monthly travel budgets, and what was spent (one month overspent)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Budget)):
        return "Budget: already there."
    budgets = []
    for year in sorted({start.year, end.year}):
        for category, amount in ANNUAL.items():
            budgets.append(Budget(period=str(year), category=category, amount=Decimal(amount)))
    travel = {}
    for month in months(start, end):
        travel[month] = Budget(period=f"{month:%Y-%m}", category=BudgetCategory.travel, amount=Decimal(MONTHLY_TRAVEL))
        budgets.append(travel[month])
    db.session.add_all(budgets)
    db.session.flush()
    annual = {(b.period, b.category): b for b in budgets if len(b.period) == 4}
    count = 0
    # travel: the trips' mileage at 1.2 yuan/km plus allowances; the busiest month goes over
    trips = db.session.scalars(sa.select(Trip).order_by(Trip.departure_at)).all()
    for trip in trips:
        month = clock.to_local(trip.departure_at).date().replace(day=1)
        if month not in travel:
            continue
        amount = (trip.mileage_km or 0) * Decimal("1.2") + Decimal(rng.choice([60, 80, 100, 150]))
        db.session.add(Expense(budget=travel[month], spent_on=clock.to_local(trip.departure_at).date(), staff_id=trip.engineer_id,
                               item=f"差旅：{trip.destination}", amount=amount.quantize(Decimal("0.01")),
                               ticket_id=trip.ticket_id, receipt_no=f"BX{trip.departure_at:%Y%m%d}{count:04d}"))
        count += 1
    tickets = db.session.scalars(sa.select(Ticket.id).order_by(Ticket.id).limit(40)).all()
    for month in months(start, end):
        for category, items in SPENDING.items():
            if rng.random() < 0.55:
                budget = annual[(str(month.year), category)]
                amount = Decimal(rng.randint(300, 9000 if category != BudgetCategory.parts_purchase else 22000))
                db.session.add(Expense(
                    budget=budget, spent_on=month + timedelta(days=rng.randint(0, 25)), item=rng.choice(items),
                    amount=amount, staff_id=people["keeper" if category == BudgetCategory.parts_purchase else "manager"].id,
                    ticket_id=rng.choice(tickets) if tickets and category == BudgetCategory.parts_purchase else None,
                    receipt_no=f"FP{month:%Y%m}{count:04d}"))
                count += 1
    return f"Budget: {len(budgets)} budgets, {count} expenses."
