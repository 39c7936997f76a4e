"""Demo inspection plans with their checklists, and a year of inspections done."""
from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import (
    Customer,
    Cycle,
    Equipment,
    InspectionChecklistItem,
    InspectionPlan,
    InspectionRecord,
    InspectionStatus,
    ItemResult,
    Phase,
)
from ..services import inspections as insp_svc
from .core import staff_by_login

# checklist templates per phase (002 §2.3): early = usage, middle = equipment and lines, late = full check
CHECKLISTS = {
    Phase.early: ["软件各功能模块运行正常", "操作人员使用情况与问题收集", "数据备份是否按期执行", "账号权限与密码管理"],
    Phase.middle: ["接收站天线外观、紧固与馈线", "服务器运行指示灯与告警日志", "网络线路与交换机端口", "UPS 电池电压与自检",
                   "机房温湿度"],
    Phase.late: ["全部设备运行状态", "线路老化检查与更换", "设备除尘", "故障多发设备原因排查", "客户回访意见记录"],
}


ABNORMAL_NOTES = ["馈线接头有锈蚀", "告警日志有磁盘预警", "交换机端口丢包", "电池电压偏低", "机房温度 31℃ 偏高",
                  "线路外皮老化开裂", "风扇积灰严重"]




def seed_inspections(rng: random.Random, plans: int = 12) -> list[str]:
    """Inspection plans with checklists; a year of inspections generated and filled in."""
    staff, today = staff_by_login(), clock.today_local()
    customers = db.session.scalars(sa.select(Customer).order_by(Customer.code)).all()[:plans]
    have = set(db.session.scalars(sa.select(InspectionPlan.customer_id)))
    cycles = [Cycle.monthly, Cycle.quarterly, Cycle.monthly, Cycle.half_yearly, Cycle.days, Cycle.quarterly]
    added = 0
    for n, customer in enumerate(customers):
        if customer.id in have:
            continue
        phase = [Phase.early, Phase.middle, Phase.late][n % 3]
        equipment = db.session.scalar(sa.select(Equipment).where(Equipment.customer_id == customer.id)
                                      .order_by(Equipment.serial_number))
        plan = InspectionPlan(
            customer_id=customer.id, site=f"{customer.name}机房及野外站点", phase=phase,
            equipment_id=equipment.id if equipment and n % 2 else None, cycle=cycles[n % len(cycles)],
            cycle_days=45 if cycles[n % len(cycles)] == Cycle.days else None,
            start_date=today - timedelta(days=400 - n * 3), engineer_id=staff["field1" if n % 2 == 0 else "field2"].id,
        )
        plan.items = [InspectionChecklistItem(position=i, text=t) for i, t in enumerate(CHECKLISTS[phase], 1)]
        db.session.add(plan)
        added += 1
    db.session.flush()
    generated, day = 0, today - timedelta(days=365)
    while day <= today:  # step through the year so every past due date is generated once
        generated += insp_svc.generate_due_inspections(day, horizon_days=0)
        day += timedelta(days=14)
    generated += insp_svc.generate_due_inspections(today, horizon_days=14)
    filled = _fill_past(staff, today)
    return [f"Inspections: {added} plans, {generated} inspections generated, {filled} filled in."]


def _fill_past(staff, today: date) -> int:
    """Inspections past their date are done: items checked, dangers and questions noted."""
    records = db.session.scalars(
        sa.select(InspectionRecord).where(InspectionRecord.status == InspectionStatus.due,
                                          InspectionRecord.due_date < today - timedelta(days=2))
    ).unique().all()
    filled = 0
    for record in records:
        r = random.Random(f"inspection-{record.plan_id}-{record.due_date}")
        if r.random() < 0.05:
            continue  # a few are missed and stay overdue
        record.status, record.inspected_on = InspectionStatus.done, record.due_date + timedelta(days=r.randint(0, 2))
        record.dust_cleaned = record.phase == Phase.late or r.random() < 0.3
        record.customer_signer = r.choice(["李主任", "王科长", "张工"])
        abnormal = []
        for item in record.results:
            if r.random() < 0.08:
                item.result, item.note = ItemResult.abnormal, r.choice(ABNORMAL_NOTES)
                abnormal.append(item)
            else:
                item.result = ItemResult.ok
        record.hidden_dangers = "；".join(i.note for i in abnormal) or None
        record.customer_questions = r.choice([None, "询问影像导出格式", "希望增加操作培训", "咨询保修期后服务价格"])
        record.summary = "设备运行总体正常" if not abnormal else f"发现 {len(abnormal)} 项异常，已登记处理"
        if abnormal:
            record.analysis = "异常已汇总至周技术例会，列入下月维护计划"
        for item in abnormal[:1]:
            insp_svc.open_ticket_for_item(item, record.engineer_id, at=_noon(record.inspected_on))
        filled += 1
    db.session.flush()
    return filled


def _noon(day: date):
    from datetime import datetime, time

    return clock.from_local(datetime.combine(day, time(12, 0)))  # noon, local
