"""Each role's home page in 简体中文: urgent queues with their counts and overdue / due marks."""
from __future__ import annotations

import re

import pytest

# login → the panels that role acts on (the seeded demo department fills them)
ROLES = {
    "field1": ["my_tickets"],
    "tech": ["requisitions_to_approve", "my_tickets", "unassigned"],
    "manager": ["requisitions_to_approve", "purchases_to_approve", "overdue"],
    "keeper": ["requisitions_to_issue", "faulty_parts_owed"],
    "cs": ["new_tickets", "due_callbacks"],
    "admin": [],  # users and roles: no department queue of its own
}


@pytest.mark.parametrize("login", list(ROLES))
def test_role_home_shows_queues_counts_and_marks(open_page, live_server, shot, login):
    page = open_page(login, locale="zh_Hans")
    page.goto(live_server("/"))
    for name in ROLES[login]:
        panel = page.locator(f"#panel-{name}")
        assert panel.is_visible(), name
        counts = panel.locator(".panel-count").all_inner_texts()
        assert counts and all(re.fullmatch(r"[\d,]+", n) for n in counts), (name, counts)
    marks = page.locator(".due-mark").all_inner_texts()
    # the keeper's queues carry no deadline (oldest approval first): no marks there
    assert marks or login in ("keeper", "admin"), "the demo department has overdue work for this role"
    assert all(re.fullmatch(r"逾期( \d+ 天)?|今天到期|明天到期|\d+ 天后到期", m) for m in marks), marks
    shot(page, f"home-{login}-zh_Hans")  # the README shows each role's home in 简体中文
