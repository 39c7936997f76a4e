"""A customer-service rep working in 简体中文 adds a ticket on the form and lands on the ticket's
own page, where the message and the page show its number."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from .screens import fill_form, messages, record_field, save_form

NUMBER = re.compile(r"^SR-\d{4}-\d{6}$")


def test_cs_rep_sees_the_new_tickets_number(open_page, live_server, shot):
    cs = open_page("cs", locale="zh_Hans")
    cs.goto(live_server("/ticketview/add"))
    fill_form(cs, {"customer": "北岭乡林业站", "channel": "电话", "category": "系统故障", "severity": "一般"},
              {"title": "报表导出缓慢", "description": "客户来电：月报导出需要十分钟以上"})
    save_form(cs)
    assert re.search(r"/ticketview/show/\d+$", cs.url), cs.url
    number = record_field(cs, "工单号")
    assert NUMBER.match(number), number
    assert messages(cs) == [f"工单 {number} 报表导出缓慢 已保存。"]
    expect(cs.locator("body")).to_contain_text(number)
    shot(cs, "ticket-saved-zh_Hans")
