"""Behaviour every ServiceModelView / ServiceApi shares: tick boxes, defaults, sorting, bad input, FKs."""
import prison
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Contact, Customer, HandlingMode, Importance, Staff, Ticket
from tests.conftest import csrf_token
from tests.records import make_customer
from tests.ticket_helpers import new_ticket


def _contact(app, customer_id, **kw):
    with app.app_context():
        c = Contact(customer_id=customer_id, name=kw.pop("name", "张工"), phone="13800000000", **kw)
        db.session.add(c)
        db.session.commit()
        return c.id


# --- 1. tick boxes ----------------------------------------------------------------

def test_unticked_box_saves_false_on_add_and_edit(app, as_user):
    client = as_user("manager")
    cid = make_customer(app, with_equipment=True)
    token = csrf_token(client, "/contactview/add")
    resp = client.post("/contactview/add", data={"customer": str(cid), "name": "李工", "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        contact = db.session.scalar(sa.select(Contact).where(Contact.name == "李工"))
        assert contact.is_primary is False
        pk = contact.id
    resp = client.post(f"/contactview/edit/{pk}", data={
        "customer": str(cid), "name": "李工", "is_primary": "y", "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Contact, pk).is_primary is True
    resp = client.post(f"/contactview/edit/{pk}", data={"customer": str(cid), "name": "李工", "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Contact, pk).is_primary is False


def test_staff_can_be_made_inactive_and_add_form_ticks_the_default(app, as_user):
    client = as_user("admin")
    html = client.get("/staffview/add").get_data(as_text=True)
    box = html[html.index('id="active"') - 200: html.index('id="active"') + 200]
    assert "checked" in box  # Staff.active defaults to True
    token = csrf_token(client, "/staffview/add")
    resp = client.post("/staffview/add", data={
        "employee_no": "E900", "name": "离职员工", "position": "field_engineer", "region": "东城镇",
        "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Staff.active).where(Staff.employee_no == "E900")) is False


# --- 2. / 3. API defaults and nullable enums ----------------------------------------

def test_api_post_leaves_defaulted_enum_out(app, client, api):
    resp = client.post("/api/v1/customer/", headers=api("manager"),
                       json={"code": "C0901", "name": "西河乡", "region": "西河乡"})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["result"]["importance"] == Importance.normal.value
    # a column without any default stays required
    resp = client.post("/api/v1/customer/", headers=api("manager"), json={"code": "C0902", "region": "西河乡"})
    assert resp.status_code == 422 and "name" in resp.get_json()["message"]


def test_api_put_with_null_nullable_enum(app, client, api, staff):
    tid = new_ticket(app, make_customer(app, with_equipment=True))
    with app.app_context():
        assert db.session.get(Ticket, tid).handling_mode is None
    resp = client.put(f"/api/v1/ticket/{tid}", headers=api("manager"), json={"title": "改了标题"})
    assert resp.status_code == 200, resp.get_json()
    resp = client.put(f"/api/v1/ticket/{tid}", headers=api("manager"), json={"handling_mode": "remote"})
    assert resp.status_code == 200, resp.get_json()
    resp = client.put(f"/api/v1/ticket/{tid}", headers=api("manager"), json={"handling_mode": None})
    assert resp.status_code == 200, resp.get_json()
    with app.app_context():
        t = db.session.get(Ticket, tid)
        assert t.title == "改了标题" and t.handling_mode is None
    resp = client.put(f"/api/v1/ticket/{tid}", headers=api("manager"), json={"severity": None})
    assert resp.status_code == 422  # NOT NULL enum: null is still refused
    assert HandlingMode.remote.value == "remote"


# --- 4. crafted sort on a relationship ---------------------------------------------

@pytest.mark.parametrize("url", [
    "/contactview/list/?_oc_ContactView=customer&_od_ContactView=asc",
    "/ticketview/list/?_oc_TicketView=customer&_od_TicketView=desc",
])
def test_crafted_relationship_sort_is_ignored(app, as_user, url):
    cid = make_customer(app, with_equipment=True)
    _contact(app, cid, name="王工")
    client = as_user("manager")
    resp = client.get(url)
    assert resp.status_code == 200


def test_api_refuses_unsortable_order_column(app, client, api):
    make_customer(app, with_equipment=True)
    q = prison.dumps({"order_column": "contacts", "order_direction": "asc"})
    resp = client.get(f"/api/v1/customer/?q={q}", headers=api("manager"))
    assert resp.status_code == 400 and "message" in resp.get_json()


# --- 5. hidden parent on an add form -------------------------------------------------

def test_error_on_hidden_parent_is_shown(app, as_user):
    client = as_user("manager")
    url = "/contactview/add?_flt_0_customer=99999"
    token = csrf_token(client, url)
    resp = client.post(url, data={"name": "孤儿联系人", "csrf_token": token}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "This field is required" in html  # flashed, since the customer field is hidden
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0


def test_hidden_parent_add_form_saves(app, as_user):
    cid = make_customer(app, with_equipment=True)
    client = as_user("manager")
    url = f"/contactview/add?_flt_0_customer={cid}"
    token = csrf_token(client, url)
    resp = client.post(url, data={"name": "赵工", "csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Contact.customer_id).where(Contact.name == "赵工")) == cid


# --- 6. plain foreign keys in API column lists --------------------------------------

def test_api_columns_may_name_plain_foreign_keys(app):
    from app.views.service_api import FkSchemaConverter

    api = next(v for v in app.appbuilder.baseviews if type(v).__name__ == "ContactApi")
    assert isinstance(api.model2schemaconverter, FkSchemaConverter)
    cid = make_customer(app, with_equipment=True)
    pk = _contact(app, cid)
    with app.app_context():
        contact = db.session.get(Contact, pk)
        plain = api.model2schemaconverter.convert(["id", "customer_id", "name"]).dump(contact)
        nested = api.show_model_schema.dump(contact)
    assert plain == {"id": pk, "customer_id": cid, "name": "张工"}
    assert nested["customer"]["id"] == cid  # nested objects stay where the API lists them


# --- 7. SQLite enforces foreign keys -------------------------------------------------

def test_database_refuses_dangling_foreign_key(app):
    with app.app_context():
        db.session.add(Contact(customer_id=987654, name="无主"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_api_delete_of_referenced_row_is_409(app, client, api):
    cid = make_customer(app, with_equipment=True)
    new_ticket(app, cid)
    resp = client.delete(f"/api/v1/customer/{cid}", headers=api("manager"))
    assert resp.status_code == 409, resp.get_json()
    assert resp.get_json()["message"]
    with app.app_context():
        assert db.session.get(Customer, cid) is not None


# --- 8. cut-off rison ------------------------------------------------------------------

@pytest.mark.parametrize("resource", ["customer", "ticket", "contact"])
def test_cut_off_rison_is_400(app, client, api, resource):
    for q in ("(page:", "(order_column:name,order_direction:", "(filters:!((col:name,opr:ct,value:"):
        resp = client.get(f"/api/v1/{resource}/", query_string={"q": q}, headers=api("manager"))
        assert resp.status_code == 400, (q, resp.status_code)
        assert resp.get_json()["message"]


def test_good_rison_still_works(app, client, api):
    make_customer(app, with_equipment=True)
    q = prison.dumps({"page": 0, "page_size": 10, "order_column": "code", "order_direction": "asc"})
    resp = client.get(f"/api/v1/customer/?q={q}", headers=api("manager"))
    assert resp.status_code == 200 and resp.get_json()["count"] == 1


def test_rison_against_the_schema_is_checked_on_every_request(app, client, api):
    """The kept validators (app/views/rison_check.py) refuse as jsonschema.validate does, each time."""
    import jsonschema
    from flask_appbuilder.api import get_list_schema

    bad = {"filters": "not a list"}
    with pytest.raises(jsonschema.ValidationError) as expected:
        jsonschema.validate(instance=bad, schema=get_list_schema)
    for _ in range(2):  # the second request uses the validator the first one built
        resp = client.get("/api/v1/customer/", query_string={"q": prison.dumps(bad)}, headers=api("manager"))
        assert resp.status_code == 400
        assert resp.get_json()["message"] == f"Not a valid rison schema {str(expected.value).splitlines()[0]}"
    good = client.get("/api/v1/customer/", query_string={"q": prison.dumps({"page": 0})}, headers=api("manager"))
    assert good.status_code == 200


# --- 9. messages through gettext ---------------------------------------------------

def test_non_object_body_is_400_with_message(app, client, api):
    resp = client.post("/api/v1/customer/", headers=api("manager"), json=[1, 2])
    assert resp.status_code == 400 and resp.get_json()["message"] == "Request body must be a JSON object"


def test_screens_show_yes_no_and_names_of_related_rows(app, as_user):
    """Booleans read Yes / No and to-many relations list their names, never Python reprs."""
    from types import SimpleNamespace

    from app.models import Contact, Customer
    from app.views.interface import ServiceInterface

    with app.app_context():
        c = Customer(code="C0001", name="东城镇水利局", region="东城镇")
        db.session.add_all([c, Contact(customer=c, name="李主任", is_primary=True)])
        db.session.commit()
    html = as_user("manager").get("/contactview/list/").get_data(as_text=True)
    assert "<td>Yes</td>" in html.replace(" ", "").replace("\n", "") or ">Yes<" in html
    assert "<td>True</td>" not in html
    row = SimpleNamespace(team=["张伟", "刘洋"], done=False)
    assert ServiceInterface._get_attr_value(row, "team") == "张伟, 刘洋"
    with app.test_request_context():
        assert ServiceInterface._get_attr_value(row, "done") == "No"
