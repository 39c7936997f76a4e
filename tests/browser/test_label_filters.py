"""Filters and sorts of coded columns in words, in 简体中文: the status filter offers the statuses'
names (never codes such as in_progress), choosing one filters the list, and sorting by severity
goes by rank (emergency, important, general), not by the alphabet of the codes."""
from __future__ import annotations

from flask_babel import force_locale
from playwright.sync_api import expect

from app.models import Severity, TicketStatus

from .screens import saving


def _column_texts(page, header: str) -> list[str]:
    """The cells under a list column, found by its heading."""
    heads = [h.strip() for h in page.locator("table.table thead th").all_inner_texts()]
    index = next(i for i, h in enumerate(heads) if h.startswith(header))
    return [t.strip() for t in page.locator(f"table.table tbody tr td:nth-child({index + 1})").all_inner_texts()]


def test_status_filter_offers_names_and_severity_sorts_by_rank(open_page, live_server, shot):
    def app_labels(enum_cls) -> dict[str, str]:
        with live_server.app.test_request_context(), force_locale("zh_Hans"):
            return {m.value: m.label for m in enum_cls}

    page = open_page("manager", locale="zh_Hans")
    page.goto(live_server("/ticketview/list/"))
    panel = page.locator("#filter_form")
    if not panel.is_visible():
        page.locator("a.accordion-toggle").first.click()
        expect(panel).to_be_visible()
    panel.get_by_role("button").filter(has=page.locator(".caret")).first.click()
    panel.locator("a.filter[name='status']").click()
    row = panel.locator("table.filters tr").last
    value = row.locator("select").last
    offered = [t.strip() for t in value.locator("option").all_inner_texts() if t.strip()]
    names = app_labels(TicketStatus)
    assert set(offered) >= set(names.values()) - {""}, offered
    assert not set(offered) & {s.value for s in TicketStatus}, f"codes offered: {offered}"
    value.select_option(label=names["in_progress"])
    with saving(page):
        panel.locator("button[type=submit]").click()
    statuses = _column_texts(page, "状态")
    assert statuses and set(statuses) == {names["in_progress"]}, statuses
    shot(page, "ticket-list-status-filter-zh_Hans")

    # sort by severity: by rank, both ways
    ranks = {label: i for i, label in enumerate(app_labels(Severity)[s.value] for s in Severity)}
    page.goto(live_server("/ticketview/list/?_oc_TicketView=severity&_od_TicketView=desc&psize_TicketView=100"))
    shown = [ranks[t] for t in _column_texts(page, "紧急程度")]
    assert shown[0] == 2 and len(set(shown)) > 1 and shown == sorted(shown, reverse=True), shown  # 紧急, then 重要…
    page.goto(live_server("/ticketview/list/?_oc_TicketView=severity&_od_TicketView=asc&psize_TicketView=100"))
    shown = [ranks[t] for t in _column_texts(page, "紧急程度")]
    assert shown == sorted(shown), shown
