""""Export to Excel" on the pages that are not model lists (reorder list, faulty parts owed,
overdue tools, stock valuation, a stock card): the button on the page, the workbook holding the
page's rows as plain values, only for who may read the page. On the demo department."""
from __future__ import annotations

import io
import re
from datetime import datetime

import openpyxl
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Part, StockMovement
from tests.conftest import login

PAGES = {  # page → (first header cells, how many rows the page lists)
    "/reorder/list/": ["Code", "Name", "Key part", "On hand"],
    "/owed_parts/list/": ["Engineer", "Slips", "Parts owed"],
    "/tool_overdue/list/": ["List", "Tool", "Borrower", "Date"],
    "/stock/valuation": ["Warehouse", "Parts in stock", "Units", "Value (FIFO)"],
}


def _button(html: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" class="btn btn-sm btn-default export-xlsx', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _sheet(resp):
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet"), resp.status
    return openpyxl.load_workbook(io.BytesIO(resp.data)).worksheets[0]


def _page_rows(html: str) -> int:
    """Data rows in the page's tables (an empty table's one "none" row does not count)."""
    bodies = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)
    return sum(len(re.findall(r"<tr[ >]", b)) - len(re.findall(r'<td colspan="\d+">', b)) for b in bodies)


@pytest.mark.parametrize("page", list(PAGES))
def test_the_keepers_pages_export_what_they_show(demo, page):
    client = demo.test_client()
    assert login(client, "keeper").status_code == 302
    html = client.get(page + "?_l_=en").get_data(as_text=True)
    href = _button(html)
    assert href and href.split("?")[0].endswith("/export.xlsx"), f"no Excel button on {page}"
    ws = _sheet(client.get(href))
    header = [c.value for c in ws[1]]
    assert header[: len(PAGES[page])] == PAGES[page]
    assert ws.max_row - 1 == _page_rows(html) and ws.max_row > 1, "the demo department fills every page"


def test_numbers_stay_numbers_and_labels_follow_the_language(demo):
    client = demo.test_client()
    assert login(client, "keeper").status_code == 302
    client.get("/lang/zh_Hans")
    ws = _sheet(client.get("/reorder/export.xlsx"))
    from flask_babel import force_locale, gettext

    with demo.test_request_context("/"), force_locale("zh_Hans"):
        expected = [gettext("Code"), gettext("Name"), gettext("Key part")]
    assert [c.value for c in ws[1]][:3] == expected and expected[0] != "Code"
    second = [c.value for c in ws[2]]
    assert isinstance(second[3], int) and second[2] in (0, 1)  # on hand a number, key part yes / no


def test_a_stock_card_exports_its_movements_in_local_time(demo):
    client = demo.test_client()
    assert login(client, "keeper").status_code == 302
    with demo.app_context():
        part_id = db.session.scalar(sa.select(StockMovement.part_id).group_by(StockMovement.part_id)
                                    .order_by(sa.func.count().desc()).limit(1))
        code = db.session.get(Part, part_id).code
        last = db.session.scalars(sa.select(StockMovement).where(StockMovement.part_id == part_id)
                                  .order_by(StockMovement.id.desc())).first()
    html = client.get(f"/stock/card/{part_id}?_l_=en").get_data(as_text=True)
    href = _button(html)
    assert href and f"part_id={part_id}" in href
    resp = client.get(href)
    assert code in resp.headers["Content-Disposition"]
    ws = _sheet(resp)
    assert ws.max_row - 1 == _page_rows(html)
    final = [c.value for c in ws[ws.max_row]]
    assert final[0] == last.id and isinstance(final[1], datetime)
    from app.clock import local_wall_time

    assert final[1] == local_wall_time(last.posted_at).replace(microsecond=0) or \
        abs((final[1] - local_wall_time(last.posted_at)).total_seconds()) < 1
    assert client.get("/stock/export.xlsx?part_id=999999").status_code == 404


def test_who_may_not_read_the_page_may_not_export_it(demo):
    client = demo.test_client()
    assert login(client, "cs").status_code == 302
    for url in ("/reorder/export.xlsx", "/owed_parts/export.xlsx", "/tool_overdue/export.xlsx", "/stock/export.xlsx"):
        resp = client.get(url)
        assert resp.status_code == 403 and "spreadsheet" not in resp.mimetype, url
