"""Weekly technical meetings: minutes with attendees and action items (owner, due date, done)."""
import sqlalchemy as sa

from app.extensions import db
from app.models import ActionItem, Meeting
from tests.conftest import csrf_token


def make_meeting(client, h, staff):
    resp = client.post("/api/v1/meeting/", json={
        "held_on": "2026-03-02", "title": "第10周技术例会", "host": staff["tech"],
        "attendees": [staff["tech"], staff["field1"], staff["field2"]],
        "discussion": "上周故障汇总；RS-3000 天线告警复发", "decisions": "编写天线校准作业指导书"}, headers=h)
    assert resp.status_code == 201, resp.json
    return resp.json["id"]


def test_meeting_with_attendees_and_action_items(app, client, api, staff):
    h = api("tech")
    mid = make_meeting(client, h, staff)
    shown = client.get(f"/api/v1/meeting/{mid}", headers=api("field1")).json["result"]
    assert sorted(shown["attendee_names"]) == ["刘洋", "张伟", "李明"]
    assert sorted(shown["attendee_ids"]) == sorted([staff["tech"], staff["field1"], staff["field2"]])
    item = {"meeting": mid, "description": "编写天线校准作业指导书", "owner": staff["tech"], "due_on": "2026-03-09"}
    assert client.post("/api/v1/action_item/", json=item, headers=h).status_code == 201
    early = client.post("/api/v1/action_item/", json={**item, "due_on": "2026-03-01"}, headers=h)
    assert early.status_code == 422 and "due_on" in early.json["message"]
    q = "(filters:!((col:done,opr:eq,value:!f)))"
    open_items = client.get(f"/api/v1/action_item/?q={q}", headers=h).json["result"]
    assert [(i["owner"]["name"], i["due_on"]) for i in open_items] == [("李明", "2026-03-09")]
    assert client.post("/api/v1/meeting/", json={}, headers=api("field1")).status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ActionItem)) == 1


def test_html_meeting_page_shows_action_items(app, client, api, as_user, staff):
    mid = make_meeting(client, api("tech"), staff)
    client.post("/api/v1/action_item/", json={"meeting": mid, "description": "编写天线校准作业指导书",
                                              "owner": staff["tech"], "due_on": "2026-03-09"}, headers=api("tech"))
    browser = as_user("tech")
    token = csrf_token(browser, "/actionitemview/add")
    resp = browser.post("/actionitemview/add", data={
        "meeting": str(mid), "description": "统计一季度备件消耗", "owner": str(staff["keeper"]),
        "due_on": "2026-03-06", "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    browser.get("/logout/")
    page = as_user("cs").get(f"/meetingview/show/{mid}").get_data(as_text=True)
    assert "统计一季度备件消耗" in page and "编写天线校准作业指导书" in page
    assert "label-warning" in page  # due in March 2026 and not done: overdue
    with app.app_context():
        assert len(db.session.get(Meeting, mid).attendees) == 3
