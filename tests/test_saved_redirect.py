"""After add or edit on a screen: the record's own page, with one message that names the record."""
import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import User

from app.extensions import db
from app.models import Contact, Ticket
from tests.conftest import csrf_token
from tests.records import make_customer

TICKET = {"channel": "phone", "category": "hardware", "severity": "general",
          "title": "打印机卡纸", "description": "前台打印机卡纸"}


def _flashes(client) -> list:
    with client.session_transaction() as session:
        return list(session.get("_flashes") or [])


def test_ticket_add_opens_the_ticket_page_naming_it_in_chinese(app, as_user):
    client = as_user("cs")
    client.get("/lang/zh_Hans")
    cid = make_customer(app, with_equipment=True)
    token = csrf_token(client, "/ticketview/add")
    resp = client.post("/ticketview/add", data={**TICKET, "customer": str(cid), "csrf_token": token})
    with app.app_context():
        ticket = db.session.scalar(sa.select(Ticket))
        pk, number = ticket.id, ticket.number
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/ticketview/show/{pk}")
    # one message, naming the ticket; FAB's "Added Row" is not shown besides it
    assert _flashes(client) == [("success", f"工单 {number} 打印机卡纸 已保存。")]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f"工单 {number} 打印机卡纸 已保存。" in page and number in page


def test_contact_add_and_edit_open_the_contact_page_in_english(app, as_user):
    client = as_user("manager")
    cid = make_customer(app, with_equipment=True)
    token = csrf_token(client, "/contactview/add")
    resp = client.post("/contactview/add", data={"customer": str(cid), "name": "李工", "csrf_token": token})
    with app.app_context():
        pk = db.session.scalar(sa.select(Contact.id))
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/contactview/show/{pk}")
    assert _flashes(client) == [("success", "Contact 李工 saved.")]
    client.get(resp.headers["Location"])  # the message is read
    resp = client.post(f"/contactview/edit/{pk}", data={"customer": str(cid), "name": "王工", "csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/contactview/show/{pk}")
    assert _flashes(client) == [("success", "Contact 王工 saved.")]


def test_refused_form_stays_on_the_form_without_a_saved_message(app, as_user):
    client = as_user("cs")
    cid = make_customer(app, with_equipment=True)
    token = csrf_token(client, "/ticketview/add")
    resp = client.post("/ticketview/add", data={**TICKET, "title": "", "customer": str(cid), "csrf_token": token})
    assert resp.status_code == 200
    assert not any("saved" in str(message) for _, message in _flashes(client))


def test_without_show_permission_the_old_redirect_stays(app, as_user, monkeypatch):
    client = as_user("cs")
    cid = make_customer(app, with_equipment=True)
    sm = app.appbuilder.sm
    real = sm.has_access
    monkeypatch.setattr(sm, "has_access", lambda perm, view: perm != "can_show" and real(perm, view))
    client.get("/ticketview/list/")  # the page FAB goes back to
    token = csrf_token(client, "/ticketview/add")
    resp = client.post("/ticketview/add", data={**TICKET, "customer": str(cid), "csrf_token": token})
    assert resp.status_code == 302 and "/show/" not in resp.headers["Location"]
    assert [category for category, _ in _flashes(client)] == ["success"]


def test_admin_adds_a_user_and_sees_their_name_family_first(app, as_user):
    client = as_user("admin")
    token = csrf_token(client, "/users/add")
    with app.app_context():
        role = app.appbuilder.sm.find_role("Customer Service").id
    password = "quiet harbour lantern 2026"
    resp = client.post("/users/add", data={
        "first_name": "建华", "last_name": "周", "username": "zhoujh", "email": "zhoujh@test.invalid",
        "active": "y", "roles": str(role), "password": password, "conf_password": password,
        "csrf_token": token})
    with app.app_context():
        pk = db.session.scalar(sa.select(User.id).where(User.username == "zhoujh"))
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/users/show/{pk}")
    assert _flashes(client) == [("success", "User 周建华 saved.")]
