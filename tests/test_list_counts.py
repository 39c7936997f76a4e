"""A screen's list counts its rows only so far: past COUNT_LIMIT (and a few pages past the page shown)
it says "more than …"; the API's count stays exact."""
import re

import pytest

from app.extensions import db
from app.views import list_query
from tests.conftest import api_headers, count_queries
from tests.records import make_customer


@pytest.fixture
def sixty_customers(app, monkeypatch):
    for n in range(1, 61):
        make_customer(app, n)
    monkeypatch.setattr(list_query, "COUNT_LIMIT", 20)
    monkeypatch.setattr(list_query, "PAGES_AHEAD", 0)


def record_count(html: str) -> str:
    return re.sub(r"\s+", " ", re.search(r"Record Count:</strong>(.*?)</div>", html, re.S).group(1)).strip()


def test_a_long_list_says_more_than_and_offers_the_next_pages(client, as_user, sixty_customers):
    as_user("cs")
    first = client.get("/customerview/list/?psize_CustomerView=25").get_data(as_text=True)
    assert record_count(first) == "more than 25"  # max(COUNT_LIMIT, 1 page × 25)
    assert "page_CustomerView=1" in first
    second = client.get("/customerview/list/?psize_CustomerView=25&page_CustomerView=1").get_data(as_text=True)
    assert record_count(second) == "more than 50"
    assert "page_CustomerView=2" in second
    last = client.get("/customerview/list/?psize_CustomerView=25&page_CustomerView=2").get_data(as_text=True)
    assert record_count(last) == "60"  # counted to 75: all of them
    assert last.count("/customerview/show/") == 10


def test_the_count_reads_no_further_than_it_shows(app, client, as_user, sixty_customers):
    as_user("cs")
    with app.app_context(), count_queries(db.engine) as statements:
        client.get("/customerview/list/?psize_CustomerView=25")
    counts = [s for s in statements if "count(*)" in s.lower() and "customer" in s.lower()]
    assert counts and all("LIMIT" in s.upper() for s in counts)


@pytest.mark.parametrize(("language", "said"), [("zh_Hans", "超过 25 条"), ("zh_Hant", "超過 25 筆")])
def test_more_than_in_chinese(client, as_user, sixty_customers, language, said):
    as_user("cs")
    client.get(f"/lang/{language}")
    html = client.get("/customerview/list/?psize_CustomerView=25").get_data(as_text=True)
    assert said in re.sub(r"\s+", " ", html)


def test_a_short_list_and_the_api_count_exactly(app, client, as_user, sixty_customers):
    resp = client.get("/api/v1/customer/?q=(page_size:25)", headers=api_headers(client, "cs"))
    assert resp.status_code == 200 and resp.json["count"] == 60
    as_user("cs")
    html = client.get("/customerview/list/?psize_CustomerView=100").get_data(as_text=True)
    assert record_count(html) == "60"  # counted to 100


def test_a_deep_page_counts_from_its_own_walk_and_a_page_past_the_end_counts_again(client, as_user, sixty_customers):
    """Past COUNT_LIMIT a page's keys and the next pages' are read in one walk; a page past the end
    finds none there and falls back to the bounded count."""
    as_user("cs")
    deep = client.get("/customerview/list/?psize_CustomerView=10&page_CustomerView=3").get_data(as_text=True)
    assert record_count(deep) == "more than 40" and deep.count("/customerview/show/") == 10  # rows 31–40 of 41+
    end = client.get("/customerview/list/?psize_CustomerView=10&page_CustomerView=5").get_data(as_text=True)
    assert record_count(end) == "60" and end.count("/customerview/show/") == 10
    past = client.get("/customerview/list/?psize_CustomerView=10&page_CustomerView=9").get_data(as_text=True)
    assert record_count(past) == "60" and "/customerview/show/" not in past


def _shown(html: str) -> list[str]:
    return re.findall(r'href="/customerview/show/(\d+)"', html)


def _next_link(html: str) -> str:
    return re.search(r'<a href="([^"]+)">&gt;</a>', html).group(1).replace("&amp;", "&")


def test_a_deep_page_links_the_next_with_its_cursor_and_the_next_seeks_there(app, client, as_user, sixty_customers):
    """The pager's link to the next deep page carries where it starts: that page seeks to it in the
    sort index and shows the rows the page number shows."""
    as_user("cs")
    deep = client.get("/customerview/list/?psize_CustomerView=10&page_CustomerView=3").get_data(as_text=True)
    link = _next_link(deep)
    assert "page_CustomerView=4" in link and "after_CustomerView=" in link
    with app.app_context(), count_queries(db.engine) as statements:
        sought = client.get(link).get_data(as_text=True)
    by_number = client.get("/customerview/list/?psize_CustomerView=10&page_CustomerView=4").get_data(as_text=True)
    assert _shown(sought) == _shown(by_number) and len(_shown(sought)) == 10
    assert record_count(sought) == record_count(by_number)
    # the walk starts at the row before the page (SQLite's compiler writes "OFFSET 0" with every LIMIT)
    walks = [s for s in statements if "FROM customer" in s and "ORDER BY" in s and "LIMIT" in s]
    assert any("(customer.name, customer.id) >" in s for s in walks)
    # the cursor of page 4 is not carried to the pager's other links from there
    assert "page_CustomerView=2" in sought and all(
        "after_" not in link or "page_CustomerView=5" in link
        for link in re.findall(r'href="([^"]*page_CustomerView=[^"]*)"', sought))


@pytest.mark.parametrize("cursor", ["garbage", "W10", "WzMsMTAsIm5hbWUiLCJhc2MiLCJ4IiwxXQ"])
def test_a_cursor_that_does_not_fit_the_page_is_ignored(client, as_user, sixty_customers, cursor):
    """Not base64 / JSON, an empty list, one made for page 3: the page is found by its number."""
    as_user("cs")
    url = "/customerview/list/?psize_CustomerView=10&page_CustomerView=4"
    assert _shown(client.get(f"{url}&after_CustomerView={cursor}").get_data(as_text=True)) == \
        _shown(client.get(url).get_data(as_text=True))


def test_a_sort_by_meaning_has_no_cursor(client, as_user, sixty_customers):
    """Importance sorts by rank, not by the stored code: only walking finds its pages."""
    as_user("cs")
    html = client.get("/customerview/list/?psize_CustomerView=10&page_CustomerView=3"
                      "&_oc_CustomerView=importance&_od_CustomerView=asc").get_data(as_text=True)
    assert "after_CustomerView" not in html and len(_shown(html)) == 10
