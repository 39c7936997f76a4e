"""The seeds' paper forms as one-page sheets: titles, values, signature boxes, print set-up, row rules."""
from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from app import clock
from app.extensions import db
from app.models import (
    CallbackRecord,
    Complaint,
    ComplaintProgress,
    ComplaintStatus,
    Customer,
    FaultAnalysis,
    InspectionItemResult,
    InspectionRecord,
    Part,
    RepairRecord,
    RepairResult,
    Staff,
    Ticket,
    TicketStatus,
    Warehouse,
)
from app.models.requisitions import Requisition, RequisitionLine, RequisitionStatus
from tests.records import make_customer
from tests.ticket_helpers import new_ticket

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bj(*parts) -> datetime:
    """A Beijing wall time (APP_TIMEZONE) as the UTC value stored."""
    return clock.from_local(datetime(*parts))


@pytest.fixture
def records(app, staff):
    """One record of every form, the ticket assigned to field1 and repaired by field1."""
    cid = make_customer(app, with_equipment=True)
    tid = new_ticket(app, cid, received_at=bj(2026, 3, 2, 9, 0), title="接收站无信号",
                     description="卫星接收站自昨日起无信号")
    with app.app_context():
        field1 = db.session.get(Staff, staff["field1"])
        t = db.session.get(Ticket, tid)
        t.assignee_id, t.status, t.resolution = field1.id, TicketStatus.in_progress, "更换高频头后信号恢复"
        repair = RepairRecord(ticket=t, arrived_at=bj(2026, 3, 2, 14, 0), departed_at=bj(2026, 3, 2, 17, 30),
                              work_done="检查馈线，更换高频头", result="fixed", customer_signer="王主任",
                              signed_at=bj(2026, 3, 2, 17, 40), engineers=[field1])
        wh = Warehouse(code="W1", name="总仓")
        part = Part(code="LNB-01", name="高频头", category="射频", unit="pc", standard_cost=Decimal("120.00"))
        req = Requisition(number="LY-2026-0001", engineer=field1, ticket=t, warehouse=wh,
                          status=RequisitionStatus.issued, purpose="更换高频头", approved_by=field1,
                          approved_at=bj(2026, 3, 2, 12, 0))
        req.lines.append(RequisitionLine(part=part, qty_requested=2, qty_issued=2, qty_returned=1,
                                         cost=Decimal("120.00"), charge=Decimal("150.00")))
        fault = FaultAnalysis(ticket=t, fault_type="射频故障", phenomenon="无信号", cause_analysis="高频头老化",
                              analysed_by=field1, analysed_on=date(2026, 3, 3))
        customer = db.session.get(Customer, cid)
        inspection = InspectionRecord(customer=customer, site="东城镇机房", phase="middle",
                                      due_date=date(2026, 3, 10), engineer=field1, summary="运行正常")
        inspection.results = [InspectionItemResult(position=1, text="检查电源", result="ok"),
                              InspectionItemResult(position=2, text="检查风扇", result="abnormal", note="噪音大")]
        complaint = Complaint(number="TS-2026-0001", customer=customer, subject="响应慢", content="两天未到现场",
                              received_at=bj(2026, 3, 4, 10, 0), root_cause="排班不足",
                              measures="增加值班工程师", status=ComplaintStatus.received)
        complaint.progress = [ComplaintProgress(note="已联系客户", at=bj(2026, 3, 4, 11, 0))]
        callback = CallbackRecord(customer=customer, ticket=t, due_date=date(2026, 3, 9), status="done",
                                  method="phone", called_at=bj(2026, 3, 9, 10, 0), contact_person="王主任",
                                  content="回访维修效果", score_function=5, score_performance=4,
                                  score_quality=5, score_service=5)
        db.session.add_all([repair, req, fault, inspection, complaint, callback])
        db.session.commit()
        return {"ticket": tid, "repair": repair.id, "requisition": req.id, "fault": fault.id,
                "inspection": inspection.id, "complaint": complaint.id, "callback": callback.id}


