"""Demo complaints: a year of them in every state, with teams, progress and satisfaction."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import Complaint, ComplaintProgress, Customer
from ..models.complaints import ComplaintStatus as S
from .core import staff_by_login

COMPLAINTS = [
    ("维修响应超时", "报修后超过 4 小时无人联系，影响当日数据接收", "工程师同时处理两起紧急故障，排班不足",
     "调整值班表，紧急故障时由技术支持工程师远程先行处理"),
    ("同一故障反复出现", "接收站天线两个月内三次失锁", "天线馈线接头老化进水", "更换馈线接头并做防水处理，列入巡检重点"),
    ("备件等待时间过长", "更换电源模块等待一周", "县城备件库无该型号库存", "将电源模块列为关键备件，设定安全库存"),
    ("工程师未按约定时间到场", "约定上午九点到场，实际下午才到", "路途远、车辆调度冲突", "出发前电话确认，车辆统一调度"),
    ("软件升级后功能异常", "升级后影像导出报错", "升级包未在客户环境测试", "回退版本，补充升级前测试流程"),
    ("服务报告未签字确认", "维修后未留服务报告", "工程师遗漏流程", "服务报告纳入完工检查清单"),
]


DEPARTMENTS = ["技术服务部", "技术服务部备件组", "研发部", "质量部"]


def seed_complaints(rng: random.Random, count: int = 15) -> list[str]:
    """A year of complaints in every state, with teams, plans, progress and satisfaction."""
    staff, today = staff_by_login(), clock.today_local()
    customers = db.session.scalars(sa.select(Customer).order_by(Customer.code)).all()
    if not customers or not staff:
        return ["Complaints: no customers or staff yet."]
    numbers = set(db.session.scalars(sa.select(Complaint.number)))
    added = 0
    for n in range(count):
        received = clock.from_local(datetime.combine(today - timedelta(days=360 - n * 25), time(9 + n % 8, 15)))
        number = f"TS-{received:%Y}-{n + 1:03d}"
        if number in numbers:
            continue
        r = random.Random(f"complaint-{n}")
        subject, content, cause, measures = COMPLAINTS[n % len(COMPLAINTS)]
        c = Complaint(number=number, customer_id=customers[(n * 5) % len(customers)].id, received_at=received,
                      received_by_id=staff["cs"].id, channel=r.choice(["phone", "email", "online"]),
                      complainant=r.choice(["李主任", "王科长", "赵站长"]), subject=subject, content=content)
        c.team = [staff["manager"], staff["tech"]]
        age = (today - clock.to_local(received).date()).days
        steps = [S.investigating] + ([S.handling, S.closed] if age > 60 else [S.handling] if age > 14 else [])
        if n % 7 == 3 and age > 60:  # not true on investigation: explained and closed
            c.verified, c.findings, c.result = False, "经核实为客户操作不当", "已向客户说明并安排操作培训"
            steps = [S.investigating, S.closed]
        else:
            c.verified, c.findings, c.root_cause, c.measures = True, content, cause, measures
            c.owner_department, c.owner = r.choice(DEPARTMENTS), staff[r.choice(["field1", "field2", "tech"])]
            # two open ones run past their deadline and show on the overdue list
            c.deadline = clock.to_local(received).date() + timedelta(days=7 if n % 5 else 3)
        _walk(c, steps, received, staff, r)
        db.session.add(c)
        added += 1
    db.session.flush()
    return [f"Complaints: {added} added, {len(numbers)} already there."]


def _walk(c: Complaint, steps, received: datetime, staff, r: random.Random) -> None:
    at, state = received, S.received
    notes = {S.investigating: "成立投诉处理小组，开始核实", S.handling: "处理方案已确定，责任人开始处理",
             S.closed: "客服回访，客户确认处理结果"}
    for step in steps:
        at += timedelta(days=r.randint(1, 4), hours=r.randint(1, 5))
        who = staff["cs"] if step == S.closed else staff["manager"]
        c.progress.append(ComplaintProgress(at=at, staff_id=who.id, from_status=state, to_status=step,
                                            note=notes[step]))
        state = step
    if state == S.closed:
        c.result = c.result or "已按处理方案整改完成，客户认可"
        c.satisfaction = r.choices([5, 4, 3], weights=[45, 40, 15])[0] if c.verified else 4
        c.improvement = "纳入周技术例会讨论，形成预防措施"
        c.closed_at = at
    c.status = state
