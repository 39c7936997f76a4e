"""Demo spare parts: catalogue, warehouses, tools, and a year of stock history posted through the services."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app, g

from .. import clock
from ..extensions import db
from ..models import DefectiveReturn, Part, ReturnStatus, Staff, StockMovement, Ticket, Tool, ToolLoan, Warehouse
from ..models.base import utcnow
from ..models.tools import ToolKind, ToolStatus
from ..security.audit import set_clock
from ..services import defective, purchasing, stock
from ..services import parts as req_svc
from ..services.common import current_staff

WAREHOUSES = [("W01", "县城备件库", "县城工业园区 3 号库房"), ("W02", "东片区备件点", "东城镇服务站"),
              ("W03", "西片区备件点", "西河乡服务站")]
# category, items (name, spec, unit, base cost, key part, faulty unit comes back)
CATALOGUE = [
    ("电源", [("开关电源模块", "24V/10A", "个", 380, True, True), ("UPS 电池", "12V 100Ah", "块", 920, True, True),
              ("电源适配器", "12V/5A", "个", 85, False, True), ("保险丝", "5A 慢熔", "个", 2, False, False)]),
    ("存储", [("企业级硬盘", "8TB SAS", "块", 1650, True, True), ("固态硬盘", "1.92TB SATA", "块", 1280, True, True),
              ("RAID 卡", "12Gb/s", "块", 2300, True, True), ("内存条", "32GB DDR4 ECC", "条", 760, False, True)]),
    ("网络", [("光模块", "10G SFP+ 多模", "个", 260, True, True), ("交换机", "24 口千兆", "台", 1850, True, True),
              ("网线", "超六类 3m", "根", 18, False, False), ("光纤跳线", "LC-LC 5m", "根", 35, False, False)]),
    ("接收站", [("低噪声放大器", "X 波段", "台", 8600, True, True), ("下变频器", "X/L 波段", "台", 12800, True, True),
               ("伺服驱动器", "400W", "台", 3400, True, True), ("编码器", "17 位绝对值", "个", 1900, False, True)]),
    ("GNSS", [("GNSS 天线", "三频扼流圈", "个", 4200, True, True), ("天线电缆", "LMR400 30m", "根", 460, False, False),
              ("防雷器", "N 型", "个", 310, False, True)]),
    ("无人机", [("螺旋桨", "M6 22 寸", "副", 240, False, False), ("智能电池", "M6 6S 16000mAh", "块", 2600, True, True),
               ("云台相机", "4500 万像素", "台", 16800, True, True), ("图传模块", "5.8G", "个", 1350, False, True)]),
    ("工作站", [("显卡", "24GB 专业卡", "块", 6900, False, True), ("显示器", "27 寸 4K", "台", 2100, False, True),
               ("键鼠套装", "有线", "套", 120, False, False)]),
    ("耗材", [("导热硅脂", "5g", "支", 25, False, False), ("除尘刷", "防静电", "把", 15, False, False),
             ("扎带", "4×200 100 根", "包", 9, False, False), ("标签纸", "40×30", "卷", 22, False, False)]),
]
VARIANTS = ["A", "B", "C", "D", "E", "F", "G"]
TOOLS = [("万用表", ToolKind.instrument), ("光功率计", ToolKind.instrument), ("网络测试仪", ToolKind.instrument),
         ("频谱仪", ToolKind.instrument), ("兆欧表", ToolKind.instrument), ("热风枪", ToolKind.tool),
         ("压线钳", ToolKind.tool), ("光纤熔接机", ToolKind.instrument), ("扭力扳手", ToolKind.tool),
         ("笔记本电脑 (维护)", ToolKind.tool), ("GNSS 测试接收机", ToolKind.instrument), ("登高梯", ToolKind.tool)]


def seed_parts(rng: random.Random) -> list[str]:
    """Catalogue, warehouses and tools (by natural key), then a year of stock history once."""
    warehouses = _warehouses()
    added = _catalogue(rng)
    tools = _tools(rng, warehouses[0])
    lines = [f"Parts: {added} added; warehouses: {len(warehouses)}; tools: {tools} added."]
    if db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement)):
        lines.append("Stock history already there.")
        return lines
    db.session.commit()
    lines.append(_history(rng, warehouses))
    return lines


def _warehouses() -> list[int]:
    ids = []
    for code, name, location in WAREHOUSES:
        wh = db.session.scalar(sa.select(Warehouse).where(Warehouse.code == code))
        if wh is None:
            wh = Warehouse(code=code, name=name, location=location)
            db.session.add(wh)
            db.session.flush()
        ids.append(wh.id)
    return ids


def _catalogue(rng: random.Random) -> int:
    existing = set(db.session.scalars(sa.select(Part.code)))
    added, n = 0, 0
    for category, items in CATALOGUE:
        for name, spec, unit, cost, key, back in items:
            for variant in VARIANTS:
                n += 1
                code = f"BJ-{n:04d}"
                if code in existing:
                    continue
                price = Decimal(cost) * Decimal(str(round(rng.uniform(0.85, 1.25), 2)))
                point = 0 if rng.random() < 0.1 else rng.choice([2, 3, 5, 10]) * (3 if cost < 50 else 1)
                db.session.add(Part(
                    code=code, name=f"{name} {variant} 型", spec=spec, unit=unit, category=category, is_key=key,
                    safety_stock=point // 2, reorder_point=point, reorder_qty=max(2, point * 2),
                    standard_cost=price.quantize(Decimal("0.01")), expects_return=back))
                added += 1
    db.session.flush()
    return added


def _tools(rng: random.Random, warehouse_id: int) -> int:
    added = 0
    today = clock.today_local()
    for i, (name, kind) in enumerate(TOOLS, start=1):
        code = f"GJ-{i:03d}"
        if db.session.scalar(sa.select(Tool.id).where(Tool.code == code)):
            continue
        db.session.add(Tool(
            code=code, name=name, kind=kind, model=f"M-{rng.randint(100, 999)}", serial_number=f"TS-{i:04d}",
            warehouse_id=warehouse_id, last_upkeep_on=today - timedelta(days=rng.randint(10, 200)),
            upkeep_interval_days=180,
            calibration_due_on=today + timedelta(days=rng.randint(-10, 300)) if kind is ToolKind.instrument else None))
        added += 1
    db.session.flush()
    return added


def _as(login: str, at: datetime | None = None) -> None:
    """Act as a demo login (at a time of the demo year): postings and the audit trail carry who and when."""
    g.user = current_app.appbuilder.sm.find_user(username=login)
    set_clock(at)


def _history(rng: random.Random, warehouses: list[int]) -> str:
    """A year: opening receipts, weekly requisitions, monthly reorders, transfers, a stocktake."""
    parts = db.session.scalars(sa.select(Part).order_by(Part.code)).all()
    tickets = db.session.execute(sa.select(Ticket.id, Ticket.assignee_id).order_by(Ticket.id).limit(300)).all()

    engineers = db.session.scalars(sa.select(Staff.id).where(Staff.employee_no.in_(["E003", "E004"]))).all()
    if not engineers or current_app.appbuilder.sm.find_user(username="keeper") is None:
        return "Stock history skipped: demo staff missing."
    start = clock.from_local(datetime.combine(clock.today_local() - timedelta(days=365), time(9)))  # 09:00 local
    main = warehouses[0]
    with current_app.test_request_context():
        try:
            _as("keeper", start)
            for part in parts:  # opening stock 期初
                stock.receive(part.id, main, part.reorder_point * 2 + rng.randint(2, 6), part.standard_cost,
                              "期初-2025", posted_at=start)
            db.session.commit()
            slips = 0
            for week in range(1, 52):
                day = start + timedelta(days=7 * week)
                slips += _week_of_requisitions(rng, parts, tickets, engineers, main, day,
                                               until=start + timedelta(days=365))
                if week % 4 == 0:
                    _reorder(day, main)
                if week % 6 == 0:
                    _transfer(rng, parts, main, warehouses[1 + week % 2], day)
                db.session.commit()
            _stocktake(rng, main)
            _lend_tools(rng, engineers)
            _open_work(rng, parts, tickets, main)
            db.session.commit()
        finally:
            set_clock(None)  # later seeds write at the real time
    count = db.session.scalar(sa.select(sa.func.count()).select_from(StockMovement))
    return f"Stock history: {count} movements, {slips} requisition slips."


def _asker(ticket, login: str) -> str:
    """Who asks parts for the ticket: its engineer's login (a field engineer asks for their own work only)."""
    if ticket is None or ticket.assignee_id is None:
        return login
    staff = db.session.get(Staff, ticket.assignee_id)
    return staff.user.username if staff is not None and staff.user is not None else login


