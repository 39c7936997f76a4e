"""Demo risk register: technical, personnel and customer risks with their responses."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import Risk, RiskCategory, RiskStatus

# title, category, likelihood, impact, response, warning signs, owner login, status
RISKS = [
    ("接收站伺服驱动板无备件", RiskCategory.technical, 3, 5, "与厂商签订备件寄存协议，县城库保留 1 块", "伺服告警频次上升", "manager", RiskStatus.mitigating),
    ("关键技术人员离职", RiskCategory.personnel, 2, 5, "培养备岗人员，关键操作形成作业指导书", "请假频繁；工作积极性下降", "manager", RiskStatus.monitoring),
    ("客户描述故障不准确延误处理", RiskCategory.customer, 4, 2, "受理时使用故障描述模板，必要时远程查看", "同类工单多次补充信息", "cs", RiskStatus.monitoring),
    ("汛期野外站点无法到达", RiskCategory.technical, 3, 4, "汛前完成巡检与除尘，储备远程维护手段", "气象部门发布暴雨预警", "field1", RiskStatus.identified),
    ("现场工程师超负荷", RiskCategory.personnel, 3, 3, "按片区均衡派单，高峰期由技术支持远程分担", "人均在办工单超过 8 张", "manager", RiskStatus.monitoring),
    ("客户不配合停机维护", RiskCategory.customer, 2, 3, "提前一周书面约定维护窗口", "维护计划多次改期", "cs", RiskStatus.identified),
    ("操作系统漏洞被利用", RiskCategory.technical, 2, 4, "按月安装安全补丁，关闭无用端口", "安全通报涉及所用版本", "tech", RiskStatus.mitigating),
    ("新产品培训不足导致误操作", RiskCategory.personnel, 3, 2, "上线前组织厂商培训与考核", "考核不合格率超过 20%", "tech", RiskStatus.closed),
    ("重点客户满意度下降", RiskCategory.customer, 2, 5, "经理带队回访，制定整改措施", "连续两次回访评分低于 80", "manager", RiskStatus.monitoring),
    ("备件采购周期延长", RiskCategory.technical, 4, 3, "提高关键备件安全库存，开发第二供应商", "供应商交期超过 30 天", "keeper", RiskStatus.mitigating),
]


def seed_risks(people: dict, end: date) -> str:
    known = set(db.session.scalars(sa.select(Risk.title)))
    added = 0
    for n, (title, category, likelihood, impact, response, signs, login, status) in enumerate(RISKS):
        if title in known:
            continue
        db.session.add(Risk(
            title=title, category=category, likelihood=likelihood, impact=impact, response=response,
            warning_signs=signs, owner_id=people[login].id, status=status,
            identified_on=end - timedelta(days=300 - 25 * n), review_on=end + timedelta(days=15 + 10 * n),
        ))
        added += 1
    return f"Risks: {added} added."
