"""Hostile input: XSS stored as text and rendered escaped, SQL-ish filters, oversize values, bad ids."""
from __future__ import annotations

import sqlalchemy as sa
import pytest

from app.extensions import db
from app.models import AuditLog, Contact, Customer
from app.security import policy
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
        assert resp.status_code in (200, 400), (opr, resp.status_code)
        if resp.status_code == 200:
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
    assert resp.status_code in (400, 422), resp.status_code
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
        assert client.get(f"/api/v1/customer/{pk}", headers=headers).status_code in (404, 405)
        assert client.delete(f"/api/v1/customer/{pk}", headers=headers).status_code in (404, 405)
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
    view = next(v for v in app.appbuilder.baseviews if v.class_permission_name == policy.view_name(resource))
    as_user("admin")
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
