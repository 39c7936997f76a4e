"""The live server answers and every role reaches its home page in Chromium."""
import pytest

ROLES = ["admin", "manager", "tech", "field1", "cs", "keeper"]


@pytest.mark.parametrize("username", ROLES)
def test_home_page_per_role(open_page, live_server, shot, username):
    page = open_page(username)
    page.goto(live_server("/"))
    assert page.locator(".navbar").count() >= 1
    shot(page, f"home-{username}-en")
