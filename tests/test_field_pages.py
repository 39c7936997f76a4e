"""Phone pages, equipment page, QR labels and print views: what they show and to whom."""
from __future__ import annotations

import re

from app.extensions import db
from app.models import Equipment, Ticket
from tests.test_attachments import data_url, jpeg_with_gps, png_signature, upload, work  # noqa: F401


def test_my_work_today_lists_my_tickets_by_deadline(app, as_user, work):
    with app.app_context():
        mine = db.session.get(Ticket, work["mine"])
        mine.contact = None
        mine.customer.phone = "0571 8888 1234"
        mine.customer.address = "东城镇人民路 1 号"
        db.session.commit()
        number = mine.number
    page = as_user("field1").get("/field/today").get_data(as_text=True)
    assert number in page and 'href="tel:057188881234"' in page and "东城镇人民路 1 号" in page
    assert "服务器报警" not in page  # field2's ticket


def test_repair_form_keeps_input_on_error_and_refuses_other_tickets(app, as_user, client, work):
    browser = as_user("field1")
    html = browser.get(f"/field/repair/{work['mine']}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    resp = browser.post(f"/field/repair/{work['mine']}", data={
        "csrf_token": token, "arrived_at": "2026-13-40T99:00", "work_done": "检查线路", "result": "fixed"})
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "Not a valid date and time." in body and "检查线路" in body
    assert browser.get(f"/field/repair/{work['theirs']}").status_code == 404
    assert browser.get(f"/field/sign/{work['repair']}").status_code == 200
    client.get("/logout/")
    assert as_user("field2").get(f"/field/sign/{work['repair']}").status_code == 404


def test_equipment_page_labels_and_print_views(app, client, api, as_user, work):
    pk = work["repair"]
    assert client.post(f"/api/v1/repair_record/{pk}/signature", headers=api("field1"),
                       json={"signer": "李主任", "image": data_url(png_signature())}).status_code == 201
    with app.app_context():
        ticket = db.session.get(Ticket, work["mine"])
        equipment = db.session.query(Equipment).filter_by(customer_id=ticket.customer_id).first()
        ticket.equipment = equipment
        number = ticket.number
        db.session.commit()
        eid, cid = equipment.id, equipment.customer_id
    browser = as_user("field1")
    labels = browser.get(f"/equipmentview/labels/{cid}").get_data(as_text=True)
    assert labels.count("<svg") == 1 and f"/equipmentview/show/{eid}" in labels and "SN-1" in labels
    page = browser.get(f"/equipmentview/show/{eid}").get_data(as_text=True)
    assert "In warranty" in page and number in page and "更换高频头" in page
    show = browser.get(f"/repairrecordview/show/{pk}").get_data(as_text=True)
    assert f"/repairrecordview/print/{pk}" in show and f"/repairrecordview/form/{pk}.xlsx" in show
    printed = browser.get(f"/repairrecordview/print/{pk}").get_data(as_text=True)
    assert "On-site repair record" in printed and "李主任" in printed and "/attachmentview/file/" in printed
    report = browser.get(f"/ticketview/print/{work['mine']}").get_data(as_text=True)
    assert "Service report" in report and "Customer confirmation signature" in report
    assert "/attachmentview/file/" in report
    client.get("/logout/")
    other = as_user("field2")
    assert other.get(f"/repairrecordview/print/{pk}").status_code == 404
    # field2 sees the equipment page but not field1's ticket or repair on it
    page = other.get(f"/equipmentview/show/{eid}").get_data(as_text=True)
    assert number not in page and "更换高频头" not in page
