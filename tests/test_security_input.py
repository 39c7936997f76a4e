"""Hostile input: XSS stored as text and rendered escaped, SQL-ish filters, oversize values, bad ids."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.models import AuditLog, Contact, Customer, RepairRecord, Requisition, Ticket, Trip
from app.security import policy
from app.unit_of_work import unit_of_work
from tests.conftest import csrf_token

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
SQLISH = ["' OR '1'='1", "1; DROP TABLE customer; --", "%' UNION SELECT password FROM ab_user --",
          "\\'; --", "名称' --"]


def _customer(app, **values) -> int:
    with app.app_context():
        row = Customer(code=values.pop("code", "X0001"), name=values.pop("name", "测试客户"),
                       region=values.pop("region", "东城镇"), **values)
        db.session.add(row)
        db.session.commit()
        return row.id


def test_xss_through_the_api_is_stored_verbatim_and_rendered_escaped(app, client, api, as_user):
    headers = api("manager")
    resp = client.post("/api/v1/customer/", headers=headers, json={
        "code": "X0002", "name": XSS, "region": "东城镇", "importance": "normal", "notes": XSS})
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    assert client.get(f"/api/v1/customer/{pk}", headers=headers).json["result"]["name"] == XSS
    as_user("manager")
    for url in ("/customerview/list/", f"/customerview/show/{pk}", f"/customerview/edit/{pk}"):
        html = client.get(url).get_data(as_text=True)
        assert XSS not in html, url
        assert "<img src=x onerror" not in html, url
    show = client.get(f"/customerview/show/{pk}").get_data(as_text=True)
    assert ESCAPED in show


def test_xss_through_the_form_is_escaped_in_lists_and_the_audit_trail(app, client, as_user):
    customer = _customer(app)
    as_user("cs")
    token = csrf_token(client, "/contactview/add")
    resp = client.post("/contactview/add", data={
        "customer": str(customer), "name": XSS[:100], "title": XSS[:100], "is_primary": "y",
        "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Contact.name)) == XSS[:100]
    html = client.get("/contactview/list/").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    client.get("/logout/")
    as_user("manager")
    with app.app_context():
        pk = db.session.scalar(sa.select(AuditLog.id).where(AuditLog.table_name == "contact"))
    html = client.get(f"/auditlogview/show/{pk}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("value", SQLISH)
def test_sql_like_strings_in_filters_are_just_text(app, client, api, as_user, value):
    _customer(app)
    headers = api("tech")
    for opr in ("ct", "eq", "sw"):
        quoted = "'" + value.replace("!", "!!").replace("'", "!'") + "'"   # rison string escaping
        q = f"(filters:!((col:name,opr:{opr},value:{quoted})))"
        resp = client.get("/api/v1/customer/", headers=headers, query_string={"q": q})
        assert resp.status_code == 200, (opr, resp.status_code)
        assert resp.json["count"] == 0
    as_user("tech")
    for params in ({"_flt_0_name": value}, {"_flt_1_name": value}, {"_oc_CustomerView": value},
                   {"_oc_CustomerView": "name", "_od_CustomerView": value}, {"page_CustomerView": value}):
        resp = client.get("/customerview/list/", query_string=params)
        assert resp.status_code < 500, (params, resp.status_code)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 1


def test_api_order_by_unknown_column_is_refused(app, client, api):
    q = "(order_column:'name; DROP TABLE customer',order_direction:asc)"
    resp = client.get("/api/v1/customer/", headers=api("tech"), query_string={"q": q})
    assert resp.status_code == 400


def test_oversize_values_are_refused_cleanly(app, client, api, as_user):
    headers = api("manager")
    huge = "长" * 5000
    resp = client.post("/api/v1/customer/", headers=headers,
                       json={"code": "X0003", "name": huge, "region": "东城镇", "importance": "normal"})
    assert resp.status_code == 422 and "name" in resp.json["message"]
    pk = _customer(app, code="X0004")
    resp = client.put(f"/api/v1/customer/{pk}", headers=headers, json={"region": huge})
    assert resp.status_code == 422
    as_user("manager")
    token = csrf_token(client, "/customerview/add")
    resp = client.post("/customerview/add", data={
        "code": "X0005", "name": huge, "region": "东城镇", "importance": "normal", "csrf_token": token})
    assert resp.status_code == 200   # the form again, with the length message
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 1


def test_oversize_request_body_is_not_a_500(app, client, api):
    body = {"code": "X0006", "name": "n", "region": "r", "importance": "normal", "notes": "x" * 2_000_000}
    resp = client.post("/api/v1/customer/", headers=api("manager"), json=body)
    assert resp.status_code < 500


@pytest.mark.parametrize("value", [99999, -1, "1 OR 1=1", {"id": 99999}, [1, 2]])
def test_tampered_foreign_keys_in_api_bodies_are_refused(app, client, api, value):
    customer = _customer(app)
    headers = api("cs")
    resp = client.post("/api/v1/contact/", headers=headers, json={"customer": value, "name": "张三"})
    assert resp.status_code == 422, resp.status_code
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0
    ok = client.post("/api/v1/contact/", headers=headers, json={"customer": customer, "name": "张三"})
    assert ok.status_code == 201


@pytest.mark.parametrize("value", ["99999", "abc", "1 OR 1=1", ""])
def test_tampered_ids_in_forms_are_refused(app, client, as_user, value):
    _customer(app)
    as_user("cs")
    token = csrf_token(client, "/contactview/add")
    resp = client.post("/contactview/add", data={"customer": value, "name": "李四", "csrf_token": token})
    assert resp.status_code == 200   # the form again with "Not a valid choice" / required
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0


def test_tampered_pk_in_urls(app, client, api, as_user):
    headers = api("manager")
    for pk in ("99999", "0", "-1", "abc", "1%20OR%201=1"):
        # No such row (404), or no such route for a non-integer pk (405): never a row, never a 500.
        assert client.get(f"/api/v1/customer/{pk}", headers=headers).status_code == 404
        assert client.delete(f"/api/v1/customer/{pk}", headers=headers).status_code == 404
    as_user("manager")
    for pk in ("99999", "abc"):
        assert client.get(f"/customerview/show/{pk}").status_code == 404


# Not a number, not a date, not a code, not an id; and an integer no column can hold.
HOSTILE = ("1 OR 1=1", "9" * 40)


@pytest.mark.parametrize("resource", sorted(policy.POLICY))
def test_every_api_search_column_survives_hostile_values(app, client, api, resource):
    """Each API filter with each operator it offers, fed text where numbers/dates/ids go: no 500."""
    view = next(v for v in app.appbuilder.baseviews if v.class_permission_name == policy.api_name(resource))
    headers = api("admin")
    failures = []
    for column, filters in view._filters.get_search_filters().items():
        for flt in filters:
            for value in HOSTILE:
                quoted = "'" + value.replace("!", "!!").replace("'", "!'") + "'"
                q = f"(filters:!((col:{column},opr:{flt.arg_name},value:{quoted})))"
                resp = client.get(f"/api/v1/{view.resource_name}/", headers=headers, query_string={"q": q})
                if resp.status_code >= 500:
                    failures.append((column, flt.arg_name, value))
    assert failures == []


@pytest.mark.parametrize("resource", sorted(policy.POLICY))
def test_every_screen_search_column_survives_hostile_values(app, client, as_user, resource):
    """The same for the HTML list filters (`_flt_<n>_<column>`)."""
    view = next((v for v in app.appbuilder.baseviews if v.class_permission_name == policy.view_name(resource)), None)
    as_user("admin")
    if view is None:  # an API-only resource (the ticket timeline): no screen, no screen filters to feed
        assert client.get(f"/{policy.view_name(resource).lower()}/list/").status_code == 404
        return
    failures = []
    for column in view.search_columns:
        operators = range(len(view._filters.get_search_filters().get(column, [])))
        for value in HOSTILE:
            # Every operator of the column in one request (they are ANDed): one page per value.
            resp = client.get(f"{view.route_base}/list/",
                              query_string={f"_flt_{index}_{column}": value for index in operators})
            if resp.status_code >= 500:
                failures.append((column, value))
    assert failures == []


# --- a field engineer's tampered ticket ids: another engineer's ticket is refused, nothing written ---

TRIP = {"departure_at": "2026-04-02 08:00:00", "return_at": "2026-04-02 17:30:00", "destination": "西河乡水利局",
        "purpose": "接收站故障上门维修", "vehicle": "皖A·12345", "mileage_km": "86.5"}


@pytest.fixture
def work(app, staff):
    """A ticket of field1's, one of field2's, and a part in stock to ask for."""
    from app.services import stock
    from tests.parts_helpers import make_part, make_warehouse
    from tests.records import make_customer
    from tests.ticket_helpers import new_ticket

    customer = make_customer(app, 77, with_equipment=True)
    mine = new_ticket(app, customer, assignee_id=staff["field1"])
    theirs = new_ticket(app, customer, assignee_id=staff["field2"])
    with app.app_context():
        part, warehouse = make_part(1, code="P-TAMPER"), make_warehouse(1)
        with unit_of_work():
            stock.receive(part, warehouse, 10, "10.00", "CG-0")
        numbers = dict(db.session.execute(sa.select(Ticket.id, Ticket.number)).all())
    return {"mine": mine, "theirs": theirs, "part": part, "warehouse": warehouse, "staff": staff,
            "number": numbers}


def _written(app) -> dict:
    with app.app_context():
        return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
                for m in (RepairRecord, Requisition, Trip)}


def _bodies(work, ticket: int) -> dict:
    from app.models.base import utcnow

    now, me = utcnow(), work["staff"]["field1"]
    return {
        "repair_record": {"ticket": ticket, "engineers": [me], "arrived_at": clock.isoformat(now - dt.timedelta(hours=1)),
                          "departed_at": clock.isoformat(now), "work_done": "更换高频头", "result": "fixed",
                          "customer_signer": "李主任", "signed_at": clock.isoformat(now)},
        "requisition": {"engineer": me, "warehouse": work["warehouse"], "ticket": ticket,
                        "lines": [{"part": work["part"], "qty": 1}]},
        "trip": {**TRIP, "engineer": me, "ticket": ticket},
    }


def test_api_bodies_pointing_at_another_engineers_ticket_are_refused(app, client, api, work):
    headers = api("field1")
    for resource, body in _bodies(work, work["theirs"]).items():
        resp = client.post(f"/api/v1/{resource}/", json=body, headers=headers)
        assert resp.status_code == 403, (resource, resp.status_code, resp.json)
        assert "ticket" in str(resp.json["message"]), (resource, resp.json)
    assert _written(app) == {"RepairRecord": 0, "Requisition": 0, "Trip": 0}
    # the same bodies on the engineer's own ticket go through: the refusal was about the ticket
    for resource, body in _bodies(work, work["mine"]).items():
        resp = client.post(f"/api/v1/{resource}/", json=body, headers=headers)
        assert resp.status_code == 201, (resource, resp.json)
    assert _written(app) == {"RepairRecord": 1, "Requisition": 1, "Trip": 1}


def test_api_edit_moving_own_record_onto_another_engineers_ticket_is_refused(app, client, api, work):
    headers = api("field1")
    ids = {resource: client.post(f"/api/v1/{resource}/", json=body, headers=headers).json["id"]
           for resource, body in _bodies(work, work["mine"]).items() if resource != "requisition"}
    for resource, pk in ids.items():
        resp = client.put(f"/api/v1/{resource}/{pk}", json={"ticket": work["theirs"]}, headers=headers)
        assert resp.status_code == 403, (resource, resp.status_code, resp.json)
    with app.app_context():
        assert db.session.get(RepairRecord, ids["repair_record"]).ticket_id == work["mine"]
        assert db.session.get(Trip, ids["trip"]).ticket_id == work["mine"]


def test_forms_pointing_at_another_engineers_ticket_are_refused(app, client, as_user, work):
    browser = as_user("field1")
    me, theirs = str(work["staff"]["field1"]), work["number"][work["theirs"]]
    forms = {
        "/repairrecordview/add": {"ticket": str(work["theirs"]), "engineers": me, "arrived_at": "2026-04-02 09:00:00",
                                  "departed_at": "2026-04-02 11:00:00", "work_done": "更换高频头", "result": "fixed",
                                  "customer_signer": "李主任", "signed_at": "2026-04-02 11:00:00"},
        "/requisitionview/add": {"engineer": me, "warehouse": str(work["warehouse"]), "ticket": theirs,
                                 "part_0": "P-TAMPER", "qty_0": "1", "purpose": "现场维修"},
        "/tripview/add": {**TRIP, "engineer": me, "ticket_ref": theirs, "inspection_ref": ""},
    }
    for url, data in forms.items():
        token = csrf_token(browser, url)
        # the form again with the message (a trip: FAB's redirect with the rule's message flashed)
        resp = browser.post(url, data={**data, "csrf_token": token})
        assert resp.status_code == (302 if url == "/tripview/add" else 200), (url, resp.status_code)
        assert _written(app) == {"RepairRecord": 0, "Requisition": 0, "Trip": 0}, url
        if url == "/requisitionview/add":
            assert "assigned to you" in resp.get_data(as_text=True)
