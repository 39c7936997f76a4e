"""Staff records and their logins."""
from tests.conftest import LOGINS


def test_api_staff_carries_username(client, api, staff):
    result = client.get("/api/v1/staff/?q=(page_size:50)", headers=api("manager")).json["result"]
    usernames = {item["username"] for item in result}
    assert usernames == {u for u in LOGINS if u != "admin"}
    positions = {item["username"]: item["position"] for item in result}
    assert positions["field1"] == "field_engineer" and positions["keeper"] == "parts_keeper"


def test_api_create_staff_without_login(client, api):
    resp = client.post("/api/v1/staff/", json={
        "employee_no": "E900", "name": "孙工", "position": "field_engineer", "region": "东片区",
    }, headers=api("manager"))
    assert resp.status_code == 201, resp.json
    assert resp.json["result"]["position"] == "field_engineer"


def test_api_staff_unknown_position(client, api):
    resp = client.post("/api/v1/staff/", json={
        "employee_no": "E901", "name": "孙工", "position": "driver",
    }, headers=api("manager"))
    assert resp.status_code == 422
