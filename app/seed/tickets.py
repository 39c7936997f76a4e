"""Demo tickets over the past year in every state, with repair records, plans, analyses, surveys."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import (
    Category,
    Channel,
    Customer,
    Equipment,
    FaultAnalysis,
    HandlingMode,
    Position,
    RepairRecord,
    RepairResult,
    SatisfactionSurvey,
    Severity,
    SolutionPlan,
    Staff,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from ..models.base import utcnow
from ..security.audit import acting_as
from ..services import sla
from ..services.numbering import next_number

S = TicketStatus
PROBLEMS = {
    Category.hardware: [("接收站无信号", "天线高频头故障，接收站无法锁定卫星信号"),
                        ("服务器电源报警", "数据处理服务器电源模块告警，随机重启"),
                        ("存储阵列硬盘故障", "影像存储阵列一块硬盘亮红灯，阵列降级")],
    Category.system_fault: [("影像处理任务失败", "批量正射校正任务中途报错退出"),
                            ("数据库连接超时", "业务系统频繁提示数据库连接超时")],
    Category.software_function: [("专题图导出缺图例", "导出的专题图缺少图例和比例尺"),
                                 ("变化检测结果偏差", "两期影像变化检测结果与人工判读差异大")],
    Category.operation_usage: [("不会配置定时任务", "客户不清楚如何设置每日自动下载任务"),
                               ("账号权限设置", "新员工账号看不到项目数据")],
    Category.consultation: [("数据更新频率咨询", "询问卫星影像多久更新一次"),
                            ("保修范围咨询", "询问无人机电池是否在保修范围内")],
    Category.suggestion: [("建议增加批量导出", "希望系统支持按行政区批量导出成果")],
}
CATEGORY_WEIGHTS = [(Category.hardware, 30), (Category.system_fault, 20), (Category.software_function, 15),
                    (Category.operation_usage, 15), (Category.consultation, 12), (Category.suggestion, 8)]
CHANNEL_WEIGHTS = [(Channel.phone, 55), (Channel.email, 10), (Channel.online, 15), (Channel.im, 12),
                   (Channel.fax, 2), (Channel.onsite, 6)]
SEVERITY_WEIGHTS = [(Severity.general, 60), (Severity.important, 30), (Severity.emergency, 10)]


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def seed_tickets(rng: random.Random, count: int = 320) -> list[str]:
    """Create the demo tickets unless they are there (demo tickets: received by the demo CS rep, no creator)."""
    added_levels = sla.ensure_default_policies()
    staff = {s.employee_no: s for s in db.session.scalars(sa.select(Staff))}
    cs = staff.get("E005")
    if cs is None:
        return ["Demo tickets skipped: demo staff missing."]
    existing = db.session.scalar(sa.select(sa.func.count(Ticket.id)).where(
        Ticket.received_by_id == cs.id, Ticket.created_by_id.is_(None)))
    if existing:
        return [f"Demo tickets: {existing} already there."]
    customers = list(db.session.scalars(sa.select(Customer).order_by(Customer.code)))
    equipment = {}
    for e in db.session.scalars(sa.select(Equipment).order_by(Equipment.serial_number)):
        equipment.setdefault(e.customer_id, []).append(e)
    engineers = [s for s in staff.values() if s.position in (Position.tech_engineer, Position.field_engineer)]
    engineers.sort(key=lambda s: s.employee_no)
    manager = staff.get("E001")
    now = utcnow().replace(second=0, microsecond=0)
    levels = sla.all_levels()
    starts = [_office_hours(rng, now - timedelta(days=rng.uniform(2, 365))) for _ in range(count - len(RECENT_HOURS))]
    starts += [now - timedelta(hours=h, minutes=rng.randrange(30)) for h in RECENT_HOURS]
    try:
        with db.session.no_autoflush:  # one flush at the end, not one per numbered ticket
            for received in sorted(starts):
                if received >= now - REPLAYED and not _replay["on"]:
                    db.session.flush()  # the older history in bulk; the last day is replayed step by step
                    _replay["on"] = True
                _one_ticket(rng, received, now, levels, customers, equipment, engineers, cs, manager)
        db.session.flush()
    finally:
        _replay["on"] = False
    return [f"Demo tickets: {count} added ({added_levels} service-level rows added)."]


# The last day's tickets are flushed at each step as the login who made it, at its time,
# so the audit trail shows a day of demo work (who received, assigned, worked, closed what).
REPLAYED = timedelta(days=1)
_replay = {"on": False}

# the work of the last three days: what is new, assigned, in progress and overdue now
RECENT_HOURS = (0.2, 0.6, 1, 1.5, 2.5, 3, 4, 5, 7, 9, 20, 26, 31, 44, 50, 70)


def _office_hours(rng, day: datetime) -> datetime:
    """Most calls come in office hours, some at night (7x24 hotline): hours of the local day,
    stored as UTC."""
    hour = rng.choice([8, 9, 9, 10, 10, 11, 14, 15, 16, 17, 20, 23, 2])
    local = clock.to_local(day).replace(hour=hour, minute=rng.randrange(60), second=0, microsecond=0)
    return clock.to_utc(local)


def _one_ticket(rng, received, now, levels, customers, equipment, engineers, cs, manager):
    customer = rng.choice(customers)
    category = _pick(rng, CATEGORY_WEIGHTS)
    severity = _pick(rng, SEVERITY_WEIGHTS)
    title, description = rng.choice(PROBLEMS[category])
    devices = equipment.get(customer.id, [])
    device = rng.choice(devices) if devices and category in (Category.hardware, Category.system_fault) else None
    lv = levels[severity]
    t = Ticket(
        number=next_number("SR", received.year), customer=customer, channel=_pick(rng, CHANNEL_WEIGHTS),
        category=category, severity=severity, status=S.new, title=title, description=description,
        equipment=device, project=device.project if device else None, place=device.location if device else None,
        received_at=received, received_by=cs, reopen_count=0,
        notify_by=received + timedelta(minutes=lv.notify_minutes),
        respond_by=received + timedelta(minutes=lv.respond_minutes),
        resolve_by=received + timedelta(minutes=lv.resolve_minutes),
        promised_feedback_at=received + timedelta(minutes=lv.respond_minutes),
    )
    db.session.add(t)
    _event(t, received, cs, None, S.new, "电话受理，已告知客户反馈时间")
    age = now - received
    target = _final_state(rng, age)
    if target is S.cancelled:
        _event(t, received + timedelta(minutes=rng.randint(10, 90)), cs, S.new, S.cancelled, "客户自行解决，撤回请求")
        t.status = S.cancelled
        return
    if target is S.new:
        return
    onsite = category is Category.hardware or rng.random() < 0.15
    engineer = rng.choice([e for e in engineers if e.position is Position.field_engineer] if onsite else engineers)
    at = received + timedelta(minutes=rng.randint(3, lv.notify_minutes + 10))
    t.assignee, t.assigned_at, t.handling_mode = engineer, at, HandlingMode.onsite if onsite else HandlingMode.remote
    _event(t, at, manager, S.new, S.assigned, f"派 {engineer.name} 处理")
    t.status = S.assigned
    if target is S.assigned:
        return
    late = rng.random() < 0.12  # about one in eight misses a deadline
    at = min(now, received + timedelta(minutes=lv.respond_minutes * rng.uniform(1.05, 1.6) if late
                                          else lv.respond_minutes * rng.uniform(0.15, 0.95)))
    t.first_response_at = at
    _event(t, at, engineer, S.assigned, S.in_progress, "已联系客户，开始处理" + ("，赶赴现场" if onsite else "，远程诊断"))
    t.status = S.in_progress
    if severity is not Severity.general:
        db.session.add(SolutionPlan(ticket=t, consulted_experts="技术支持工程师李明；厂家技术专家",
                                    steps="1. 远程收集日志\n2. 会诊确定方案\n3. 实施并验证", owner=engineer,
                                    milestones="2小时内定位原因；当天恢复运行"))
    if target is S.in_progress:
        return
    at = _resolve(rng, t, at, now, lv, late, onsite, engineer)
    if target is S.closed and rng.random() < 0.08:  # the customer was not satisfied once
        at = min(now, at + timedelta(hours=rng.randint(2, 30)))
        _event(t, at, cs, S.awaiting_confirmation, S.in_progress, "回访：客户反映问题仍存在")
        t.status, t.resolved_at, t.reopen_count = S.in_progress, None, t.reopen_count + 1
        at = _resolve(rng, t, at, now, lv, True, onsite, engineer)
    if target is S.awaiting_confirmation:
        return
    at = min(now, at + timedelta(hours=rng.uniform(1, 30)))
    _event(t, at, cs, S.awaiting_confirmation, S.closed, "客户确认问题已解决")
    t.status, t.closed_at = S.closed, at
    if rng.random() < 0.78:
        high = rng.random() < 0.85
        db.session.add(SatisfactionSurvey(
            ticket=t, timeliness=rng.randint(4, 5) if high and not late else rng.randint(2, 4),
            effectiveness=rng.randint(4, 5) if high else rng.randint(2, 4), attitude=rng.randint(4, 5),
            comment=rng.choice(["响应及时，处理专业", "希望以后提前通知上门时间", "满意", "问题彻底解决了"]),
            surveyed_by=cs, surveyed_at=min(now, at + timedelta(days=rng.randint(1, 3)))))
    if category in (Category.hardware, Category.system_fault) and rng.random() < 0.2:
        db.session.add(FaultAnalysis(
            ticket=t, equipment=device, fault_type=title, phenomenon=description,
            cause_analysis=rng.choice(["元器件老化", "雷击导致浪涌", "配置变更未同步", "散热不良"]),
            frequency=rng.choice(["首次", "近三个月 2 次", "每月 1 次"]), corrective_action="更换部件并加固防护",
            improvement_suggestion="建议增加电源浪涌保护和温度监控", analysed_by=engineers[0],
            analysed_on=clock.to_local(at).date()))


def _final_state(rng, age: timedelta) -> TicketStatus:
    """Old tickets are mostly closed; the last two weeks hold the work in progress."""
    if age > timedelta(days=14):
        return rng.choices([S.closed, S.cancelled, S.awaiting_confirmation, S.in_progress], [88, 5, 4, 3])[0]
    if age < timedelta(hours=6):
        return rng.choice([S.new, S.assigned, S.in_progress])
    return rng.choices([S.closed, S.awaiting_confirmation, S.in_progress, S.assigned, S.new, S.cancelled],
                       [40, 20, 20, 10, 6, 4])[0]


def _resolve(rng, t, at, now, lv, late, onsite, engineer):
    """Work until resolved: an on-site visit with a signed record, then awaiting confirmation."""
    budget = lv.resolve_minutes * (rng.uniform(1.1, 2.5) if late else rng.uniform(0.3, 0.95))
    done = min(now, max(at + timedelta(minutes=10), t.received_at + timedelta(minutes=budget)))
    if onsite:
        arrived = at + (done - at) * 0.3
        db.session.add(RepairRecord(
            ticket=t, engineers=[engineer], arrived_at=arrived, departed_at=done, work_done="检查并更换故障部件，测试运行正常",
            parts_replaced=rng.choice(["高频头 x1", "电源模块 x1", "硬盘 4TB x1", None]), result=RepairResult.fixed,
            customer_signer=rng.choice(["李主任", "王科长", "赵工"]), signed_at=done))
    t.resolved_at, t.resolution = done, "已排除故障，系统恢复正常运行"
    t.root_cause = t.root_cause or rng.choice(["部件老化", "配置错误", "网络中断", "操作不当"])
    _event(t, done, engineer, S.in_progress, S.awaiting_confirmation, "处理完毕，请客户确认")
    t.status = S.awaiting_confirmation
    return done


def _event(ticket, at, who, frm, to, note):
    ticket.events.append(TicketEvent(at=at, user_id=who.user_id if who else None, from_status=frm,
                                     to_status=to, note=note))
    if _replay["on"]:
        ticket.status = to
        with acting_as(who.user if who else None, at=at):
            db.session.flush()
