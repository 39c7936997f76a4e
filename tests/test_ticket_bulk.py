"""Bulk assignment of tickets: the list action's form page and the API, all or none."""
from __future__ import annotations

from app.extensions import db
from app.models import Ticket
from tests.conftest import csrf_token
from tests.records import make_customer
from tests.ticket_helpers import new_ticket, ticket


def _tickets(app, n=3):
    cid = make_customer(app, with_equipment=True)
    return [new_ticket(app, cid, title=f"批量工单{i}") for i in range(n)]


def _cancel(app, pk):
    with app.app_context():
        db.session.get(Ticket, pk).status = "cancelled"
        db.session.commit()
        return db.session.get(Ticket, pk).number


def test_manager_assigns_several_tickets_in_one_step(app, as_user, staff):
    ids = _tickets(app)
    client = as_user("manager")
    page = client.get("/ticketview/bulk-assign?" + "&".join(f"ids={i}" for i in ids))
    assert page.status_code == 200 and "批量工单2" in page.get_data(as_text=True)
    resp = client.post("/ticketview/bulk-assign", data={
        "csrf_token": csrf_token(client, "/ticketview/list/"), "ids": ids, "assignee": staff["field1"]},
        follow_redirects=True)
    assert resp.status_code == 200
    for pk in ids:
        t = ticket(app, pk)
        assert t["status"] == "assigned" and t["assignee_id"] == staff["field1"]
        assert t["events"][-1][1] == "assigned"  # the same move as a single assignment: on the timeline
    html = resp.get_data(as_text=True)
    assert all(ticket(app, pk)["number"] in html for pk in ids)  # the flash names them


def test_one_ticket_that_cannot_be_assigned_stops_them_all(app, as_user, staff):
    ids = _tickets(app)
    number = _cancel(app, ids[1])
    client = as_user("manager")
    resp = client.post("/ticketview/bulk-assign", data={
        "csrf_token": csrf_token(client, "/ticketview/list/"), "ids": ids, "assignee": staff["field1"]})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and number in html  # the form again, the failing ticket named
    assert [ticket(app, pk)["status"] for pk in ids] == ["new", "cancelled", "new"]
    assert all(ticket(app, pk)["assignee_id"] is None for pk in ids)


def test_not_an_engineer_is_refused_for_all(app, as_user, staff):
    ids = _tickets(app, 2)
    client = as_user("manager")
    client.post("/ticketview/bulk-assign", data={
        "csrf_token": csrf_token(client, "/ticketview/list/"), "ids": ids, "assignee": staff["keeper"]})
    assert all(ticket(app, pk)["status"] == "new" for pk in ids)


def test_list_offers_the_action_only_to_those_who_may_assign(app, as_user):
    _tickets(app, 1)
    assert "bulk_assign_action" in as_user("manager").get("/ticketview/list/").get_data(as_text=True)


def test_cs_may_not_bulk_assign(app, as_user, client, staff):
    ids = _tickets(app, 1)
    cs = as_user("cs")
    assert "bulk_assign_action" not in cs.get("/ticketview/list/").get_data(as_text=True)
    assert cs.get(f"/ticketview/bulk-assign?ids={ids[0]}").status_code != 200
    assert ticket(app, ids[0])["status"] == "new"


def test_api_bulk_assign(app, client, api, staff):
    ids = _tickets(app)
    resp = client.post("/api/v1/ticket/bulk-assign", json={"ids": ids, "assignee": staff["field2"]},
                       headers=api("tech"))
    assert resp.status_code == 200, resp.json
    assert sorted(resp.json["ids"]) == sorted(ids)
    assert {ticket(app, pk)["assignee_id"] for pk in ids} == {staff["field2"]}


def test_api_bulk_assign_all_or_none_with_a_message(app, client, api, staff):
    ids = _tickets(app)
    number = _cancel(app, ids[2])
    resp = client.post("/api/v1/ticket/bulk-assign", json={"ids": ids, "assignee": staff["field2"]},
                       headers=api("manager"))
    assert resp.status_code == 409 and number in resp.json["message"]
    assert all(ticket(app, pk)["assignee_id"] is None for pk in ids)


