"""Attachments and drawn signatures through the API, as the engineers and the manager use them."""
from __future__ import annotations

import base64
import hashlib
import io
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from PIL import Image

from app.attachments import storage
from app.extensions import db
from app.models import Attachment, AuditLog, RepairRecord, Ticket
from app.models.base import utcnow
from tests.records import make_customer
from tests.ticket_helpers import new_ticket

GPS_TAG = 0x8825


def jpeg_with_gps(size=(64, 48), color="blue") -> bytes:
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 1  # orientation
    exif.get_ifd(GPS_TAG).update({1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_signature(size=(300, 100)) -> bytes:
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    for x in range(20, 280):
        image.putpixel((x, 50 + (x % 20) - 10), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


@pytest.fixture
def work(app, staff):
    """One ticket each for field1 and field2, assigned and in progress, and a repair record of field1's."""
    cid = make_customer(app, with_equipment=True)
    mine = new_ticket(app, cid, status="in_progress", assignee_id=staff["field1"], title="接收站无信号")
    theirs = new_ticket(app, cid, status="in_progress", assignee_id=staff["field2"], title="服务器报警")
    with app.app_context():
        from app.models import Staff

        record = RepairRecord(ticket=db.session.get(Ticket, mine), arrived_at=utcnow() - timedelta(hours=1),
                              work_done="更换高频头", result="fixed", engineers=[db.session.get(Staff, staff["field1"])])
        db.session.add(record)
        db.session.commit()
        return {"mine": mine, "theirs": theirs, "repair": record.id, "staff": staff}


def upload(client, headers, record, record_id, data, filename="photo.jpg", **extra):
    return client.post("/api/v1/attachment/", headers=headers, content_type="multipart/form-data",
                       data={"record": record, "record_id": str(record_id),
                             "file": (io.BytesIO(data), filename), **extra})


def test_photo_upload_strips_location_and_keeps_its_sha256(app, client, api, work):
    photo = jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_TAG)  # the camera's position is in the file
    resp = upload(client, api("field1"), "ticket", work["mine"], photo, "IMG_0001.JPG")
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert set(body) == {"id", "filename", "content_type", "size", "sha256"}
    assert body["content_type"] == "image/jpeg" and body["filename"] == "IMG_0001.JPG"
    with app.app_context():
        stored = storage.read(body["sha256"])
        assert hashlib.sha256(stored).hexdigest() == body["sha256"] and len(stored) == body["size"]
        cleaned = Image.open(io.BytesIO(stored))
        assert not cleaned.getexif() and "exif" not in cleaned.info  # no GPS, no camera make
        assert cleaned.size == (64, 48)
        assert storage.thumb_path_of(body["sha256"]).exists()
        assert str(storage.root()) == app.config["ATTACHMENT_DIR"]
    # listed with the usual rison filters, downloaded with the same bytes
    q = f"(filters:!((col:record_type,opr:eq,value:ticket),(col:record_id,opr:eq,value:{work['mine']})))"
    listed = client.get(f"/api/v1/attachment/?q={q}", headers=api("field1"))
    assert listed.status_code == 200 and listed.json["ids"] == [body["id"]]
    assert listed.json["result"][0]["sha256"] == body["sha256"]
    got = client.get(f"/api/v1/attachment/{body['id']}/file", headers=api("field1"))
    assert got.status_code == 200 and got.mimetype == "image/jpeg"
    assert hashlib.sha256(got.get_data()).hexdigest() == body["sha256"]
    # the upload is in the audit trail with its sha256 and who sent it
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.table_name == "attachment",
                                                             AuditLog.action == "insert")).one()
        assert entry.username == "field1" and entry.changes["sha256"][1] == body["sha256"]


