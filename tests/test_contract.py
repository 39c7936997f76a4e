"""The names of ../shared/API.md: every contracted resource answers list, _info and export.xlsx."""
import io

import pytest
from openpyxl import load_workbook

CONTRACTED = ["customer", "project", "equipment", "staff", "ticket", "repair_record", "part",
              "warehouse", "stock_movement", "requisition", "tool", "tool_loan", "complaint",
              "callback_record", "inspection_record"]


@pytest.mark.parametrize("resource", CONTRACTED)
def test_contracted_resource_lists_describes_and_exports(client, api, resource):
    headers = api("manager")
    assert client.get(f"/api/v1/{resource}/", headers=headers).status_code == 200
    assert client.get(f"/api/v1/{resource}/_info", headers=headers).status_code == 200
    resp = client.get(f"/api/v1/{resource}/export.xlsx", headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:200]
    sheet = load_workbook(io.BytesIO(resp.data)).worksheets[0]
    assert sheet.max_column >= 2 and sheet.cell(1, 1).value


def test_contracted_endpoints_exist(app):
    rules = {r.rule for r in app.url_map.iter_rules()}
    for rule in ("/health", "/api/v1/stock/receive", "/api/v1/stock/issue", "/api/v1/stock/balance",
                 "/api/v1/kpi/summary", "/api/v1/ticket/<int:pk>/transition"):
        assert rule in rules, rule
    assert any(r.startswith("/api/v1/stock/reverse/") for r in rules)


def test_stock_movement_is_read_only(client, api):
    headers = api("admin")
    assert client.post("/api/v1/stock_movement/", json={}, headers=headers).status_code == 405
    assert client.put("/api/v1/stock_movement/1", json={}, headers=headers).status_code == 405
    assert client.delete("/api/v1/stock_movement/1", headers=headers).status_code == 405