FORMS = [  # view, record key, title, values that must be on the sheet, signature labels
    ("repairrecordview", "repair", "On-site repair record",
     ["客户1", "检查馈线，更换高频头", "Fixed", "高频头", "LNB-01", "王主任", "Parts used"], ["Customer signature:"]),
    ("ticketview", "ticket", "Service report",
     ["客户1", "更换高频头后信号恢复", "检查馈线，更换高频头", "高频头", "General", "Hardware"],
     ["Customer confirmation signature:"]),
    ("faultanalysisview", "fault", "Fault analysis form", ["射频故障", "高频头老化", "无信号"], ["Reviewed by:"]),
    ("requisitionview", "requisition", "Parts requisition slip",
     ["LY-2026-0001", "高频头", "总仓", "Issued", "更换高频头"], ["Issued by (keeper):"]),
    ("inspectionrecordview", "inspection", "Inspection record",
     ["东城镇机房", "检查电源", "检查风扇", "Abnormal", "OK", "噪音大", "运行正常"], ["Customer signature:"]),
    ("complaintview", "complaint", "Complaint handling report",
     ["TS-2026-0001", "排班不足", "增加值班工程师", "已联系客户"], ["Manager:"]),
    ("callbackrecordview", "callback", "Callback record", ["王主任", "回访维修效果", 4.75], ["Called by:"]),
]


def cells(ws) -> list:
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("view,key,title,expected,signatures", FORMS, ids=[f[1] for f in FORMS])
def test_form_one_click_from_the_record_page(app, as_user, records, view, key, title, expected, signatures):
    pk = records[key]
    client = as_user("manager")
    page = client.get(f"/{view}/show/{pk}").get_data(as_text=True)
    assert f"/{view}/form/{pk}.xlsx" in page
    resp = client.get(f"/{view}/form/{pk}.xlsx")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    ws = openpyxl.load_workbook(io.BytesIO(resp.get_data())).worksheets[0]
    values = cells(ws)
    assert values[0] == title and ws["A1"].font.b and ws["A1"].font.name == "SimSun"
    for value in expected + signatures + ["Date:"]:
        # a form number is in the subtitle line ("Slip no.: LY-…")
        assert value in values or any(str(v).endswith(f": {value}") for v in values), value
    # one A4 portrait page, gridlines off, print area over the 8-column grid
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1 and (ws.page_setup.fitToHeight or 1) == 1
    assert ws.print_area and "$A$1:$H$" in ws.print_area and not ws.sheet_view.showGridLines
    assert len([c for row in ws.iter_rows() for c in row if c.border.left.style]) > 20
    # the signature box is a tall bordered box
    sign = next(c for row in ws.iter_rows() for c in row if c.value == signatures[0])
    assert sign.border.top.style and ws.row_dimensions[sign.row].height >= 40


def test_repair_record_typed_values_and_parts(app, as_user, records):
    ws = openpyxl.load_workbook(io.BytesIO(
        as_user("field1").get(f"/repairrecordview/form/{records['repair']}.xlsx").get_data())).worksheets[0]
    arrived = next(c for row in ws.iter_rows() for c in row if c.value == datetime(2026, 3, 2, 14, 0))
    assert arrived.is_date
    qty = next(c for row in ws.iter_rows() for c in row if c.value == "高频头").row
    row = [c.value for c in ws[qty] if c.value is not None]
    assert 1 in row and 150 in row  # net of the returned one; the charge as money
    money = next(c for c in ws[qty] if c.value == 150)
    assert money.number_format == "#,##0.00"


def test_forms_in_the_users_language(app, as_user, records):
    """Labels and enum labels follow the language the user picked (the zh catalogue comes later)."""
    from flask_babel import force_locale, gettext

    client = as_user("manager")
    client.get("/lang/zh_Hans")
    ws = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/repairrecordview/form/{records['repair']}.xlsx").get_data())).worksheets[0]
    with app.test_request_context(), force_locale("zh_Hans"):
        title, fixed = gettext("On-site repair record"), str(RepairResult.fixed.label)
    assert ws["A1"].value == title and fixed in cells(ws)


def test_row_rules_apply_to_forms(app, as_user, records, staff):
    other = as_user("field2")  # neither assignee nor engineer of the ticket
    assert other.get(f"/repairrecordview/form/{records['repair']}.xlsx").status_code == 404
    assert other.get(f"/ticketview/form/{records['ticket']}.xlsx").status_code == 404
    assert other.get(f"/requisitionview/form/{records['requisition']}.xlsx").status_code == 404
    assert other.get(f"/inspectionrecordview/form/{records['inspection']}.xlsx").status_code == 404
    other.get("/logout/")
    own = as_user("field1")
    assert own.get(f"/repairrecordview/form/{records['repair']}.xlsx").status_code == 200
    assert own.get("/repairrecordview/form/999999.xlsx").status_code == 404


def test_anonymous_is_sent_to_login(client, records):
    assert client.get(f"/repairrecordview/form/{records['repair']}.xlsx").status_code == 302
