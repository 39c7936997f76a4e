"""The key screens in 简体中文 and 繁體中文 show no English: every visible text, title and
placeholder is checked for Latin words (codes, numbers, record numbers, usernames and brand
names aside)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Ticket, TicketStatus
from tests.shards import mine

from .screens import english_left

# (login, page): each role's home and the screens they work on
PAGES = [
    ("cs", "/"), ("cs", "/ticketview/list/"), ("cs", "/ticketview/add"), ("cs", "{ticket}"),
    ("tech", "/"), ("tech", "/solutionplanview/add"),
    ("field1", "/"), ("field1", "/repairrecordview/add"), ("field1", "/requisitionview/add"),
    ("keeper", "/"), ("keeper", "/stock_post/receive"), ("keeper", "/stockbalanceview/list/"),
    ("manager", "/"), ("manager", "/dashboard/"), ("manager", "/kpi/"),
    ("admin", "/"),
]
SHOTS = {("manager", "/"): "home-manager", ("manager", "/dashboard/"): "dashboard", ("cs", "/"): "home-cs",
         ("manager", "/kpi/"): "kpi", ("cs", "/ticketview/list/"): "tickets"}


def _open_ticket(app) -> int:
    with app.app_context():
        ticket_id = db.session.scalar(sa.select(Ticket.id).where(Ticket.status == TicketStatus.in_progress)
                                      .order_by(Ticket.id))
        db.session.remove()
    return ticket_id


# one language per CI run (tests/shards.py): the same pages and catalogs' machinery, once each
@pytest.mark.parametrize("locale", mine(["zh_Hans", "zh_Hant"]))
def test_no_english_left(open_page, live_server, shot, locale):
    ticket = f"/ticketview/show/{_open_ticket(live_server.app)}"
    pages, left = {}, {}
    for login, path in PAGES:
        page = pages.get(login) or pages.setdefault(login, open_page(login, locale=locale))
        path = path.format(ticket=ticket)
        page.goto(live_server(path))
        if path == "/dashboard/":
            page.wait_for_function("""() => [...document.querySelectorAll('.chart-box')].every(
                (b) => b.querySelector('canvas, svg, .empty-state, .chart-error'))""")
            page.wait_for_load_state("networkidle")
        found = english_left(page)
        if found:
            left[f"{login} {path}"] = found
        if (login, path) in SHOTS:
            shot(page, f"{SHOTS[login, path]}-{locale}")
    assert not left, "English on Chinese pages:\n" + "\n".join(f"{k}: {v}" for k, v in left.items())