def test_documents_pass_other_content_is_refused_by_its_bytes(app, client, api, work):
    headers = api("field1")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    resp = upload(client, headers, "ticket", work["mine"], pdf, "报告.pdf")
    assert resp.status_code == 201 and resp.json["content_type"] == "application/pdf"
    # a wrong extension is put right from the content
    resp = upload(client, headers, "ticket", work["mine"], pdf + b" ", "scan.jpg")
    assert resp.status_code == 201 and resp.json["filename"] == "scan.pdf"
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    elf = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
    fake_jpeg = b"\xff\xd8\xff\xe0" + b"not really a picture" * 10  # a JPEG header over junk
    for data, name in ((executable, "photo.jpg"), (elf, "photo.jpg"), (b"<script>alert(1)</script>", "a.png"),
                       (fake_jpeg, "broken.jpg")):
        resp = upload(client, headers, "ticket", work["mine"], data, name)
        assert resp.status_code == 415, (name, resp.status_code, resp.json)
        assert "message" in resp.json
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 2
    # bad input: JSON instead of multipart, no file, unknown record type
    assert client.post("/api/v1/attachment/", json={}, headers=headers).status_code == 400
    resp = client.post("/api/v1/attachment/", headers=headers, content_type="multipart/form-data",
                       data={"record": "ticket", "record_id": str(work["mine"])})
    assert resp.status_code == 400
    assert upload(client, headers, "customer", 1, pdf).status_code == 422


