"""Demo weekly technical meetings with attendees and action items."""
from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import ActionItem, Meeting

TOPICS = ["上周故障汇总与疑难问题讨论", "巡检发现隐患的处理", "备件消耗与库存预警", "客户回访意见分析",
          "软件升级方案评审", "知识库条目审核"]


ACTIONS = ["编写故障分析报告", "更新知识库条目", "联系厂商确认备件交期", "安排现场复查", "整理巡检报告",
           "回访客户确认问题解决", "评估升级方案可行性"]


def seed_meetings(rng: random.Random, people: dict, start: date, end: date) -> str:
    """Every Monday's technical meeting with two or three action items."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)):
        return "Meetings: already there."
    attendees = [people[login] for login in ("manager", "tech", "field1", "field2", "cs", "keeper")]
    owners = [people[login] for login in ("tech", "field1", "field2", "cs", "keeper")]
    day = start + timedelta(days=(7 - start.weekday()) % 7)
    added = 0
    today = clock.today_local()
    while day <= end:
        week = day.isocalendar().week
        topics = rng.sample(TOPICS, 2)
        meeting = Meeting(
            held_on=day, title=f"第{week}周技术例会", location="县城本部会议室", host_id=people["tech"].id,
            attendees=[a for a in attendees if a.username != "keeper" or week % 2 == 0],
            discussion="；".join(topics), decisions=f"针对“{topics[0]}”形成处理意见，责任到人",
        )
        for _ in range(rng.randint(2, 3)):
            due = day + timedelta(days=rng.choice([3, 7, 14]))
            done = due < today - timedelta(days=7) or rng.random() < 0.3
            meeting.action_items.append(ActionItem(
                description=rng.choice(ACTIONS), owner_id=rng.choice(owners).id, due_on=due, done=done,
                done_on=due - timedelta(days=rng.randint(0, 2)) if done else None))
        db.session.add(meeting)
        added += 1
        day += timedelta(days=7)
    return f"Meetings: {added} weekly meetings."
