"""Trips of field work: field engineers see and write only their own; dates in order."""
import sqlalchemy as sa

from app.extensions import db
from app.models import TicketStatus, Trip
from tests.conftest import csrf_token
from tests.records import make_customer, make_ticket

TRIP = {"departure_at": "2026-04-02 08:00:00", "return_at": "2026-04-02 17:30:00", "destination": "西河乡水利局",
        "purpose": "接收站故障上门维修", "vehicle": "皖A·12345", "mileage_km": "86.5"}


def test_field_engineer_records_and_sees_only_own_trips(app, client, api, staff):
    mine = client.post("/api/v1/trip/", json={**TRIP, "engineer": staff["field1"]}, headers=api("field1"))
    assert mine.status_code == 201, mine.json
    theirs = client.post("/api/v1/trip/", json={**TRIP, "engineer": staff["field2"]}, headers=api("field2"))
    assert theirs.status_code == 201
    forged = client.post("/api/v1/trip/", json={**TRIP, "engineer": staff["field2"]}, headers=api("field1"))
    assert forged.status_code == 403 and "your own trips" in str(forged.json["message"])
    listed = client.get("/api/v1/trip/", headers=api("field1")).json["result"]
    assert [t["engineer"]["name"] for t in listed] == ["张伟"]
    assert client.get(f"/api/v1/trip/{theirs.json['id']}", headers=api("field1")).status_code == 404
    assert client.put(f"/api/v1/trip/{theirs.json['id']}", json={"vehicle": "x"}, headers=api("field1")).status_code == 404
    assert client.put(f"/api/v1/trip/{mine.json['id']}", json={"engineer": staff["field2"]},
                      headers=api("field1")).status_code == 403
    assert len(client.get("/api/v1/trip/", headers=api("manager")).json["result"]) == 2
    assert client.get("/api/v1/trip/", headers=api("keeper")).status_code == 403
    with app.app_context():
        assert db.session.get(Trip, mine.json["id"]).engineer_id == staff["field1"]


def test_return_before_departure_and_negative_mileage_refused(app, client, api, staff):
    h = api("manager")
    body = {**TRIP, "engineer": staff["field1"]}
    back = client.post("/api/v1/trip/", json={**body, "return_at": "2026-04-01 17:00:00"}, headers=h)
    assert back.status_code == 422 and "return_at" in back.json["message"]
    assert client.post("/api/v1/trip/", json={**body, "mileage_km": "-3"}, headers=h).status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Trip)) == 0


def test_html_trip_with_ticket_number_and_own_list(app, as_user, staff, client, api):
    tid = make_ticket(app, make_customer(app), "T-0200", assignee_id=staff["field1"], status=TicketStatus.in_progress)
    client.post("/api/v1/trip/", json={**TRIP, "destination": "北岭乡林业站", "engineer": staff["field2"]},
                headers=api("field2"))
    browser = as_user("field1")
    token = csrf_token(browser, "/tripview/add")
    data = {**TRIP, "engineer": str(staff["field1"]), "ticket_ref": "T-0200", "inspection_ref": "",
            "csrf_token": token}
    resp = browser.post("/tripview/add", data={**data, "return_at": "2026-04-01 07:00:00"})
    assert resp.status_code == 200 and "The return must not be before the departure." in resp.get_data(as_text=True)
    assert browser.post("/tripview/add", data=data).status_code == 302
    with app.app_context():
        trip = db.session.scalar(sa.select(Trip).where(Trip.engineer_id == staff["field1"]))
        assert trip.ticket_id == tid
        pk = trip.id
    listing = browser.get("/tripview/list/").get_data(as_text=True)
    assert "西河乡水利局" in listing and "北岭乡林业站" not in listing
    edit = browser.get(f"/tripview/edit/{pk}").get_data(as_text=True)
    assert 'value="T-0200"' in edit


def test_field_engineer_cannot_log_a_trip_for_another_engineers_ticket(app, client, api, staff):
    theirs = make_ticket(app, make_customer(app), "T-0300", assignee_id=staff["field2"], status=TicketStatus.in_progress)
    resp = client.post("/api/v1/trip/", json={**TRIP, "engineer": staff["field1"], "ticket": theirs},
                       headers=api("field1"))
    assert resp.status_code == 403 and "ticket" in resp.json["message"]
    ok = client.post("/api/v1/trip/", json={**TRIP, "engineer": staff["field1"], "ticket": theirs},
                     headers=api("manager"))
    assert ok.status_code == 201
