"""The live server answers and every role reaches its home page in Chromium."""
import pytest

ROLES = ["admin", "manager", "tech", "field1", "cs", "keeper"]


@pytest.mark.parametrize("username", ROLES)
def test_home_page_per_role(open_page, live_server, shot, username):
    page = open_page(username)
    page.goto(live_server("/"))
    assert page.locator(".navbar").count() >= 1
    shot(page, f"home-{username}-en")


def test_a_missing_record_is_a_page_in_the_layout(open_page, live_server, shot):
    """A deleted record's old link: the menu stays, the words are the reader's, a way home."""
    page = open_page("cs", locale="zh_Hans")
    response = page.goto(live_server("/ticketview/show/999999"))
    assert response.status == 404
    assert page.locator(".navbar").count() >= 1
    assert "找不到页面" in page.locator(".error-page").inner_text()
    shot(page, "error-404-zh")
    page.locator(".error-page a.btn-primary").click()
    page.wait_for_url(live_server("/"))
