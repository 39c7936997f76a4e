"""Typing into date and date-time boxes and FAB's list filters, as a person does (keyboard, Tab)."""
from __future__ import annotations

from playwright.sync_api import Page, expect


def type_into(page: Page, selector: str, text: str) -> None:
    """Click the box, select what is there, type the new text key by key, Tab out."""
    box = page.locator(selector)
    box.click()
    page.keyboard.press("Escape")  # the calendar opened by the click
    box.press("Control+a")
    box.press("Backspace")
    box.press_sequentially(text)
    box.press("Tab")


def add_filter(page: Page, column: str, operation: str, text: str) -> None:
    """Search panel → Add Filter → column → operation → type the value (FAB's search widget)."""
    panel = page.locator("#filter_form")
    if not panel.is_visible():
        page.locator("a.accordion-toggle").first.click()
        expect(panel).to_be_visible()
    rows = panel.locator("table.filters tr")
    before = rows.count()
    for _attempt in range(3):  # a click while the panel still unfolds can miss the menu: look, and again
        panel.get_by_role("button").filter(has=page.locator(".caret")).first.click()
        panel.locator(f"a.filter[name='{column}']").click()
        try:
            expect(rows).to_have_count(before + 1, timeout=5_000)
            break
        except AssertionError:
            continue
    expect(rows).to_have_count(before + 1)
    row = rows.last
    row.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-results__option", has_text=operation).first.click()
    box = row.locator("input[data-picker]")
    box.click()
    page.keyboard.press("Escape")
    box.press_sequentially(text)
    box.press("Tab")
