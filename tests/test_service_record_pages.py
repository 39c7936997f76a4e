"""Every screen of the service records (callbacks, complaints, inspections, maintenance) renders for the roles that have it, with a constant number of queries."""
import pytest

from app.extensions import db
from tests.conftest import count_queries, login

VIEWS = {
    "CallbackPlanView": "/callbackplanview/list/",
    "CallbackRecordView": "/callbackrecordview/list/",
    "ComplaintView": "/complaintview/list/",
    "OverdueComplaintView": "/overduecomplaints/list/",
    "InspectionPlanView": "/inspectionplanview/list/",
    "InspectionRecordView": "/inspectionrecordview/list/",
    "MaintenancePlanView": "/maintenanceplanview/list/",
    "MaintenanceRecordView": "/maintenancerecordview/list/",
    "UpgradeRequestView": "/upgraderequestview/list/",
}


def test_list_pages_render_with_constant_queries(demo):
    web = demo.test_client()
    assert login(web, "manager").status_code == 302
    for name, url in VIEWS.items():
        counts = []
        for size in (5, 50):
            web.get(f"{url}?psize_{name}=1")  # warm up
            with demo.app_context(), count_queries(db.engine) as statements:
                resp = web.get(f"{url}?psize_{name}={size}")
            assert resp.status_code == 200, url
            counts.append(len(statements))
        assert counts[0] == counts[1], (url, counts)
    assert web.get("/callbackrecordview/due").status_code == 200
    for url in ("/complaintview/show/1", "/inspectionrecordview/show/1", "/upgraderequestview/show/1",
                "/maintenanceplanview/show/1", "/callbackrecordview/show/1", "/complaintview/report/1",
                "/inspectionplanview/show/1", "/callbackrecordview/add", "/complaintview/add",
                "/inspectionrecordview/edit/1", "/upgraderequestview/edit/1"):
        assert web.get(url).status_code == 200, url


@pytest.mark.parametrize("login, url, status", [
    ("cs", "/callbackrecordview/due", 200),
    ("field1", "/callbackrecordview/due", 403),
    ("keeper", "/complaintview/list/", 403),
    ("field1", "/inspectionrecordview/list/", 200),
    ("tech", "/upgraderequestview/list/", 200),
    ("cs", "/overduecomplaints/list/", 200),
    ("field2", "/maintenancerecordview/add", 200),
    ("field2", "/maintenanceplanview/add", 403),
])
def test_pages_follow_the_policy(as_user, login, url, status):
    assert as_user(login).get(url).status_code == status


def test_menu_shows_the_registers_to_the_cs_rep(as_user):
    html = as_user("cs").get("/").get_data(as_text=True)
    assert "Due callbacks" in html and "Complaints" in html and "Overdue complaints" in html
    assert "Maintenance plans" in html


def test_keeper_menu_has_none_of_them(client, as_user):
    html = as_user("keeper").get("/").get_data(as_text=True)
    assert "Due callbacks" not in html and "Inspection records" not in html and "Upgrade requests" not in html