def test_api_bulk_assign_bad_input(app, client, api, staff):
    h = api("manager")
    ids = _tickets(app, 1)
    for body, status in (([1], 400), ({"ids": []}, 422), ({"ids": ["x"]}, 422),
                         ({"ids": [999999], "assignee": staff["field1"]}, 404),
                         ({"ids": ids}, 422), ({"ids": ids, "assignee": "abc"}, 422)):
        resp = client.post("/api/v1/ticket/bulk-assign", json=body, headers=h)
        assert resp.status_code == status, (body, resp.json)
        assert resp.json["message"], body


def test_api_roles_without_the_assign_right_get_403(app, client, api, staff):
    ids = _tickets(app, 1)
    for login in ("cs", "field1", "keeper"):
        resp = client.post("/api/v1/ticket/bulk-assign", json={"ids": ids, "assignee": staff["field1"]},
                           headers=api(login))
        assert resp.status_code == 403, login
    assert ticket(app, ids[0])["status"] == "new"


def _action(client, name, ids):
    return client.post("/ticketview/action_post", data={
        "csrf_token": csrf_token(client, "/ticketview/list/"), "action": name, "rowid": ids})


def test_tick_tickets_and_link_them_as_related(app, as_user):
    ids = _tickets(app)
    client = as_user("cs")
    assert _action(client, "link_related_action", ids).status_code == 302
    from app.models import TicketLink
    with app.app_context():
        pairs = {(link.ticket_id, link.other_id, link.kind.value) for link in db.session.query(TicketLink)}
    assert pairs == {(ids[0], ids[1], "related"), (ids[0], ids[2], "related"), (ids[1], ids[2], "related")}
    _action(client, "link_related_action", ids[:2])  # again: nothing twice
    with app.app_context():
        assert db.session.query(TicketLink).count() == 3
    page = client.get(f"/ticketview/show/{ids[0]}").get_data(as_text=True)
    assert "ticket-links" in page and ticket(app, ids[2])["number"] in page


def test_mark_duplicates_of_one_chosen_ticket(app, as_user):
    ids = _tickets(app)
    client = as_user("manager")
    resp = _action(client, "mark_duplicates_action", ids)
    assert resp.status_code == 302 and "/ticketview/duplicates" in resp.headers["Location"]
    form = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert all(ticket(app, pk)["number"] in form for pk in ids)
    client.post("/ticketview/duplicates", data={
        "csrf_token": csrf_token(client, "/ticketview/list/"), "ids": ids, "original": ids[0]})
    from app.models import TicketLink
    with app.app_context():
        rows = {(link.ticket_id, link.other_id, link.kind.value) for link in db.session.query(TicketLink)}
    assert rows == {(ids[1], ids[0], "duplicate"), (ids[2], ids[0], "duplicate")}
    original = ticket(app, ids[0])["number"]
    assert any(original in (note or "") for _f, _t, note in ticket(app, ids[1])["events"])
    # a duplicate cannot be made the duplicate of another ticket as well
    resp = client.post("/ticketview/duplicates", data={
        "csrf_token": csrf_token(client, "/ticketview/list/"), "ids": ids[1:], "original": ids[2]},
        follow_redirects=True)
    assert f'Ticket {ticket(app, ids[1])["number"]} is already marked a duplicate' in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(TicketLink).count() == 2


def test_duplicates_of_another_customer_are_refused(app, as_user):
    a = _tickets(app, 1)[0]
    other = new_ticket(app, make_customer(app, 2, with_equipment=True))
    client = as_user("manager")
    resp = client.post("/ticketview/duplicates", data={
        "csrf_token": csrf_token(client, "/ticketview/list/"), "ids": [a, other], "original": a})
    assert resp.status_code == 200
    assert f'Ticket {ticket(app, other)["number"]} is of another customer' in resp.get_data(as_text=True)
    from app.models import TicketLink
    with app.app_context():
        assert db.session.query(TicketLink).count() == 0


def test_field_engineer_may_not_link(app, as_user):
    ids = _tickets(app, 2)
    client = as_user("field1")
    assert client.get("/ticketview/duplicates?" + "&".join(f"ids={i}" for i in ids)).status_code != 200
