"""The administrator opens a login for a new parts keeper on FAB's user form; the new keeper
logs in and lands on the keeper's home page."""
from __future__ import annotations

from playwright.sync_api import expect

from .screens import choose, messages, save_form

GOOD_PASSWORD = "仓库夜班-peony-2026"


def test_admin_opens_a_parts_keeper_login(open_page, live_server, shot):
    admin = open_page("admin")
    admin.goto(live_server("/users/list/"))
    admin.locator("a[href*='/users/add']").first.click()
    admin.fill("#first_name", "晓")
    admin.fill("#last_name", "孙")
    admin.fill("#username", "keeper2")
    admin.fill("#email", "keeper2@service.invalid")
    choose(admin, "roles", "Parts Keeper")
    admin.fill("#password", "short-pw")
    admin.fill("#conf_password", "short-pw")
    save_form(admin)
    # too short: refused with the reason, nothing created, the form is shown again
    expect(admin.locator("#password")).to_be_visible()
    refusal = admin.locator(".help-block, .alert").all_inner_texts()
    assert any("12" in text for text in refusal), refusal
    admin.fill("#password", GOOD_PASSWORD)
    admin.fill("#conf_password", GOOD_PASSWORD)
    save_form(admin)
    # the new login's own page, named as a Chinese name is written: family name first
    assert "/users/show/" in admin.url, admin.url
    assert messages(admin) == ["User 孙晓 saved."]
    admin.goto(live_server("/users/list/"))
    expect(admin.locator("table tr", has_text="keeper2")).to_contain_text("Parts Keeper")

    keeper = open_page("keeper2", password=GOOD_PASSWORD)
    keeper.goto(live_server("/"))
    expect(keeper.locator(".lead")).to_contain_text("晓")
    expect(keeper.locator(".label-primary")).to_have_text("Parts Keeper")
    expect(keeper.locator("#panel-requisitions_to_issue")).to_be_visible()
    shot(keeper, "home-new-keeper-en")
