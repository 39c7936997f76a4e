"""Demo staff development: training plans and records with attendance, appraisals with KPIs."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Appraisal,
    AssessmentResult,
    Customer,
    TrainingAttendance,
    TrainingKind,
    TrainingPlan,
    TrainingRecord,
)
from ..services.development import fill_kpis

# kind, topic, trainer, audience, hours, attendee logins (002 §2.1, 004 §五)
TRAININGS = [
    (TrainingKind.internal, "售后服务规范与工单流程", "王建国", "全体部门人员", "3", ["tech", "field1", "field2", "cs", "keeper"]),
    (TrainingKind.vendor, "RS-3000 接收站维护与故障排除", "厂家工程师 郑国强", "技术支持与现场工程师", "12", ["tech", "field1", "field2"]),
    (TrainingKind.customer, "遥感影像处理软件操作培训", "李明", "客户操作员", "6", []),
    (TrainingKind.internal, "备件领用与坏件返回流程", "赵磊", "现场工程师", "2", ["field1", "field2"]),
    (TrainingKind.vendor, "GNSS 基准站接收机固件升级", "厂家工程师", "技术支持工程师", "4", ["tech", "field2"]),
    (TrainingKind.internal, "客户沟通与投诉处理技巧", "陈静", "客服与现场工程师", "2", ["cs", "field1", "field2"]),
    (TrainingKind.customer, "基准站日常巡视与简单故障处理", "张伟", "客户值班人员", "4", []),
    (TrainingKind.internal, "服务器与存储阵列日常维护", "李明", "现场工程师", "3", ["field1", "field2", "keeper"]),
]




def seed_training(rng: random.Random, people: dict, start: date) -> str:
    """A training about every six weeks, held as planned, with attendee assessments."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(TrainingPlan)):
        return "Training: already there."
    customers = db.session.scalars(sa.select(Customer).order_by(Customer.code).limit(10)).all()
    for n, (kind, topic, trainer, audience, hours, logins) in enumerate(TRAININGS):
        day = start + timedelta(days=20 + 44 * n)
        customer = customers[n % len(customers)] if kind == TrainingKind.customer and customers else None
        plan = TrainingPlan(kind=kind, topic=topic, planned_start=day, planned_end=day + timedelta(days=1 if hours == "12" else 0),
                            trainer=trainer, audience=audience, customer=customer,
                            content=f"{topic}：理论讲解、实操演练、考核")
        record = TrainingRecord(plan=plan, held_on=day, hours=Decimal(hours), trainer=trainer,
                                location=customer.name if customer else "县城本部会议室",
                                summary="按计划完成，学员反馈良好",
                                external_attendees="客户操作员 6 人" if customer else None)
        for login in logins:
            score = rng.randint(68, 98)
            record.attendances.append(TrainingAttendance(
                staff_id=people[login].id, score=score,
                result=AssessmentResult.passed if score >= 75 else AssessmentResult.failed))
        db.session.add_all([plan, record])
    return f"Training: {len(TRAININGS)} plans with records."


def seed_appraisals(people: dict, end: date) -> str:
    """Quarterly appraisals of the last four whole quarters, KPIs measured from the tickets."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Appraisal)):
        return "Appraisals: already there."
    # `end` is a month end: it closes a quarter itself, or the previous quarter is the last whole one
    quarter_end = end if end.month % 3 == 0 else date(end.year, (end.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)
    periods = []
    q_end = quarter_end
    for _ in range(4):
        periods.append(f"{q_end.year}-Q{(q_end.month - 1) // 3 + 1}")
        q_end = date(q_end.year, (q_end.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)
    added = 0
    for i, login in enumerate(["tech", "field1", "field2", "cs", "keeper"]):
        for k, period in enumerate(reversed(periods)):
            appraisal = Appraisal(staff_id=people[login].id, period=period, self_score=85 + (i + k) % 10,
                                  supervisor_score=78 + (3 * i + k) % 17, customer_score=80 + (2 * i + 3 * k) % 15,
                                  comments="工作认真负责，响应及时" if (i + k) % 3 else "需加强文档记录")
            db.session.add(appraisal)
            db.session.flush()
            fill_kpis(appraisal)
            added += 1
    return f"Appraisals: {added} added ({', '.join(reversed(periods))})."
