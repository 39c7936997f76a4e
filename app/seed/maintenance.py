"""Demo maintenance plans and records over the past year, and upgrade requests."""
from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import Customer, MaintenancePlan, MaintenanceRecord, UpgradeRequest
from ..services import maintenance as maint_svc
from .core import staff_by_login

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


def seed_maintenance(rng: random.Random) -> list[str]:
    """Two maintenance plans a month over the past year and the next two months, with their records."""
    staff, today = staff_by_login(), clock.today_local()
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
    staff, today = staff_by_login(), clock.today_local()
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
