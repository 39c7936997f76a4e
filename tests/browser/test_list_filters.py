"""Every date and date-time filter of every list, typed into with the keyboard (the first of the
sweep's parts, filter_sweep.py); on the ticket list, a filter one minute either side of a ticket's
local receive time must take it in or leave it out.
"""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from app import clock
from app.extensions import db
from app.models import Ticket

from .filter_sweep import every_date_filter_is_applied_as_typed, search


def test_every_date_filter_is_applied_as_typed(open_page, live_server):
    every_date_filter_is_applied_as_typed(open_page, live_server, part=0)


def test_ticket_filter_reads_local_time_to_the_minute(open_page, live_server, shot):
    with live_server.app.app_context():
        ticket = db.session.scalars(sa.select(Ticket).order_by(Ticket.received_at.desc())).first()
        number, received = ticket.number, clock.to_local(ticket.received_at).replace(tzinfo=None)
        db.session.remove()
    page = open_page("manager")
    before = (received - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
    after = (received + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")

    page.goto(live_server("/ticketview/list/"))
    search(page, "received_at", "Greater than", before)
    expect(page.locator("table.table-bordered")).to_contain_text(number)
    shot(page, "ticket-list-filtered-en")

    page.goto(live_server("/ticketview/list/"))
    search(page, "received_at", "Greater than", after)
    expect(page.locator("body")).not_to_contain_text(number)

    page.goto(live_server("/ticketview/list/"))
    search(page, "received_at", "Smaller than", after)
    expect(page.locator("table.table-bordered")).to_contain_text(number)