def test_size_limit_answers_413(app, client, api, work, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_MB", 0.01)  # 10 KB
    big = b"%PDF-1.4\n" + b"0" * 20_000
    resp = upload(client, api("field1"), "ticket", work["mine"], big, "big.pdf")
    assert resp.status_code == 413 and "MB" in str(resp.json["message"])
    small = b"%PDF-1.4\n" + b"0" * 5_000
    assert upload(client, api("field1"), "ticket", work["mine"], small, "small.pdf").status_code == 201
    # a body far over the limit is refused from its Content-Length, before it is read
    huge = b"%PDF-1.4\n" + b"0" * 1_200_000
    resp = upload(client, api("field1"), "ticket", work["mine"], huge, "huge.pdf")
    assert resp.status_code == 413
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 1


def test_another_engineer_cannot_see_download_or_add(app, client, api, as_user, work):
    photo = upload(client, api("field1"), "repair_record", work["repair"], jpeg_with_gps()).json
    pk = photo["id"]
    other = api("field2")
    assert client.get("/api/v1/attachment/", headers=other).json["ids"] == []
    assert client.get(f"/api/v1/attachment/{pk}", headers=other).status_code == 404
    assert client.get(f"/api/v1/attachment/{pk}/file", headers=other).status_code == 404
    for record, rid in (("repair_record", work["repair"]), ("ticket", work["mine"])):
        assert upload(client, other, record, rid, jpeg_with_gps()).status_code == 404
    # field2's own ticket takes photos; field1 does not see those
    assert upload(client, other, "ticket", work["theirs"], jpeg_with_gps(color="red")).status_code == 201
    assert len(client.get("/api/v1/attachment/", headers=api("field1")).json["ids"]) == 1
    # the parts keeper may not open tickets or repair records: nor their photos
    assert client.get(f"/api/v1/attachment/{pk}", headers=api("keeper")).status_code == 404
    # the manager and the tech engineer see both
    assert len(client.get("/api/v1/attachment/", headers=api("manager")).json["ids"]) == 2
    assert client.get(f"/api/v1/attachment/{pk}/file", headers=api("tech")).status_code == 200
    # on screens: the record's gallery and the download follow the same rules
    browser = as_user("field2")
    assert browser.get(f"/attachmentview/file/{pk}").status_code == 404
    assert browser.get(f"/attachmentview/thumb/{pk}").status_code == 404
    client.get("/logout/")
    browser = as_user("field1")
    page = browser.get(f"/repairrecordview/show/{work['repair']}").get_data(as_text=True)
    assert f"/attachmentview/thumb/{pk}" in page and 'capture="environment"' in page
    assert browser.get(f"/attachmentview/file/{pk}").status_code == 200
    assert browser.get(f"/attachmentview/thumb/{pk}").mimetype == "image/jpeg"


def test_removal_is_the_managers_and_is_audited(app, client, api, work):
    first = upload(client, api("field1"), "ticket", work["mine"], jpeg_with_gps()).json
    same = upload(client, api("field1"), "repair_record", work["repair"], jpeg_with_gps()).json
    assert same["sha256"] == first["sha256"]  # the same bytes are stored once
    assert client.delete(f"/api/v1/attachment/{first['id']}", headers=api("field1")).status_code == 403
    assert client.delete(f"/api/v1/attachment/{first['id']}", headers=api("manager")).status_code == 200
    with app.app_context():
        assert storage.path_of(first["sha256"]).exists()  # still used by the other attachment
    assert client.delete(f"/api/v1/attachment/{same['id']}", headers=api("manager")).status_code == 200
    with app.app_context():
        assert not storage.path_of(first["sha256"]).exists()
        removed = db.session.scalars(sa.select(AuditLog).where(AuditLog.table_name == "attachment",
                                                               AuditLog.action == "delete")).all()
        assert {e.username for e in removed} == {"manager"} and len(removed) == 2


def test_drawn_signature_locks_the_record_and_prints_on_the_forms(app, client, api, as_user, work):
    pk, headers = work["repair"], api("field1")
    png = png_signature()
    # refused first: not a PNG, too big, no name
    jpeg = jpeg_with_gps()
    resp = client.post(f"/api/v1/repair_record/{pk}/signature", headers=headers,
                       json={"signer": "李主任", "image": "data:image/png;base64," + base64.b64encode(jpeg).decode()})
    assert resp.status_code == 415
    huge = b"\x89PNG\r\n\x1a\n" + b"\x00" * (513 * 1024)
    resp = client.post(f"/api/v1/repair_record/{pk}/signature", headers=headers,
                       json={"signer": "李主任", "image": data_url(huge)})
    assert resp.status_code == 413
    resp = client.post(f"/api/v1/repair_record/{pk}/signature", headers=headers, json={"signer": " ", "image": data_url(png)})
    assert resp.status_code == 422 and "signer" in resp.json["message"]
    # another engineer cannot sign field1's record
    resp = client.post(f"/api/v1/repair_record/{pk}/signature", headers=api("field2"),
                       json={"signer": "李主任", "image": data_url(png)})
    assert resp.status_code == 404
    resp = client.post(f"/api/v1/repair_record/{pk}/signature", headers=headers,
                       json={"signer": "李主任", "image": data_url(png)})
    assert resp.status_code == 201, resp.json
    assert resp.json["sha256"] == hashlib.sha256(png).hexdigest()
    record = client.get(f"/api/v1/repair_record/{pk}", headers=headers).json["result"]
    assert record["customer_signer"] == "李主任" and record["signed_at"]
    # locked: no edit, no second signature, the signature cannot be removed
    resp = client.put(f"/api/v1/repair_record/{pk}", json={"work_done": "改写"}, headers=headers)
    assert resp.status_code == 409 and "signed" in str(resp.json["message"])
    resp = client.put(f"/api/v1/repair_record/{pk}", json={"work_done": "改写"}, headers=api("manager"))
    assert resp.status_code == 409
    resp = client.post(f"/api/v1/repair_record/{pk}/signature", headers=headers,
                       json={"signer": "王五", "image": data_url(png)})
    assert resp.status_code == 409
    with app.app_context():
        sig_id = db.session.get(RepairRecord, pk).signature_id
        assert db.session.get(RepairRecord, pk).work_done == "更换高频头"
    assert client.delete(f"/api/v1/attachment/{sig_id}", headers=api("manager")).status_code == 409
    # the PNG's sha256 is in the audit trail, with who took it
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.table_name == "attachment", AuditLog.action == "insert")).one()
        assert entry.changes["sha256"][1] == hashlib.sha256(png).hexdigest() and entry.username == "field1"
        assert entry.changes["kind"][1] == "signature"
    # the Excel forms carry the drawn signature in the signature box
    browser = as_user("field1")
    for url in (f"/repairrecordview/form/{pk}.xlsx", f"/ticketview/form/{work['mine']}.xlsx"):
        resp = browser.get(url)
        assert resp.status_code == 200, url
        ws = openpyxl.load_workbook(io.BytesIO(resp.get_data())).worksheets[0]
        assert len(ws._images) == 1, url
        anchor = ws._images[0].anchor._from
        label = ws.cell(row=anchor.row + 1, column=anchor.col + 1).value
        assert label.startswith("Customer") and label.endswith("signature:"), label
        image = Image.open(io.BytesIO(ws._images[0]._data()))
        assert image.size == (300, 100)
