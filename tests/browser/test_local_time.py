"""Lists, record pages and home panels show times in APP_TIMEZONE as `YYYY-MM-DD HH:mm`."""
import re

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import Ticket

WITH_SECONDS = re.compile(r"\d{2}:\d{2}:\d{2}")


def _latest_ticket(live_server) -> tuple[int, str, str]:
    with live_server.app.app_context():
        t = db.session.scalars(sa.select(Ticket).order_by(Ticket.received_at.desc()).limit(1)).one()
        shown = (t.id, t.number, clock.format_datetime(t.received_at))
        db.session.remove()
    return shown


def test_ticket_list_and_page_show_local_received_time(open_page, live_server, shot):
    pk, number, received = _latest_ticket(live_server)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", received)
    page = open_page("manager")
    page.goto(live_server("/ticketview/list/"))
    row = page.locator("table tr", has_text=number)
    assert received in row.inner_text()
    assert not WITH_SECONDS.search(page.locator("table").first.inner_text())
    shot(page, "ticket-list-local-time-en")
    page.goto(live_server(f"/ticketview/show/{pk}"))
    body = page.locator("body").inner_text()
    assert received in body  # the record and the first timeline entry
    assert not WITH_SECONDS.search(body)
    shot(page, "ticket-page-local-time-en")


def test_home_panel_shows_local_deadlines(open_page, live_server, shot):
    with live_server.app.app_context():
        open_tickets = db.session.scalars(sa.select(Ticket).where(Ticket.status == "new")
                                          .order_by(Ticket.received_at.desc()).limit(3)).all()
        deadlines = {clock.format_datetime(t.resolve_by) for t in open_tickets if t.resolve_by}
        db.session.remove()
    page = open_page("cs")
    page.goto(live_server("/"))
    text = page.locator("body").inner_text()
    assert deadlines and any(d in text for d in deadlines)
    assert " AM" not in text and " PM" not in text and not WITH_SECONDS.search(text)
    shot(page, "home-cs-local-time-en")
