"""Paper-form sheets: the customer record card (layout, values, print set-up, access)."""
from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from app.extensions import db
from app.models import Contact, Customer, Equipment, Importance, Project
from app.services.xlsx_forms import GRID_COLUMNS, PaperForm, new_form_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def customer_with_everything(app) -> int:
    with app.app_context():
        c = Customer(code="C0001", name="东城镇自然资源局", region="东城镇", importance=Importance.key,
                     address="东城镇人民路 1 号", phone="0571-1234", notes="=cmd|' /C calc'!A0")
        p = Project(code="P0001", name="遥感监测项目", customer=c, contract_no="HT-2025-01",
                    warranty_start=date(2025, 1, 1), warranty_end=date(2099, 12, 31))
        db.session.add_all([
            c, p, Contact(customer=c, name="王主任", title="主任", phone="139", is_primary=True),
            Equipment(customer=c, project=p, name="数据服务器", model="RS-900", serial_number="SN1",
                      location="机房", install_date=date(2025, 2, 1)),
        ])
        db.session.commit()
        return c.id


def texts(ws) -> list:
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


def test_customer_card_from_the_customer_page(app, as_user):
    pk = customer_with_everything(app)
    client = as_user("cs")
    page = client.get(f"/customerview/show/{pk}").get_data(as_text=True)
    assert f"/customerview/form/{pk}.xlsx" in page and "Customer card (Excel)" in page
    resp = client.get(f"/customerview/form/{pk}.xlsx")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    ws = openpyxl.load_workbook(io.BytesIO(resp.get_data())).worksheets[0]
    values = texts(ws)
    assert values[0] == "Customer record card"
    for expected in ("东城镇自然资源局", "Key customer", "王主任", "遥感监测项目", "HT-2025-01", "RS-900",
                     "SN1", "Contacts", "Projects / contracts", "Installed equipment",
                     "Prepared by:", "Checked by:", "Date:"):
        assert expected in values, expected
    # typed cells: the warranty dates are dates
    start = next(c for row in ws.iter_rows() for c in row if c.value == date(2025, 1, 1) or
                 getattr(c.value, "date", lambda: None)() == date(2025, 1, 1))
    assert start.is_date
    # the formula-looking note stays text
    note = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith("=cmd"))
    assert note.data_type == "s" and note.quotePrefix
    # looks like a paper form: merged title, borders, CJK font, one A4 portrait page
    assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges)
    assert ws["A1"].font.name == "SimSun" and ws["A1"].font.b
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # 1 × 1 pages (xlsxwriter leaves out the attributes when they are the default, 1)
    assert (ws.page_setup.fitToWidth or 1) == 1 and (ws.page_setup.fitToHeight or 1) == 1
    assert ws.print_area and "$A$1:$H$" in ws.print_area
    bordered = [c for row in ws.iter_rows() for c in row if c.border.left.style]
    assert len(bordered) > 20


def test_customer_card_follows_access_rules(app, as_user, client, monkeypatch):
    pk = customer_with_everything(app)
    assert client.get(f"/customerview/form/{pk}.xlsx").status_code == 302  # anonymous
    manager = as_user("manager")
    assert manager.get("/customerview/form/999999.xlsx").status_code == 404
    # a view without a paper form has no such route
    assert manager.get("/staffview/form/1.xlsx").status_code == 404
    # a row rule that hides the customer hides its card too
    from flask_appbuilder.models.sqla.filters import FilterNotEqual

    view = next(v for v in app.appbuilder.baseviews if type(v).__name__ == "CustomerView")
    monkeypatch.setattr(view, "_base_filters", view.datamodel.get_filters().add_filter_list(
        [["id", FilterNotEqual, pk]]))
    assert manager.get(f"/customerview/form/{pk}.xlsx").status_code == 404


def test_paper_form_tables_need_spans_covering_the_grid(tmp_path):
    wb = new_form_workbook(str(tmp_path / "f.xlsx"))
    form = PaperForm(wb, "Form")
    with pytest.raises(ValueError):
        form.table(["a", "b"], [], spans=[3, 3])
    form.table(["a", "b", "c"], [(1, "x", None)])  # even spans 3+3+2
    form.finish()
    wb.close()
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx").worksheets[0]
    assert {str(r) for r in ws.merged_cells.ranges} >= {"A1:C1", "D1:F1", "G1:H1"}
    assert ws["A2"].value == 1 and GRID_COLUMNS == 8
