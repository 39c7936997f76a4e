"""Demo callbacks: plans for every customer, a year of callbacks made, callbacks after inspections, follow-up tickets."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import (
    CallbackMethod,
    CallbackPlan,
    CallbackRecord,
    CallbackStatus,
    Customer,
    InspectionRecord,
    InspectionStatus,
)
from ..models.customers import Importance
from ..services import callbacks as callback_svc
from .core import staff_by_login

CALLBACK_CONTENT = {
    CallbackMethod.phone: "电话了解设备运行情况、软件使用中的问题及对售后服务的评价",
    CallbackMethod.email: "邮件发送回访问卷：功能、性能、质量、服务满意度及改进建议",
    CallbackMethod.site: "实地走访：查看设备运行环境，听取使用单位意见，了解新需求",
}


OPINIONS = ["系统运行稳定，操作人员已熟练使用", "接收站偶有信号中断，希望加强巡检", "工程师响应及时，态度好",
            "影像处理速度偏慢，希望优化", "培训效果好，希望再安排一次新员工培训", "对售后服务总体满意"]


NEEDS = ["希望增加无人机影像批量拼接功能", "需要新增一台图像处理工作站", "希望开放数据导出接口",
         "计划扩建野外监测站点，需方案报价"]




def seed_callbacks(rng: random.Random) -> list[str]:
    """Callback plans for every customer (this year and last), callbacks made over the past year."""
    staff, today = staff_by_login(), clock.today_local()
    cs = staff.get("cs")
    customers = db.session.scalars(sa.select(Customer).order_by(Customer.code)).all()
    have = set(db.session.execute(sa.select(CallbackPlan.customer_id, CallbackPlan.year)).tuples())
    plans = 0
    for year in (today.year - 1, today.year):
        for n, customer in enumerate(customers):
            if (customer.id, year) in have:
                continue
            method = (CallbackMethod.site if customer.importance == Importance.key
                      else [CallbackMethod.phone, CallbackMethod.email][n % 2])
            plan = CallbackPlan(customer_id=customer.id, year=year, target=f"{customer.name}信息科负责人",
                                method=method, content=CALLBACK_CONTENT[method], owner_id=cs.id if cs else None)
            callback_svc.prepare_plan(plan)
            db.session.add(plan)
            plans += 1
    db.session.flush()
    existing = set(db.session.execute(sa.select(CallbackRecord.plan_id, CallbackRecord.due_date)).tuples())
    made = 0
    since = today - timedelta(days=365)
    for plan in db.session.scalars(sa.select(CallbackPlan)).all():
        for due in callback_svc.due_dates(plan.year, plan.frequency_per_year):
            if due < since or due > today + timedelta(days=30) or (plan.id, due) in existing:
                continue
            r = random.Random(f"callback-{plan.customer_id}-{due}")
            record = CallbackRecord(customer_id=plan.customer_id, plan_id=plan.id, due_date=due,
                                    method=plan.method, content=plan.content, caller_id=plan.owner_id)
            # the recent ones are still to do; one in twelve older ones was missed and is overdue
            if due <= today - timedelta(days=3) and r.random() > 1 / 12:
                _fill(record, r, due)
            db.session.add(record)
            made += 1
    db.session.flush()
    made += _inspection_callbacks(rng)
    tickets = _follow_up_tickets(staff)
    return [f"Callbacks: {plans} plans, {made} callbacks, {tickets} follow-up tickets added."]


def _fill(record: CallbackRecord, r: random.Random, day: date) -> None:
    record.status = CallbackStatus.done
    record.called_at = clock.from_local(datetime.combine(day - timedelta(days=r.randint(0, 3)),
                                                         time(r.randint(9, 16), r.choice((0, 30)))))
    record.contact_person = r.choice(["李主任", "王科长", "张工", "刘站长", "陈老师"])
    record.opinions = r.choice(OPINIONS)
    for field in ("score_function", "score_performance", "score_quality", "score_service"):
        setattr(record, field, r.choices([5, 4, 3, 2], weights=[50, 35, 12, 3])[0])
    if r.random() < 0.07:
        record.new_needs = r.choice(NEEDS)
        record.follow_up = "转技术支持工程师评估，一周内答复客户"


def _inspection_callbacks(rng: random.Random) -> int:
    """Callbacks after most of the inspections done (002 §2.2(3)); the rest stay on the due list."""
    called = sa.select(CallbackRecord.inspection_id).where(CallbackRecord.inspection_id.is_not(None))
    done = db.session.scalars(
        sa.select(InspectionRecord).where(InspectionRecord.status == InspectionStatus.done,
                                          InspectionRecord.id.not_in(called)).order_by(InspectionRecord.id)
    ).all()
    added = 0
    for insp in done:
        r = random.Random(f"insp-callback-{insp.id}")
        if insp.inspected_on > clock.today_local() - timedelta(days=20) and r.random() < 0.6:
            continue  # recent ones wait on the CS rep's due list
        record = CallbackRecord(customer_id=insp.customer_id, inspection_id=insp.id,
                                due_date=insp.inspected_on + timedelta(days=2), method=CallbackMethod.phone,
                                content="巡检后电话回访：巡检人员出勤及服务情况")
        _fill(record, r, insp.inspected_on + timedelta(days=2))
        db.session.add(record)
        added += 1
    db.session.flush()
    return added


def _follow_up_tickets(staff) -> int:
    """Callbacks that raised new needs open a ticket (the one-step action of the screen)."""
    cs = staff.get("cs")
    rows = db.session.scalars(
        sa.select(CallbackRecord).where(CallbackRecord.new_needs.is_not(None),
                                        CallbackRecord.follow_up_ticket_id.is_(None))
        .order_by(CallbackRecord.due_date)
    ).all()
    for record in rows:
        callback_svc.open_follow_up_ticket(record, cs.id if cs else None, at=record.called_at)
    db.session.flush()
    return len(rows)