def _week_of_requisitions(rng, parts, tickets, engineers, warehouse, day, until) -> int:
    made = 0
    popular = parts[: len(parts) // 4]  # a quarter of the catalogue takes most of the demand
    for _ in range(rng.randint(4, 8)):
        pool = popular if rng.random() < 0.7 else parts
        chosen = rng.sample(pool, rng.randint(1, 3))
        ticket = rng.choice(tickets) if tickets else None
        _as(_asker(ticket, "field1" if rng.random() < 0.5 else "field2"), day)
        req = req_svc.create_requisition(rng.choice(engineers), warehouse,
                                         [(p.id, rng.randint(1, 3)) for p in chosen], ticket_id=ticket and ticket.id,
                                         purpose="现场维修更换")
        req.requested_at = day
        _as("tech" if rng.random() < 0.7 else "manager", day + timedelta(hours=2))
        if rng.random() < 0.05:
            req_svc.decide_requisition(req.id, False, "库存件可修复, 先修复旧件")
            continue
        req_svc.decide_requisition(req.id, True)
        req.approved_at = day + timedelta(hours=2)
        _as("keeper", day + timedelta(hours=3))
        quantities = {}
        for line in req.lines:
            on_hand = stock.balance(line.part_id, warehouse)[0]
            quantities[line.id] = min(line.qty_requested, on_hand)
        if any(quantities.values()):
            req_svc.issue_requisition(req.id, {k: v for k, v in quantities.items() if v},
                                      posted_at=day + timedelta(hours=3))
            _faulty_parts_back(rng, req, day, until)
        made += 1
    return made


FAULTS = ["通电无反应", "电容鼓包", "接口氧化", "屏幕花屏", "风扇异响", "烧毁"]
FATES = [ReturnStatus.repaired] * 3 + [ReturnStatus.returned_to_vendor] * 2 + [ReturnStatus.scrapped]


def _faulty_parts_back(rng, req, day, until) -> None:
    """The engineer hands the faulty units back within a week, each with its serial; the keeper logs
    them and, after a few weeks, their fate. The last fortnight's (and a few stragglers) are still owed."""
    units = db.session.scalars(sa.select(DefectiveReturn).where(DefectiveReturn.requisition_id == req.id)).all()
    back_at = day + timedelta(days=rng.randint(1, 6), hours=2)
    engineer = db.session.get(Staff, req.engineer_id)
    if not units or back_at > until - timedelta(days=14) or rng.random() < 0.04 or engineer.user is None:
        return
    _as(engineer.user.username, back_at)
    defective.hand_back([(u.id, f"SN{rng.randint(10**7, 10**8 - 1)}", rng.choice(FAULTS)) for u in units])
    _as("keeper", back_at + timedelta(hours=3))
    for unit in units:
        defective.receive(unit.id, None, None)
    if back_at < until - timedelta(days=30):
        _as("keeper", back_at + timedelta(days=rng.randint(7, 20)))
        for unit in units:
            defective.close(unit.id, rng.choice(FATES))


def _reorder(day, warehouse) -> None:
    if not purchasing.reorder_list(1):
        return
    _as("keeper", day + timedelta(hours=5))
    pr = purchasing.purchase_from_reorder(warehouse)
    pr.requested_at = day
    _as("manager", day + timedelta(hours=6))
    purchasing.decide_purchase(pr.id, True)
    _as("keeper", day + timedelta(days=5))
    receipts = {line.id: (line.qty, (line.est_unit_cost * Decimal("1.03")).quantize(Decimal("0.01")))
                for line in pr.lines}
    purchasing.receive_purchase(pr.id, receipts, f"送货单-{pr.number}", posted_at=day + timedelta(days=5))


def _transfer(rng, parts, src, dst, day) -> None:
    _as("keeper", day + timedelta(hours=7))
    for part in rng.sample(parts, 5):
        qty = min(2, stock.balance(part.id, src)[0])
        if qty:
            stock.transfer(part.id, src, dst, qty, f"调拨-{day:%Y%m%d}", posted_at=day)


def _stocktake(rng, warehouse) -> None:
    """One approved count with a few variances in the county-town store."""
    _as("keeper")
    st = purchasing.start_stocktake(warehouse)
    counts = {}
    for line in st.lines:
        drift = rng.choice([0] * 12 + [-1, 1])
        counts[line.id] = max(0, line.book_qty + drift)
    purchasing.record_count(st.id, counts)
    purchasing.submit_stocktake(st.id)
    _as("manager")
    purchasing.approve_stocktake(st.id)


def _lend_tools(rng, engineers) -> None:
    tools = db.session.scalars(sa.select(Tool).where(Tool.status == ToolStatus.available).order_by(Tool.code)).all()
    for tool in tools[:4]:
        if tool.calibration_due_on and tool.calibration_due_on < clock.today_local():
            continue
        db.session.add(ToolLoan(tool_id=tool.id, borrower_id=rng.choice(engineers), purpose="现场维修",
                                lent_at=utcnow() - timedelta(days=rng.randint(2, 20)),
                                due_on=clock.today_local() + timedelta(days=rng.randint(-5, 10))))
        tool.status = ToolStatus.lent


def _open_work(rng, parts, tickets, warehouse) -> None:
    """What waits on Monday morning: slips to approve and a purchase request for the manager."""
    for login in ("field1", "field2"):
        ticket = rng.choice(tickets) if tickets else None
        _as(_asker(ticket, login))
        me = current_staff()  # the ticket's engineer may be a tech engineer, who names the engineer
        req_svc.create_requisition(me and me.id, warehouse, [(p.id, rng.randint(1, 2)) for p in rng.sample(parts, 2)],
                                   ticket_id=ticket and ticket.id, purpose="待审批")
    if purchasing.reorder_list(1):
        _as("keeper")
        purchasing.purchase_from_reorder(warehouse)
