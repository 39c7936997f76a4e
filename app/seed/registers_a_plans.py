"""Demo inspections, maintenance plans and records, and upgrade requests over the past year."""
from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import (
    Customer, Cycle, Equipment, InspectionChecklistItem, InspectionPlan, InspectionRecord, InspectionStatus,
    ItemResult, MaintenancePlan, MaintenanceRecord, Phase, Staff, UpgradeRequest,
)
from ..services import inspections as insp_svc
from ..services import maintenance as maint_svc

# checklist templates per phase (002 §2.3): early = usage, middle = equipment and lines, late = full check
CHECKLISTS = {
    Phase.early: ["软件各功能模块运行正常", "操作人员使用情况与问题收集", "数据备份是否按期执行", "账号权限与密码管理"],
    Phase.middle: ["接收站天线外观、紧固与馈线", "服务器运行指示灯与告警日志", "网络线路与交换机端口", "UPS 电池电压与自检",
                   "机房温湿度"],
    Phase.late: ["全部设备运行状态", "线路老化检查与更换", "设备除尘", "故障多发设备原因排查", "客户回访意见记录"],
}
ABNORMAL_NOTES = ["馈线接头有锈蚀", "告警日志有磁盘预警", "交换机端口丢包", "电池电压偏低", "机房温度 31℃ 偏高",
                  "线路外皮老化开裂", "风扇积灰严重"]
MAINTENANCE = [
    ("hardware", "服务器与存储阵列季度维护", "清洁除尘、硬盘健康检测、固件检查", "现场维护"),
    ("software", "遥感数据处理软件补丁更新", "安装补丁、回归测试、数据备份", "远程维护"),
    ("upgrade", "地面接收站系统版本升级", "升级前备份、升级、联调测试、客户确认", "现场升级"),
    ("hardware", "UPS 电池年度更换", "更换老化电池、放电测试", "现场维护"),
]
UPGRADES = [
    ("影像处理软件增加批量拼接", "customer", "function", "implemented"),
    ("接收站监控增加短信告警", "after_sales", "function", "approved"),
    ("数据处理服务器内存扩容", "after_sales", "performance", "evaluated"),
    ("系统登录增加双因素认证", "market", "security", "submitted"),
    ("无人机航测数据一键入库", "customer", "function", "rejected"),
    ("存储阵列升级至 16T", "customer", "performance", "submitted"),
    ("巡检记录移动端填报", "after_sales", "function", "approved"),
]


def _staff() -> dict[str, Staff]:
    rows = db.session.scalars(sa.select(Staff).where(Staff.user_id.is_not(None))).all()
    return {s.username: s for s in rows}


def seed_inspections(rng: random.Random, plans: int = 12) -> list[str]:
    """Inspection plans with checklists; a year of inspections generated and filled in."""
    staff, today = _staff(), clock.today_local()
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


def seed_maintenance(rng: random.Random) -> list[str]:
    """Two maintenance plans a month over the past year and the next two months, with their records."""
    staff, today = _staff(), clock.today_local()
    customers = db.session.scalars(sa.select(Customer).order_by(Customer.code)).all()
    have = set(db.session.execute(sa.select(MaintenancePlan.title, MaintenancePlan.planned_start)).tuples())
    added = 0
    for m in range(-12, 3):
        for k in range(2):
            kind, title, content, method = MAINTENANCE[(m + k) % len(MAINTENANCE)]
            start = date(today.year, today.month, 1) + timedelta(days=31 * m + 14 * k)
            customer = customers[(m * 2 + k) % len(customers)] if customers else None
            title = f"{customer.name if customer else ''}{title}"
            if (title, start) in have:
                continue
            r = random.Random(f"maintenance-{m}-{k}")
            plan = MaintenancePlan(title=title, kind=kind, customer_id=customer.id if customer else None,
                                   content=content, method=method, owner_id=staff["tech"].id,
                                   planned_start=start, planned_end=start + timedelta(days=10))
            db.session.add(plan)
            db.session.flush()
            if plan.planned_end < today and r.random() > 0.15:  # most past plans were carried out
                record = MaintenanceRecord(plan=plan, performed_on=start + timedelta(days=r.randint(0, 9)),
                                           performed_by_id=staff[r.choice(["field1", "field2"])].id,
                                           content=content, outcome="done", result="维护完成，设备运行正常",
                                           tested=kind != "hardware")
                db.session.add(record)
                maint_svc.apply_record(record)
            added += 1
    db.session.flush()
    return [f"Maintenance: {added} plans added."]


def seed_upgrades(rng: random.Random) -> list[str]:
    """Upgrade requests from market, after-sales and customers in every state of the workflow."""
    staff, today = _staff(), clock.today_local()
    customers = db.session.scalars(sa.select(Customer).order_by(Customer.code)).all()
    have = set(db.session.scalars(sa.select(UpgradeRequest.title)))
    added = 0
    for n, (title, source, need, status) in enumerate(UPGRADES):
        if title in have:
            continue
        asked = today - timedelta(days=330 - n * 40)
        req = UpgradeRequest(title=title, source=source, need=need, requested_on=asked,
                             customer_id=customers[n].id if source == "customer" and customers else None,
                             product="遥感监测系统", description=f"{title}：提高工作效率，减少现场处理量",
                             requester={"customer": "客户信息科", "market": "市场部", "after_sales": "技术服务部"}[source],
                             status=status)
        if status != "submitted":
            req.feasibility, req.priority = ["high", "medium", "low"][n % 3], ["medium", "high", "low"][n % 3]
            req.cost_benefit, req.estimated_cost = "开发约 10 人日，可减少现场处理时间", 8000 + n * 1500
            req.evaluated_by_id, req.evaluated_on = staff["tech"].id, asked + timedelta(days=10)
        if status in ("approved", "implemented", "rejected"):
            req.decided_by_id, req.decided_on = staff["manager"].id, asked + timedelta(days=20)
            req.decision_note = "投入产出比低，暂缓" if status == "rejected" else "同意实施"
        if status in ("approved", "implemented"):
            req.plan_goal, req.plan_steps = title, "需求确认→开发→测试→试点→推广"
            req.test_plan, req.risk_measures = "在测试环境回归测试", "升级前完整备份数据，准备回退方案"
            req.planned_start, req.planned_end = asked + timedelta(days=30), asked + timedelta(days=75)
        if status == "implemented":
            req.implemented_on = asked + timedelta(days=70)
        db.session.add(req)
        added += 1
    db.session.flush()
    return [f"Upgrade requests: {added} added."]
