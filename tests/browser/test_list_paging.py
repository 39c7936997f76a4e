"""Paging on past the counted rows: the demo's audit trail holds more than 10 000 entries."""
import re


def _shown(page) -> list[str]:
    hrefs = page.locator("table a[href*='/auditlogview/show/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [re.search(r"/show/(\d+)", h).group(1) for h in hrefs]


def test_next_after_the_last_counted_page_goes_on_where_it_ended(open_page, live_server, shot):
    """» opens the last counted page (found by its number), > the next: the one after it, read from
    where the page before ended (its link says so), the same rows its number finds."""
    page = open_page("manager")
    page.goto(live_server("/auditlogview/list/"))
    assert "more than 10,000" in page.locator(".well").inner_text()
    page.locator("ul.pagination a", has_text="»").click()
    page.wait_for_url(re.compile(r"page_AuditLogView=200"))
    deep = _shown(page)
    assert len(deep) == 50
    page.locator("ul.pagination a", has_text=">").last.click()
    page.wait_for_url(re.compile(r"page_AuditLogView=201"))
    assert "after_AuditLogView=" in page.url
    following = _shown(page)
    assert len(following) == 50 and not set(following) & set(deep)
    assert page.locator("ul.pagination li.active").inner_text().strip() == "202"
    shot(page, "audit-log-deep-page-en")
    page.goto(live_server("/auditlogview/list/?page_AuditLogView=201"))
    assert _shown(page) == following
