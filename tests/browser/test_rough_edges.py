"""What only a browser shows of the rough edges: a navbar on one row, the favicon, line breaks,
the 1–5 buttons, a too-long text kept with its message."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import Ticket, TicketStatus
from tests.browser.screens import save_form, saving

ROLES = ["admin", "manager", "tech", "field1", "cs", "keeper"]


@pytest.mark.parametrize("username", ROLES)
def test_the_english_navbar_is_one_row_at_1400(open_page, live_server, shot, username):
    page = open_page(username, width=1400)
    page.goto(live_server("/customerview/list/"))  # a long page: the scroll bar takes its width too
    # one row of Bootstrap 3's navbar is 50 px; a wrapped menu makes it 100 or more
    height = page.locator(".navbar").first.evaluate("e => e.getBoundingClientRect().height")
    tops = page.locator(".navbar-nav > li").evaluate_all("els => els.map(e => e.getBoundingClientRect().top)")
    if username == "admin":
        shot(page, "navbar-admin-1400-en", full_page=False)
    assert height < 60 and max(tops) - min(tops) < 5, (username, height, tops)
