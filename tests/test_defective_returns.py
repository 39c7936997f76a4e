"""Faulty parts owed back, one row per unit: the ticket page's parts story and the engineer's
hand-back (a serial number per unit), then the keeper's receipt."""
import sqlalchemy as sa

from app.extensions import db
from app.models import DefectiveReturn, ReturnStatus, Ticket
from app.services import defective
from tests.conftest import csrf_token
from tests.parts_helpers import check_invariants
from tests.test_requisitions import create, setup, warranty_ticket  # noqa: F401 - the fixture


def issued(client, api, setup, qty=2, engineer=None, login="field1"):
    """A slip for a ticket, approved and issued: (ticket id, slip id, issue movement ids)."""
    ticket = warranty_ticket(False)
    db.session.get(Ticket, ticket).assignee_id = setup["staff"][login]  # a field engineer sees his own tickets
    db.session.commit()
    data = create(client, api(login), setup, ticket=ticket, engineer=engineer,
                  lines=[{"part": setup["part"], "qty": qty}, {"part": setup["screw"], "qty": 1}]).json
    lines = [{"line": ln["id"], "qty": ln["qty_requested"]} for ln in data["result"]["lines"]]
    client.post(f"/api/v1/requisition/{data['id']}/approve", headers=api("manager"))
    moves = client.post(f"/api/v1/requisition/{data['id']}/issue", json={"lines": lines},
                        headers=api("keeper")).json["movements"]
    return ticket, data["id"], [m["id"] for m in moves]


def units():
    return db.session.scalars(sa.select(DefectiveReturn).order_by(DefectiveReturn.id)).all()


def test_an_issue_of_two_owes_two_units_and_the_ticket_page_tells_the_parts_story(app, client, api, as_user, setup):
    with app.app_context():
        ticket, slip, _moves = issued(client, api, setup, qty=2)
        owed = units()
        assert [(u.qty, u.status) for u in owed] == [(1, ReturnStatus.owed)] * 2  # the screw expects no return
        number = db.session.get(DefectiveReturn, owed[0].id).requisition.number
    field1 = as_user("field1")
    page = field1.get(f"/ticketview/show/{ticket}").get_data(as_text=True)
    field1.get("/logout/")
    assert 'class="table table-condensed ticket-parts"' in page and number in page
    assert "P-0001" in page and "SCREW" in page
    assert page.count('name="unit"') == 2 and "hand-back-form" in page
    # the tech engineer sees the story but has nothing of his own to hand back
    page = as_user("tech").get(f"/ticketview/show/{ticket}").get_data(as_text=True)
    assert number in page and "ticket-faulty-units" in page and "hand-back-form" not in page


