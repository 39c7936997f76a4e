"""Demo staff (the staffing of seed 002 §一), customers, projects and equipment."""
from __future__ import annotations

import random
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models import Contact, Customer, Equipment, Importance, Position, Project, Staff
from ..security.passwords import generate_password

# login, name, position, region, skills
DEMO_STAFF = [
    ("manager", "王建国", Position.manager, "县城本部", "售后管理, 质量控制"),
    ("tech", "李明", Position.tech_engineer, "县城本部", "遥感数据处理, 服务器, 网络, 故障分析"),
    ("field1", "张伟", Position.field_engineer, "东片区", "设备安装调试, 硬件维修"),
    ("field2", "刘洋", Position.field_engineer, "西片区", "设备安装调试, 软件部署"),
    ("cs", "陈静", Position.customer_service, "县城本部", "电话受理, 回访"),
    ("keeper", "赵磊", Position.parts_keeper, "县城备件库", "备件管理, 工具管理"),
]

REGIONS = ["东城镇", "西河乡", "南山镇", "北岭乡", "城关镇", "青石镇", "柳林乡"]
ORG_KINDS = ["自然资源局", "农业农村局", "水利局", "林业站", "气象站", "国土所", "应急管理局"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = ["强", "敏", "军", "丽", "磊", "芳", "勇", "艳", "杰", "娟", "涛", "霞", "斌", "婷"]
PRODUCTS = [
    ("RS-3000", "遥感卫星地面接收站"),
    ("GS-200", "GNSS 基准站接收机"),
    ("DL380", "数据处理服务器"),
    ("NAS-8T", "影像存储阵列"),
    ("UPS-10K", "不间断电源"),
    ("UAV-M6", "航测无人机"),
    ("WS-15", "图像处理工作站"),
]


def seed_people(password: str | None, reset_passwords: bool = False) -> list[str]:
    """The six demo logins and their staff records; prints the password once."""
    sm = current_app.appbuilder.sm
    created, lines = [], []
    password = password or generate_password(*(row[0] for row in DEMO_STAFF))
    for i, (login, name, position, region, skills) in enumerate(DEMO_STAFF, start=1):
        user = sm.find_user(username=login)
        if user is not None and reset_passwords:
            sm.reset_password(user.id, password)
            created.append(login)
        if user is None:
            role = sm.find_role(position.role_name)
            user = sm.add_user(login, name[1:], name[0], f"{login}@demo.invalid", role, password)
            if not user:
                raise RuntimeError(f"could not create demo user {login}")
            created.append(login)
        staff = db.session.scalar(select(Staff).where(Staff.employee_no == f"E{i:03d}"))
        if staff is None:
            db.session.add(
                Staff(
                    employee_no=f"E{i:03d}", name=name, position=position, user_id=user.id,
                    region=region, phone_24h=f"1390000{i:04d}", email=f"{login}@demo.invalid",
                    skills=skills, active=True,
                )
            )
    db.session.flush()
    if created:
        shown = "$DEMO_PASSWORD" if current_app.config.get("DEMO_PASSWORD") else password
        lines.append(f"Demo logins: {', '.join(created)}  password: {shown}")
    else:
        lines.append(
            "Demo logins already exist (passwords unchanged; "
            "`flask seed-demo --reset-passwords` sets a new one)."
        )
    return lines


def seed_customers(rng: random.Random, count: int = 24) -> list[str]:
    """Customers with contacts, projects and installed equipment."""
    existing = set(db.session.scalars(select(Customer.code)))
    added = 0
    today = clock.today_local()
    for n in range(1, count + 1):
        code = f"C{n:04d}"
        if code in existing:
            continue
        region = REGIONS[n % len(REGIONS)]
        importance = Importance.key if n % 6 == 1 else Importance.important if n % 3 == 0 else Importance.normal
        customer = Customer(
            code=code, name=f"{region}{ORG_KINDS[n % len(ORG_KINDS)]}{'' if n <= 7 else n}",
            region=region, address=f"{region}人民路{rng.randint(1, 300)}号",
            phone=f"0871-{rng.randint(6000000, 6999999)}", importance=importance,
        )
        db.session.add(customer)
        for c in range(rng.randint(1, 3)):
            db.session.add(
                Contact(
                    customer=customer, name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    title=["主任", "信息科科长", "技术员"][c % 3],
                    phone=f"13{rng.randint(100000000, 999999999)}", is_primary=c == 0,
                )
            )
        start = today - timedelta(days=rng.randint(60, 1400))
        project = Project(
            customer=customer, code=f"P{n:04d}", name=f"{region}遥感监测系统建设项目",
            contract_no=f"HT-{start.year}-{n:03d}", signed_on=start - timedelta(days=30),
            warranty_start=start, warranty_end=start + timedelta(days=365 * rng.choice([1, 2, 3])),
        )
        db.session.add(project)
        for e in range(rng.randint(2, 4)):
            model, name = PRODUCTS[(n + e) % len(PRODUCTS)]
            db.session.add(
                Equipment(
                    customer=customer, project=project, name=name, model=model,
                    serial_number=f"{model}-{n:04d}-{e + 1:02d}",
                    location=f"{customer.name}{['机房', '楼顶', '办公室', '野外站点'][e % 4]}",
                    install_date=start,
                )
            )
        added += 1
    db.session.flush()
    return [f"Customers: {added} added, {len(existing)} already there."]


def staff_by_login() -> dict[str, Staff]:
    """The staff members who have a login, by login name (the demo's cast)."""
    rows = db.session.scalars(select(Staff).where(Staff.user_id.is_not(None))).all()
    return {s.username: s for s in rows}


def demo_year() -> tuple[date, date]:
    """The twelve months before the current month: the dates of the management records."""
    today = clock.today_local()
    end = today.replace(day=1) - timedelta(days=1)
    return date(end.year - 1, end.month % 12 + 1, 1) if end.month < 12 else date(end.year, 1, 1), end
