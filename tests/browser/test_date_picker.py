"""The calendar beside every date / date-time box: opens by click, picks a day and a time with the
mouse, speaks the page's language, and never rewrites what was typed (Tab over a filled box)."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from .dates import type_into

CALENDAR = ".flatpickr-calendar.open"


def _open_calendar(page, column: str):
    page.locator(f"input#{column} ~ .input-group-btn [data-picker-open]").click()
    calendar = page.locator(CALENDAR)
    expect(calendar).to_be_visible()
    return calendar


def test_pick_a_day_and_time_with_the_mouse(open_page, live_server, shot):
    page = open_page("field1")
    page.goto(live_server("/repairrecordview/add"))
    calendar = _open_calendar(page, "arrived_at")
    month = calendar.locator(".flatpickr-monthDropdown-months option:checked").inner_text()
    assert month in {"January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"}
    assert calendar.locator(".flatpickr-weekday").first.inner_text().strip() == "Sun"
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text=re.compile(r"^15$")).click()
    calendar.locator(".numInputWrapper:has(.flatpickr-hour) .arrowUp").click()
    calendar.locator(".numInputWrapper:has(.flatpickr-hour) .arrowUp").click()
    calendar.locator(".numInputWrapper:has(.flatpickr-minute) .arrowUp").click()
    shot(page, "date-picker-en")
    page.locator("label[for=work_done]").click()  # somewhere else on the form: the calendar closes
    expect(page.locator(CALENDAR)).to_have_count(0)
    value = page.locator("#arrived_at").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-15 14:01", value), value
    # a date-only box picks a date only
    page.goto(live_server("/maintenancerecordview/add"))
    calendar = _open_calendar(page, "performed_on")
    assert calendar.locator(".flatpickr-time").count() == 0
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text=re.compile(r"^3$")).click()
    expect(page.locator(CALENDAR)).to_have_count(0)
    assert re.fullmatch(r"\d{4}-\d{2}-03", page.locator("#performed_on").input_value())


def test_tab_through_filled_boxes_keeps_them(open_page, live_server):
    page = open_page("field1")
    page.goto(live_server("/repairrecordview/add"))
    type_into(page, "#arrived_at", "2026-12-01T19:30")  # typed forms are kept as typed
    type_into(page, "#departed_at", "2026-12-01 21:05:30")
    page.locator("#arrived_at").click()
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.locator("#arrived_at").input_value() == "2026-12-01T19:30"
    assert page.locator("#departed_at").input_value() == "2026-12-01 21:05:30"
    # a stored value on an edit form: click in, Tab out, nothing changes
    page.goto(live_server("/repairrecordview/list/"))
    page.goto(live_server(page.locator("table a[href*='/edit/']").first.get_attribute("href")))
    stored = page.locator("#arrived_at").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", stored), stored
    page.locator("#arrived_at").click()
    page.keyboard.press("Tab")
    assert page.locator("#arrived_at").input_value() == stored
    assert page.locator("#departed_at").input_value() != date.today().isoformat()


@pytest.mark.parametrize("locale, weekday", [("zh_Hans", "周一"), ("zh_Hant", "週一")])
def test_calendar_speaks_chinese(open_page, live_server, shot, locale, weekday):
    page = open_page("field1", locale=locale)
    page.goto(live_server("/repairrecordview/add"))
    calendar = _open_calendar(page, "signed_at")
    month = calendar.locator(".flatpickr-monthDropdown-months option:checked").inner_text()
    assert re.fullmatch(r"[一二三四五六七八九十]+月", month), month
    assert calendar.locator(".flatpickr-weekday").first.inner_text().strip() == weekday  # weeks start on Monday
    assert page.locator("#signed_at").get_attribute("placeholder").startswith("年-月-日")
    shot(page, f"date-picker-{locale}")