def test_the_engineer_hands_back_each_unit_with_its_serial_then_the_keeper_receives(app, client, api, as_user, setup):
    with app.app_context():
        ticket, _slip, moves = issued(client, api, setup, qty=2)
        first, second = (u.id for u in units())
    field1 = as_user("field1")
    token = csrf_token(field1, f"/ticketview/show/{ticket}")
    back = f"/ticketview/show/{ticket}"
    # the same serial twice is refused and nothing is written
    resp = field1.post("/defectivereturnview/hand_back/", data={
        "unit": [first, second], f"serial_{first}": "SN-7", f"serial_{second}": "SN-7", "next": back,
        "csrf_token": token}, follow_redirects=True)
    assert "Serial number SN-7 is given twice." in resp.get_data(as_text=True)
    with app.app_context():
        assert {u.status for u in units()} == {ReturnStatus.owed}
    # a serial longer than the column takes: a message by name, nothing written
    resp = field1.post("/defectivereturnview/hand_back/", data={
        "unit": [first], f"serial_{first}": "S" * 101, "next": back, "csrf_token": token}, follow_redirects=True)
    assert "takes at most 100 characters (101 typed)" in resp.get_data(as_text=True)
    resp = field1.post("/defectivereturnview/hand_back/", data={
        "unit": [first, second], f"serial_{first}": " SN-7 ", f"condition_{first}": "烧毁",
        f"serial_{second}": "SN-8", "next": back, "csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(back)
    with app.app_context():
        rows = units()
        assert [(u.status, u.serial_number, u.condition) for u in rows] == [
            (ReturnStatus.handed_back, "SN-7", "烧毁"), (ReturnStatus.handed_back, "SN-8", None)]
        assert all(u.handed_back_at is not None for u in rows)
    page = field1.get(back).get_data(as_text=True)
    assert "SN-7" in page and "SN-8" in page and "hand-back-form" not in page
    # twice: 409 on the API
    resp = client.post(f"/api/v1/defective_return/{first}/hand_back", json={"serial_number": "X"}, headers=api("field1"))
    assert resp.status_code == 409 and "already been handed back" in resp.json["message"]
    # the keeper logs the receipt; an empty serial box keeps the engineer's
    field1.get("/logout/")
    keeper = as_user("keeper")
    keeper.post(f"/defectivereturnview/receive/{first}",
                data={"serial_number": "", "condition": "", "csrf_token": csrf_token(keeper, f"/defectivereturnview/show/{first}")})
    with app.app_context():
        row = db.session.get(DefectiveReturn, first)
        assert (row.status, row.serial_number, row.condition) == (ReturnStatus.received, "SN-7", "烧毁")
    # the issue cannot be reversed once its faulty units came back
    assert client.post(f"/api/v1/stock/reverse/{moves[0]}", headers=api("keeper")).status_code == 409
    with app.app_context():
        check_invariants()


def test_only_the_engineer_who_owes_a_unit_hands_it_back(app, client, api, as_user, setup):
    with app.app_context():
        _ticket, _slip, _moves = issued(client, api, setup, qty=1)
        unit = units()[0].id
    # the tech engineer may hand back his own, not field1's: 403 from the rule, not the row filter
    resp = client.post(f"/api/v1/defective_return/{unit}/hand_back", json={"serial_number": "A"}, headers=api("tech"))
    assert resp.status_code == 403 and "Only the engineer who owes" in resp.json["message"]
    # field2 does not even see it
    resp = client.post(f"/api/v1/defective_return/{unit}/hand_back", json={"serial_number": "A"}, headers=api("field2"))
    assert resp.status_code == 404
    # the keeper has no hand-back permission
    assert client.post(f"/api/v1/defective_return/{unit}/hand_back", json={}, headers=api("keeper")).status_code == 403
    resp = client.post(f"/api/v1/defective_return/{unit}/hand_back", json={"serial_number": "SN-1"}, headers=api("field1"))
    assert resp.status_code == 200 and resp.json["result"]["status"] == "handed_back"
    with app.app_context():
        assert units()[0].serial_number == "SN-1"


def test_unused_returns_forgive_owed_units_and_a_reversal_removes_them(app, client, api, setup):
    with app.app_context():
        _ticket, slip, moves = issued(client, api, setup, qty=3)
        line = next(ln for ln in db.session.get(DefectiveReturn, units()[0].id).requisition.lines
                    if ln.part_id == setup["part"]).id
    resp = client.post(f"/api/v1/requisition/{slip}/return_unused", json={"line": line, "qty": 2}, headers=api("keeper"))
    assert resp.status_code == 201
    with app.app_context():
        assert len(units()) == 1
        # what is still owed shows per engineer, counted in units
        staff, slips, owed = defective.owed_by_engineer()[0]
        assert (slips, owed) == (1, 1)
    resp = client.post(f"/api/v1/requisition/{slip}/return_unused", json={"line": line, "qty": 1}, headers=api("keeper"))
    assert resp.status_code == 201
    with app.app_context():
        assert units() == [] and defective.owed_by_engineer() == []
        check_invariants()


def test_one_reminder_per_part_of_a_slip_however_many_units_are_owed(app, client, api, setup):
    from datetime import timedelta

    from app.clock import now_utc
    from app.models.notifications import Notification
    from app.notifications import rules

    with app.app_context():
        issued(client, api, setup, qty=3)
    with app.app_context():  # a fresh one: the sweep acts as nobody (the API calls above were the keeper)
        later = now_utc() + timedelta(days=8)
        sent = rules.parts_owed(later)
        db.session.commit()
        assert rules.parts_owed(later) == 0  # once
        notices = db.session.scalars(sa.select(Notification).where(Notification.kind == "parts_owed")).all()
        users = {n.user_id for n in notices}
        assert sent == len(notices) == len(users) == 2  # the keeper and the engineer, once each
        assert all(n.body.endswith("3 owed") for n in notices), [n.body for n in notices]
