"""Search-as-you-type lookups (/lookup/<kind>) and the search-box form fields and filters."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Contact, Customer, Equipment, Project, Staff, Ticket
from tests.conftest import csrf_token
from tests.parts_helpers import make_part
from tests.records import make_customer
from tests.registers_helpers import count
from tests.ticket_helpers import new_ticket


def texts(resp) -> list[str]:
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return [r["text"] for r in resp.json["results"]]


@pytest.fixture
def customers(app):
    """Two customers with a contact each (the same name twice) and one with a phone."""
    c1, c2 = make_customer(app, 1, with_equipment=True), make_customer(app, 2, with_equipment=True)
    with app.app_context():
        db.session.get(Customer, c1).phone = "0769-22223333"
        db.session.add_all([Contact(customer_id=c1, name="王工", phone="13800000001"),
                            Contact(customer_id=c2, name="王工", phone="13900000002")])
        db.session.commit()
    return c1, c2


def test_customer_by_name_code_and_phone(app, client, as_user, customers):
    as_user("cs")
    assert texts(client.get("/lookup/customer?q=客户1")) == ["客户1 · C0001"]
    assert texts(client.get("/lookup/customer?q=c0002")) == ["客户2 · C0002"]
    assert texts(client.get("/lookup/customer?q=2222")) == ["客户1 · C0001"]
    assert len(texts(client.get("/lookup/customer?q="))) == 2
    assert texts(client.get("/lookup/customer?q=nobody")) == []
    # LIKE wildcards are text, not patterns
    assert texts(client.get("/lookup/customer?q=%25")) == []
    one = client.get(f"/lookup/customer?id={customers[1]}").json["results"]
    assert one == [{"id": customers[1], "text": "客户2 · C0002"}]


def test_contact_project_equipment_narrowed_by_customer(app, client, as_user, customers):
    c1, c2 = customers
    as_user("cs")
    assert len(texts(client.get("/lookup/contact?q=王"))) == 2
    assert texts(client.get(f"/lookup/contact?q=王&customer={c1}")) == ["王工 · 13800000001"]
    assert texts(client.get(f"/lookup/project?customer={c2}")) == ["P0002 · 项目"]
    assert texts(client.get(f"/lookup/equipment?customer={c1}&q=SN")) == ["接收站 · RS-3000 · SN-1"]
    assert texts(client.get(f"/lookup/equipment?customer={c1}&q=SN-2")) == []


def test_part_by_code_or_name_exact_code_first_and_limit(app, client, as_user):
    with app.app_context():
        for n in range(1, 26):
            make_part(n, code=f"BJ-{n:04d}", name=f"电源模块{n}")
        make_part(99, code="XX-0001", name="BJ-0010 的替代件")
    as_user("keeper")
    found = client.get("/lookup/part?q=BJ-0010").json["results"]
    assert found[0]["text"].startswith("BJ-0010 ") and len(found) == 2
    assert texts(client.get("/lookup/part?q=电源模块7")) == ["BJ-0007 · 电源模块7"]
    page = client.get("/lookup/part?q=BJ").json
    assert len(page["results"]) == 20 and page["more"] is True
    rest = client.get("/lookup/part?q=BJ&page=2").json
    assert len(rest["results"]) == 6 and rest["more"] is False


def test_ticket_by_number_or_title_and_own_rows_only(app, client, as_user, staff, customers):
    mine = new_ticket(app, customers[0], title="接收站无信号", assignee_id=staff["field1"])
    other = new_ticket(app, customers[0], title="接收站告警", assignee_id=staff["field2"])
    with app.app_context():
        numbers = {pk: db.session.get(Ticket, pk).number for pk in (mine, other)}
    as_user("manager")
    assert len(texts(client.get("/lookup/ticket?q=接收站"))) == 2
    assert texts(client.get(f"/lookup/ticket?q={numbers[other]}")) == [f"{numbers[other]} · 接收站告警"]
    client.get("/logout/")
    as_user("field1")
    assert texts(client.get("/lookup/ticket?q=接收站")) == [f"{numbers[mine]} · 接收站无信号"]
    assert client.get(f"/lookup/ticket?id={other}").json["results"] == []


def test_staff_active_only(app, client, as_user, staff):
    with app.app_context():
        db.session.get(Staff, staff["field2"]).active = False
        db.session.commit()
        name1, name2 = (db.session.get(Staff, staff[u]).name for u in ("field1", "field2"))
    as_user("manager")
    assert any(t.startswith(name1) for t in texts(client.get(f"/lookup/staff?q={name1}")))
    assert texts(client.get(f"/lookup/staff?q={name2}")) == []


def test_access_and_bad_parameters(app, client, as_user):
    resp = client.get("/lookup/customer?q=x")
    assert resp.status_code == 401 and resp.json["message"]
    as_user("keeper")
    resp = client.get("/lookup/ticket?q=x")  # the keeper has no ticket list
    assert resp.status_code == 403 and resp.json["message"]
    assert client.get("/lookup/part?q=x").status_code == 200
    for url in ("/lookup/part?page=0", "/lookup/part?page=abc", "/lookup/customer?customer=x",
                "/lookup/contact?customer=99999999999", "/lookup/part?id=-1", "/lookup/part?q=" + "x" * 101):
        resp = client.get(url)
        assert resp.status_code == 400 and resp.json["message"], url
    resp = client.get("/lookup/nothing")
    assert resp.status_code == 404 and resp.json["message"]


def test_keeper_filters_requisitions_by_the_tickets_they_refer_to(app, client, as_user, staff, customers):
    """The keeper has no ticket list; the requisition list's ticket filter still finds the tickets of
    the requisitions he sees (and only those), and says so on its box."""
    from app.models import Requisition, Warehouse

    asked, other = new_ticket(app, customers[0], title="接收站无信号"), new_ticket(app, customers[0], title="别的工单")
    with app.app_context():
        db.session.add(Requisition(number="LY-2026-0099", engineer_id=staff["field1"], ticket_id=asked,
                                   warehouse=Warehouse(code="W9", name="总仓")))
        db.session.commit()
        number = db.session.get(Ticket, asked).number
    as_user("keeper")
    html = client.get("/requisitionview/list/").get_data(as_text=True)
    assert "via=RequisitionView.ticket_id" in html
    assert texts(client.get("/lookup/ticket?q=接收站&via=RequisitionView.ticket_id")) == [f"{number} · 接收站无信号"]
    assert texts(client.get("/lookup/ticket?q=&via=RequisitionView.ticket_id")) == [f"{number} · 接收站无信号"]
    assert texts(client.get(f"/lookup/ticket?id={other}&via=RequisitionView.ticket_id")) == []
    for via in ("TicketView.customer_id", "RequisitionView.part_id", "RequisitionView.engineer_id",
                "RequisitionView", "Nothing.ticket_id", "RequisitionView.purpose"):
        resp = client.get(f"/lookup/ticket?q=&via={via}")
        assert resp.status_code == 403 and resp.json["message"], via


def test_intake_form_renders_only_the_chosen_records(app, client, as_user, customers):
    as_user("cs")
    html = client.get("/ticketview/add").get_data(as_text=True)
    assert "__None" not in html
    assert 'data-url="/lookup/customer"' in html and 'data-narrow="customer"' in html
    assert "客户1" not in html and "王工" not in html  # no page lists every customer / contact


def test_intake_with_a_contact_of_another_customer_is_a_form_error_keeping_the_input(app, client, as_user, customers):
    c1, c2 = customers
    with app.app_context():
        foreign = db.session.query(Contact).filter_by(customer_id=c2).one().id
    as_user("cs")
    token = csrf_token(client, "/ticketview/add")
    data = {"customer": str(c1), "contact": str(foreign), "channel": "phone", "category": "hardware",
            "severity": "general", "title": "无信号", "description": "描述", "csrf_token": token}
    html = client.post("/ticketview/add", data=data).get_data(as_text=True)
    assert "It belongs to another customer." in html
    assert re.search(rf'<option value="{foreign}" selected>王工 · 13900000002</option>', html)
    assert re.search(rf'<option value="{c1}" selected>客户1 · C0001</option>', html)
    assert count(app, Ticket) == 0
    html = client.post("/ticketview/add", data={**data, "contact": "abc"}).get_data(as_text=True)
    assert "Choose one from the list." in html and count(app, Ticket) == 0
    resp = client.post("/ticketview/add", data={**data, "contact": ""})
    assert resp.status_code == 302 and count(app, Ticket) == 1


def test_intake_refuses_a_missing_customer_without_none_text(app, client, as_user, customers):
    as_user("cs")
    token = csrf_token(client, "/ticketview/add")
    html = client.post("/ticketview/add", data={"customer": "__None", "channel": "phone", "category": "hardware",
                                                 "severity": "general", "title": "t", "description": "d",
                                                 "csrf_token": token}).get_data(as_text=True)
    assert "This field is required." in html and "__None" not in html


def test_ticket_edit_narrows_to_the_tickets_customer(app, client, as_user, customers):
    pk = new_ticket(app, customers[0])
    as_user("manager")
    html = client.get(f"/ticketview/edit/{pk}").get_data(as_text=True)
    assert f'data-narrow-value="{customers[0]}"' in html


def test_stock_movement_part_filter_is_a_search_box(app, client, as_user):
    with app.app_context():
        part = make_part(1, code="BJ-0010")
    as_user("keeper")
    html = client.get("/stockmovementview/list/").get_data(as_text=True)
    assert "/lookup/part" in html
    assert client.get(f"/stockmovementview/list/?_flt_0_part_id={part}").status_code == 200
    resp = client.get("/stockmovementview/list/?_flt_0_part_id=BJ-0010")
    assert resp.status_code == 400


def test_ticket_customer_filter_reads_is_not_id_equal(app, client, as_user, customers):
    c1, c2 = customers
    t1, t2 = new_ticket(app, c1, title="甲"), new_ticket(app, c2, title="乙")
    as_user("manager")
    html = client.get("/ticketview/list/").get_data(as_text=True)
    assert "/lookup/customer" in html
    html = client.get(f"/ticketview/list/?_flt_0_customer_id={c1}").get_data(as_text=True)
    assert f"/ticketview/show/{t1}" in html and f"/ticketview/show/{t2}" not in html
    with app.app_context():
        from app.views.tickets import TicketView  # noqa: F401
        view = next(v for v in app.appbuilder.baseviews if type(v).__name__ == "TicketView")
        names = [str(f.name) for f in view._filters._search_filters["customer_id"]]
    assert names == ["is", "is not"]


def test_equipment_form_project_narrowed_and_customer_box(app, client, as_user, customers):
    as_user("manager")
    html = client.get("/equipmentview/add").get_data(as_text=True)
    assert 'data-url="/lookup/customer"' in html and 'data-url="/lookup/project"' in html
    assert "__None" not in html
    with app.app_context():
        assert db.session.query(Project).count() == 2 and db.session.query(Equipment).count() == 2


def test_callback_and_complaint_forms_narrow_the_ticket_to_the_customer(app, client, as_user, customers):
    c1, c2 = customers
    t2 = new_ticket(app, c2, title="乙")
    as_user("cs")
    for url in ("/callbackrecordview/add", "/complaintview/add"):
        html = client.get(url).get_data(as_text=True)
        assert re.search(r'<select[^>]*name="ticket"[^>]*data-narrow="customer"', html), url
        assert ">__None<" not in html, url  # the empty choice of the other selects reads a dash
    assert texts(client.get(f"/lookup/ticket?customer={c1}")) == []
    assert [r["id"] for r in client.get(f"/lookup/ticket?customer={c2}").json["results"]] == [t2]


def test_requisition_form_takes_the_boxes_ids_and_shows_them_again(app, client, as_user, staff, customers):
    from app.models import Requisition
    from tests.parts_helpers import make_warehouse

    with app.app_context():
        part, wh = make_part(1, code="BJ-0010", name="电源模块"), make_warehouse()
    mine = new_ticket(app, customers[0], assignee_id=staff["field1"])
    as_user("field1")
    html = client.get("/requisitionview/add").get_data(as_text=True)
    assert 'data-url="/lookup/part"' in html and 'data-url="/lookup/ticket"' in html and "电源模块" not in html
    token = csrf_token(client, "/requisitionview/add")
    data = {"warehouse": str(wh), "ticket": str(mine), "part_0": str(part), "qty_0": "1",
            "part_1": "NOPE", "qty_1": "1", "csrf_token": token}
    html = client.post("/requisitionview/add", data=data).get_data(as_text=True)
    assert "Unknown part code NOPE" in html and count(app, Requisition) == 0
    assert f'<option value="{part}" selected>BJ-0010 · 电源模块</option>' in html  # the choices kept
    assert f'<option value="{mine}" selected>' in html
    data.pop("part_1")
    assert client.post("/requisitionview/add", data=data).status_code == 302
    with app.app_context():
        req = db.session.scalars(sa.select(Requisition)).one()
        assert req.ticket_id == mine and [ln.part_id for ln in req.lines] == [part]
