"""Customers, contacts, projects and equipment through the HTML views and the API."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Contact, Customer, Equipment, Importance, Project
from tests.conftest import count_queries, csrf_token
from tests.records import make_customer


def make_project(app, customer_id, n=1):
    with app.app_context():
        p = Project(code=f"P{n:04d}", name=f"项目{n}", customer_id=customer_id,
                    warranty_start=date(2025, 1, 1), warranty_end=date(2026, 12, 31))
        db.session.add(p)
        db.session.commit()
        return p.id


def count(app, model):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- HTML -----------------------------------------------------------------------

def test_html_customer_crud(app, as_user):
    client = as_user("manager")
    token = csrf_token(client, "/customerview/add")
    resp = client.post("/customerview/add", data={
        "code": "C0100", "name": "东城镇自然资源局", "region": "东城镇",
        "importance": "key", "csrf_token": token,
    })
    assert resp.status_code == 302
    with app.app_context():
        customer = db.session.scalar(sa.select(Customer).where(Customer.code == "C0100"))
        assert customer.importance is Importance.key
        pk = customer.id
    page = client.get("/customerview/list/").get_data(as_text=True)
    assert "东城镇自然资源局" in page and "Key customer" in page
    assert client.get(f"/customerview/show/{pk}").status_code == 200
    resp = client.post(f"/customerview/edit/{pk}", data={
        "code": "C0100", "name": "东城镇自然资源局", "region": "西河乡",
        "importance": "normal", "csrf_token": token,
    })
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Customer, pk).region == "西河乡"
    resp = client.post(f"/customerview/delete/{pk}", data={"csrf_token": token})
    assert resp.status_code == 302
    assert count(app, Customer) == 0


def test_html_post_without_csrf_token_is_refused(app, as_user):
    client = as_user("manager")
    resp = client.post("/customerview/add", data={"code": "C1", "name": "x", "region": "y", "importance": "key"})
    assert resp.status_code == 400
    assert count(app, Customer) == 0


def test_html_get_never_deletes(app, as_user):
    pk = make_customer(app)
    client = as_user("manager")
    client.get(f"/customerview/delete/{pk}")
    assert count(app, Customer) == 1


def test_html_warranty_end_before_start_is_a_form_error(app, as_user):
    cid = make_customer(app)
    client = as_user("manager")
    token = csrf_token(client, "/projectview/add")
    resp = client.post("/projectview/add", data={
        "customer": str(cid), "code": "P1", "name": "项目",
        "warranty_start": "2026-05-01", "warranty_end": "2026-01-01", "csrf_token": token,
    })
    assert resp.status_code == 200
    assert "Warranty end must not be before warranty start." in resp.get_data(as_text=True)
    assert count(app, Project) == 0


def test_html_duplicate_serial_is_a_form_error(app, as_user):
    cid = make_customer(app)
    with app.app_context():
        db.session.add(Equipment(customer_id=cid, name="站", model="RS", serial_number="SN-1"))
        db.session.commit()
    client = as_user("manager")
    token = csrf_token(client, "/equipmentview/add")
    resp = client.post("/equipmentview/add", data={
        "customer": str(cid), "name": "站2", "model": "RS", "serial_number": "SN-1", "csrf_token": token,
    })
    assert resp.status_code == 200
    assert "Already exists" in resp.get_data(as_text=True)
    assert count(app, Equipment) == 1


def test_customer_page_shows_its_contacts_projects_equipment(app, as_user):
    cid = make_customer(app)
    make_project(app, cid)
    with app.app_context():
        db.session.add(Contact(customer_id=cid, name="李主任"))
        db.session.add(Equipment(customer_id=cid, name="站", model="RS-3000", serial_number="SN-9"))
        db.session.commit()
    html = as_user("cs").get(f"/customerview/show/{cid}").get_data(as_text=True)
    assert "李主任" in html and "项目1" in html and "SN-9" in html


@pytest.mark.parametrize("url", [
    "/customerview/list/", "/contactview/list/", "/projectview/list/",
    "/equipmentview/list/", "/staffview/list/",
])
def test_list_pages_use_a_constant_number_of_queries(app, as_user, url):
    with app.app_context():
        for n in range(1, 61):
            c = Customer(code=f"C{n:04d}", name=f"客户{n}", region="东城镇")
            p = Project(code=f"P{n:04d}", name="项目", customer=c,
                        warranty_start=date(2025, 1, 1), warranty_end=date(2026, 1, 1))
            db.session.add_all([c, p, Contact(customer=c, name="联系人"),
                                Equipment(customer=c, project=p, name="站", model="RS", serial_number=f"S{n}")])
        db.session.commit()
    client = as_user("manager")
    counts = []
    for size in (5, 50):
        client.get(url + f"?psize_{url.split('/')[1].title()}=1")  # warm up
        with app.app_context(), count_queries(db.engine) as statements:
            view = url.split("/")[1]
            name = {"customerview": "CustomerView", "contactview": "ContactView", "projectview": "ProjectView",
                    "equipmentview": "EquipmentView", "staffview": "StaffView"}[view]
            assert client.get(f"{url}?psize_{name}={size}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


# --- API ------------------------------------------------------------------------

def test_api_customer_crud(app, client, api):
    h = api("manager")
    resp = client.post("/api/v1/customer/", json={
        "code": "C0200", "name": "南山镇水利局", "region": "南山镇", "importance": "important",
    }, headers=h)
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    got = client.get(f"/api/v1/customer/{pk}", headers=h).json["result"]
    assert got["importance"] == "important" and got["name"] == "南山镇水利局"
    resp = client.put(f"/api/v1/customer/{pk}", json={"region": "北岭乡"}, headers=h)
    assert resp.status_code == 200, resp.json
    listing = client.get("/api/v1/customer/", headers=h).json
    assert listing["count"] == 1 and listing["result"][0]["region"] == "北岭乡"
    assert client.delete(f"/api/v1/customer/{pk}", headers=h).status_code == 200
    assert count(app, Customer) == 0


def test_api_project_and_equipment(app, client, api):
    cid = make_customer(app)
    h = api("manager")
    resp = client.post("/api/v1/project/", json={
        "customer": cid, "code": "P1", "name": "项目", "warranty_start": "2025-01-01", "warranty_end": "2027-01-01",
    }, headers=h)
    assert resp.status_code == 201, resp.json
    resp = client.post("/api/v1/equipment/", json={
        "customer": cid, "project": resp.json["id"], "name": "接收站", "model": "RS-3000", "serial_number": "SN-1",
    }, headers=h)
    assert resp.status_code == 201, resp.json
    assert resp.json["result"]["serial_number"] == "SN-1"


def test_api_unknown_foreign_key_writes_nothing(app, client, api):
    resp = client.post("/api/v1/project/", json={
        "customer": 99999, "code": "P1", "name": "项目", "warranty_start": "2025-01-01", "warranty_end": "2027-01-01",
    }, headers=api("manager"))
    assert resp.status_code == 422
    assert "customer" in resp.json["message"]
    assert count(app, Project) == 0 and count(app, Customer) == 0


def test_api_warranty_end_before_start(app, client, api):
    cid = make_customer(app)
    resp = client.post("/api/v1/project/", json={
        "customer": cid, "code": "P1", "name": "项目", "warranty_start": "2026-01-01", "warranty_end": "2025-01-01",
    }, headers=api("manager"))
    assert resp.status_code == 422
    assert "warranty_end" in resp.json["message"]
    assert count(app, Project) == 0


def test_api_duplicate_serial_is_refused(app, client, api):
    cid = make_customer(app)
    h = api("manager")
    body = {"customer": cid, "name": "站", "model": "RS", "serial_number": "SN-1"}
    assert client.post("/api/v1/equipment/", json=body, headers=h).status_code == 201
    resp = client.post("/api/v1/equipment/", json=body, headers=h)
    assert resp.status_code == 409
    assert "message" in resp.json
    assert count(app, Equipment) == 1


def test_api_missing_required_fields(app, client, api):
    resp = client.post("/api/v1/customer/", json={"code": "C1"}, headers=api("manager"))
    assert resp.status_code == 422
    assert "name" in resp.json["message"] and "region" in resp.json["message"]
    assert count(app, Customer) == 0


def test_api_unknown_enum_code(app, client, api):
    resp = client.post("/api/v1/customer/", json={
        "code": "C1", "name": "x", "region": "y", "importance": "vip",
    }, headers=api("manager"))
    assert resp.status_code == 422
    assert count(app, Customer) == 0


def test_api_equipment_project_of_another_customer(app, client, api):
    c1, c2 = make_customer(app, 1), make_customer(app, 2)
    p2 = make_project(app, c2, 2)
    resp = client.post("/api/v1/equipment/", json={
        "customer": c1, "project": p2, "name": "站", "model": "RS", "serial_number": "SN-1",
    }, headers=api("manager"))
    assert resp.status_code == 422
    assert "project" in resp.json["message"]


def test_api_body_not_json(client, api):
    resp = client.post("/api/v1/customer/", data="code=1", headers=api("manager"))
    assert resp.status_code == 400
    assert "message" in resp.json


def test_equipment_warranty_falls_back_to_project(app):
    cid = make_customer(app)
    pid = make_project(app, cid)
    with app.app_context():
        e = Equipment(customer_id=cid, project_id=pid, name="站", model="RS", serial_number="S")
        db.session.add(e)
        db.session.commit()
        assert e.warranty_until() == date(2026, 12, 31)
        assert e.in_warranty(date(2026, 6, 1)) and not e.in_warranty(date(2027, 1, 1))
