"""A CS rep in 简体中文 opens a customer from the customer list and reads the customer's story."""
from __future__ import annotations

import re

from playwright.sync_api import expect


def test_cs_rep_opens_a_customer_and_sees_its_story(open_page, live_server, shot):
    page = open_page("cs", locale="zh_Hans")
    page.goto(live_server("/customerview/list/"))
    first = page.locator("table tbody tr").first
    name = first.locator("td").nth(2).inner_text().strip() or first.inner_text()
    first.locator('a[href*="/customerview/show/"]').first.click()
    expect(page).to_have_url(re.compile(r"/customerview/show/\d+"))
    for panel, title in (("contacts", "联系人"), ("projects", "项目"), ("equipment", "设备"),
                         ("open-tickets", "未关闭工单"), ("past-tickets", "历史工单"), ("callbacks", "回访记录"),
                         ("complaints", "投诉"), ("surveys", "满意度")):
        box = page.locator(f"#story-{panel}")
        expect(box).to_be_visible()
        expect(box).to_contain_text(title)
        assert re.fullmatch(r"\d+", box.locator(".panel-count").first.inner_text()), panel
    expect(page.locator("#story-surveys .satisfaction-trend tr")).to_have_count(4)
    assert page.locator(".warranty-state").count() >= 1
    expect(page.locator("#story-past-tickets .see-all-tickets")).to_contain_text("查看该客户的全部工单")
    shot(page, "customer-story-cs-zh")
    assert name
