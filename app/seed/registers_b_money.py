"""Demo budget, expenses and weekly technical meetings for the year (part of the registers-B seed)."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import ActionItem, Budget, BudgetCategory, Expense, Meeting, Ticket, Trip

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
TOPICS = ["上周故障汇总与疑难问题讨论", "巡检发现隐患的处理", "备件消耗与库存预警", "客户回访意见分析",
          "软件升级方案评审", "知识库条目审核"]
ACTIONS = ["编写故障分析报告", "更新知识库条目", "联系厂商确认备件交期", "安排现场复查", "整理巡检报告",
           "回访客户确认问题解决", "评估升级方案可行性"]


def months(start: date, end: date) -> list[date]:
    out, day = [], start
    while day <= end:
        out.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def seed(rng: random.Random, people: dict, start: date, end: date) -> list[str]:
    return [seed_budget(rng, people, start, end), seed_meetings(rng, people, start, end)]


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


def seed_meetings(rng: random.Random, people: dict, start: date, end: date) -> str:
    """Every Monday's technical meeting with two or three action items."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)):
        return "Meetings: already there."
    attendees = [people[login] for login in ("manager", "tech", "field1", "field2", "cs", "keeper")]
    owners = [people[login] for login in ("tech", "field1", "field2", "cs", "keeper")]
    day = start + timedelta(days=(7 - start.weekday()) % 7)
    added = 0
    today = clock.today_local()
    while day <= end:
        week = day.isocalendar().week
        topics = rng.sample(TOPICS, 2)
        meeting = Meeting(
            held_on=day, title=f"第{week}周技术例会", location="县城本部会议室", host_id=people["tech"].id,
            attendees=[a for a in attendees if a.username != "keeper" or week % 2 == 0],
            discussion="；".join(topics), decisions=f"针对“{topics[0]}”形成处理意见，责任到人",
        )
        for _ in range(rng.randint(2, 3)):
            due = day + timedelta(days=rng.choice([3, 7, 14]))
            done = due < today - timedelta(days=7) or rng.random() < 0.3
            meeting.action_items.append(ActionItem(
                description=rng.choice(ACTIONS), owner_id=rng.choice(owners).id, due_on=due, done=done,
                done_on=due - timedelta(days=rng.randint(0, 2)) if done else None))
        db.session.add(meeting)
        added += 1
        day += timedelta(days=7)
    return f"Meetings: {added} weekly meetings."
