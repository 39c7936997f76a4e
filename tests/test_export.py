"""Excel export of lists (HTML and API): values, types, labels, safety, rules, permissions."""
from __future__ import annotations

import io
import itertools
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import prison
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Contact, Customer, Equipment, Importance, Project, Staff
from app.services.export import (
    BOOLEAN,
    CELL_TEXT_LIMIT,
    DATE,
    DATETIME,
    INTEGER,
    MONEY,
    NUMBER,
    TEXT,
    Column,
    write_table,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def book(resp) -> openpyxl.Workbook:
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == XLSX
    return openpyxl.load_workbook(io.BytesIO(resp.get_data()))


def rows(ws) -> list[tuple]:
    return [tuple(c.value for c in r) for r in ws.iter_rows()]


def seed_customers(app, n=3):
    with app.app_context():
        for i in range(1, n + 1):
            db.session.add(Customer(
                code=f"C{i:04d}", name=f"客户{i}", region="东城镇" if i % 2 else "西河乡",
                importance=Importance.key if i == 1 else Importance.normal, phone=f"0571-{i:04d}",
            ))
        db.session.commit()


def test_html_customer_list_export_values_types_labels(app, as_user):
    seed_customers(app, 3)
    client = as_user("manager")
    wb = book(client.get("/customerview/export.xlsx"))
    ws = wb.worksheets[0]
    data = rows(ws)
    assert data[0] == ("Code", "Name", "Region", "Importance", "Phone")
    assert [r[1] for r in data[1:]] == ["客户1", "客户2", "客户3"]
    assert data[1][3] == "Key customer" and data[2][3] == "Normal"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:E4"


def seed_equipment(app, customers=3, per_customer=4):
    with app.app_context():
        for i in range(1, customers + 1):
            c = Customer(code=f"C{i:04d}", name=f"客户{i}", region="东城镇")
            p = Project(code=f"P{i:04d}", name=f"项目{i}", customer=c,
                        warranty_start=date(2025, 1, 1), warranty_end=date(2027, 6, 30))
            db.session.add_all([c, p])
            for j in range(per_customer):
                db.session.add(Equipment(
                    customer=c, project=p, name="遥感数据服务器", model=f"RS-{j}",
                    serial_number=f"SN{i:02d}{j:03d}", location="机房",
                    install_date=date(2025, 3, j % 28 + 1), warranty_end=date(2027, 3, j % 28 + 1),
                ))
        db.session.commit()


def test_html_equipment_export_dates_are_dates_and_related_rows_are_names(app, as_user):
    seed_equipment(app)
    client = as_user("tech")
    ws = book(client.get("/equipmentview/export.xlsx")).worksheets[0]
    header, first = rows(ws)[0], rows(ws)[1]
    assert header == ("Serial number", "Model", "Name", "Customer", "Location", "Warranty end")
    assert first[0] == "SN01000" and first[3] == "客户1"
    cell = ws["F2"]
    assert cell.is_date and cell.value == datetime(2027, 3, 1) and cell.number_format == "yyyy-mm-dd"
    assert ws.max_row == 13


def test_export_reads_related_names_in_batches_not_per_row(app, as_user):
    from tests.conftest import count_queries

    seed_equipment(app, customers=5, per_customer=10)
    client = as_user("manager")
    with app.app_context(), count_queries(db.engine) as statements:
        resp = client.get("/equipmentview/export.xlsx")
    assert resp.status_code == 200
    exported = [s for s in statements if "equipment" in s.lower()]
    assert len(exported) == 1  # one streamed SELECT of the 50 rows
    assert len(statements) < 10  # + one batch of customers, + auth lookups


def test_contact_booleans_are_booleans(app, as_user):
    seed_customers(app, 1)
    with app.app_context():
        cid = db.session.scalar(sa.select(Customer.id))
        db.session.add_all([Contact(customer_id=cid, name="张三", is_primary=True),
                            Contact(customer_id=cid, name="李四", is_primary=False)])
        db.session.commit()
    client = as_user("cs")
    ws = book(client.get("/contactview/export.xlsx")).worksheets[0]
    data = rows(ws)
    assert data[0][-1] == "Primary contact"
    # 1 / 0 shown as the reader's yes / no (an Excel boolean reads TRUE / FALSE in every language)
    assert [(r[0], r[-1]) for r in data[1:]] == [("张三", 1), ("李四", 0)]
    assert ws["F2"].number_format == '"Yes";"Yes";"No"'
    client.get("/lang/zh_Hans")
    ws = book(client.get("/contactview/export.xlsx")).worksheets[0]
    assert ws["F2"].value == 1 and ws["F2"].number_format == '"是";"是";"否"'


def test_the_service_level_badge_exports_as_its_words(app, as_user):
    """The ticket list shows the service level as a coloured label; the sheet holds the word."""
    from datetime import timedelta

    from app import clock
    from tests.records import make_customer
    from tests.ticket_helpers import new_ticket

    cid = make_customer(app, with_equipment=True)
    pk = new_ticket(app, cid)
    with app.app_context():
        from app.models import Ticket

        ticket = db.session.get(Ticket, pk)
        ticket.resolve_by = clock.now_utc() - timedelta(hours=1)
        db.session.commit()
    data = rows(book(as_user("manager").get("/ticketview/export.xlsx")).worksheets[0])
    level = data[0].index("Service level")
    assert data[1][level] == "Overdue"


def test_html_filters_and_order_of_the_list_apply_to_all_pages(app, as_user):
    seed_customers(app, 30)  # more than one 25-row page
    client = as_user("manager")
    resp = client.get("/customerview/export.xlsx?_flt_0_region=东城镇&_oc_CustomerView=code"
                      "&_od_CustomerView=desc&page_CustomerView=1")
    data = rows(book(resp).worksheets[0])
    codes = [r[0] for r in data[1:]]
    assert codes == [f"C{i:04d}" for i in range(29, 0, -2)]  # odd ones are 东城镇, newest first


def test_list_page_has_export_link_with_current_filters_and_order(app, as_user):
    seed_customers(app, 2)
    client = as_user("cs")
    html = client.get("/customerview/list/?_flt_3_region=西河乡&_oc_CustomerView=name"
                      "&_od_CustomerView=asc").get_data(as_text=True)
    assert "Export to Excel" in html
    link = html.split('class="btn btn-sm btn-default export-xlsx"')[0].rsplit('href="', 1)[1]
    link = link.split('"')[0].replace("&amp;", "&")
    assert link.startswith("/customerview/export.xlsx?")
    assert "_flt_3_region=" in link and "_oc_CustomerView=name" in link and "_od_CustomerView=asc" in link
    data = rows(book(client.get(link)).worksheets[0])
    assert [r[1] for r in data[1:]] == ["客户2"]


def test_filter_the_user_may_not_apply_never_crashes(app, as_user):
    seed_customers(app, 3)
    client = as_user("manager")
    # phone is not a search column: ignored, as on the list page
    data = rows(book(client.get("/customerview/export.xlsx?_flt_0_phone=0571-0001")).worksheets[0])
    assert len(data) == 4
    # a filter index that does not exist
    resp = client.get("/customerview/export.xlsx?_flt_9_name=x")
    assert resp.status_code == 200
    assert rows(book(resp).worksheets[0])[0][0] == "Code"
    # order by a relationship / unknown column: falls back to the list's order
    data = rows(book(client.get("/equipmentview/export.xlsx?_oc_EquipmentView=customer"
                                "&_od_EquipmentView=asc")).worksheets[0])
    assert data[0][0] == "Serial number"
    # a date filter that is not a date
    resp = client.get("/projectview/export.xlsx?_flt_1_warranty_end=not-a-date")
    assert resp.status_code == 400


def test_empty_result_is_a_valid_workbook_with_headers(app, as_user):
    seed_customers(app, 2)
    ws = book(as_user("manager").get("/customerview/export.xlsx?_flt_0_name=nothing")).worksheets[0]
    assert rows(ws) == [("Code", "Name", "Region", "Importance", "Phone")]
    assert ws.freeze_panes == "A2"


def test_formula_injection_and_control_characters_are_neutralised(app, as_user):
    with app.app_context():
        db.session.add(Customer(code="@SUM(A1)", name='=HYPERLINK("http://x","y")', region="+1+1",
                                phone="-2+3", importance=Importance.normal))
        db.session.add(Customer(code="\tTAB", name="客户\x01\x07名\x1f", region="东城镇", phone="\r=1"))
        db.session.commit()
    client = as_user("manager")
    resp = client.get("/customerview/export.xlsx?_oc_CustomerView=code&_od_CustomerView=asc")
    ws = book(resp).worksheets[0]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    assert all(c.data_type == "s" for c in cells)  # nothing is a formula
    values = {c.coordinate: c.value for c in cells}
    assert values["A2"] == "\tTAB" and values["B2"] == "客户名"
    assert values["A3"] == "@SUM(A1)" and values["B3"].startswith("=HYPERLINK")
    dangerous = [c for c in cells if str(c.value)[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert len(dangerous) == 5
    assert all(c.quotePrefix for c in dangerous)  # Excel's "typed with an apostrophe": stays text
    with app.app_context():  # the raw XML has no formula element anywhere
        import zipfile

        with zipfile.ZipFile(io.BytesIO(resp.get_data())) as z:
            assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")


def test_sheet_continues_on_a_new_sheet_past_the_row_limit(app, as_user, monkeypatch):
    seed_customers(app, 10)
    view = next(v for v in app.appbuilder.baseviews if type(v).__name__ == "CustomerView")
    monkeypatch.setattr(view, "export_max_rows", 4)  # header + 3 rows per sheet
    wb = book(as_user("manager").get("/customerview/export.xlsx"))
    assert [len(rows(ws)) - 1 for ws in wb.worksheets] == [3, 3, 3, 1]
    assert all(rows(ws)[0][0] == "Code" and ws.freeze_panes == "A2" for ws in wb.worksheets)
    names = [r[1] for ws in wb.worksheets for r in rows(ws)[1:]]
    assert names == sorted(names) and len(names) == 10


# --- the writer itself -----------------------------------------------------------

def test_writer_types_money_datetimes_truncation_and_continuation(tmp_path, app):
    columns = [Column("金额", MONEY, decimals=2), Column("When", DATETIME), Column("Day", DATE),
               Column("N", INTEGER), Column("X", NUMBER), Column("Ok", BOOLEAN), Column("Text", TEXT)]
    huge = "长" * 40_000
    data = [(Decimal("1234.5"), datetime(2026, 11, 23, 8, 30), date(2026, 1, 2), 7, 0.25, False, huge)]
    data += [(Decimal(i), None, None, i, None, True, f"r{i}") for i in range(20)]
    target = tmp_path / "t.xlsx"
    with app.test_request_context():
        assert write_table(str(target), "Bench / test?", columns, data, max_rows=10) == 21
    wb = openpyxl.load_workbook(target)
    assert [ws.title for ws in wb.worksheets] == ["Bench   test", "Bench   test (2)", "Bench   test (3)"]
    ws = wb.worksheets[0]
    a2, b2, c2 = ws["A2"], ws["B2"], ws["C2"]
    assert a2.value == 1234.5 and a2.number_format == "#,##0.00" and a2.data_type == "n"
    # stored UTC 08:30, written as the Beijing time people read (a real date cell)
    assert b2.value == datetime(2026, 11, 23, 16, 30) and b2.number_format == "yyyy-mm-dd hh:mm"
    assert c2.value == datetime(2026, 1, 2) and c2.is_date
    assert ws["D2"].value == 7 and ws["E2"].value == 0.25 and ws["F2"].value == 0 and ws["F2"].number_format == "\"Yes\";\"Yes\";\"No\""
    text = ws["G2"].value
    assert len(text) == CELL_TEXT_LIMIT and text.endswith("[truncated]") and text.startswith("长长")
    assert [ws.max_row for ws in wb.worksheets] == [10, 10, 4]
    assert 59 <= ws.column_dimensions["G"].width <= 62  # capped at 60 (+ Excel padding)
    assert 6 <= ws.column_dimensions["D"].width <= 12


def test_writer_empty_and_sheet_name_rules(tmp_path, app):
    target = tmp_path / "e.xlsx"
    with app.test_request_context():
        assert write_table(str(target), "", [Column("A"), Column("B")], []) == 0
    ws = openpyxl.load_workbook(target).worksheets[0]
    assert rows(ws) == [("A", "B")] and ws.auto_filter.ref == "A1:B2"


def test_numeric_columns_export_as_money_with_their_scale(app):
    from app.services.export_query import kind_of_type

    assert kind_of_type(sa.Numeric(12, 2)) == (MONEY, 2)
    assert kind_of_type(sa.Numeric(10, 3)) == (MONEY, 3)
    assert kind_of_type(sa.Float()) == (NUMBER, 0)
    assert kind_of_type(sa.DateTime()) == (DATETIME, 0)
    assert kind_of_type(sa.Boolean()) == (BOOLEAN, 0)


# --- row-level rules, permissions ------------------------------------------------

def _own_staff_rows(app, monkeypatch):
    """StaffView / StaffApi limited to the login's own staff row (the own_rows rule of tickets)."""
    from app.security.rows import own_rows

    for name in ("StaffView", "StaffApi"):
        view = next(v for v in app.appbuilder.baseviews if type(v).__name__ == name)
        monkeypatch.setattr(view, "_base_filters", view.datamodel.get_filters().add_filter_list(
            [own_rows("id")]))


def test_row_level_rule_applies_to_html_and_api_export(app, as_user, api, client, staff, monkeypatch):
    _own_staff_rows(app, monkeypatch)
    mine = rows(book(as_user("field1").get("/staffview/export.xlsx")).worksheets[0])
    with app.app_context():
        my_name = db.session.get(Staff, staff["field1"]).name
    assert [r[1] for r in mine[1:]] == [my_name]
    resp = client.get("/api/v1/staff/export.xlsx", headers=api("field2"))
    api_rows = rows(book(resp).worksheets[0])
    assert api_rows[0][:4] == ("ID", "Employee no.", "Name", "Position")
    assert [r[2] for r in api_rows[1:]] == [_name(app, staff["field2"])]
    assert api_rows[1][0] == staff["field2"] and api_rows[1][4] == "field2"  # username property
    everyone = rows(book(client.get("/api/v1/staff/export.xlsx", headers=api("manager"))).worksheets[0])
    assert len(everyone) - 1 == len(staff)


def _name(app, pk):
    with app.app_context():
        return db.session.get(Staff, pk).name


def _viewer_without_export(app):
    """A login whose role may list customers but not export them."""
    from tests.conftest import PASSWORD

    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role("List Only") or sm.add_role("List Only")
        for perm, view in (("can_list", "CustomerView"), ("can_get", "CustomerApi")):
            sm.add_permission_role(role, sm.find_permission_view_menu(perm, view))
        if not sm.find_user("viewer"):
            sm.add_user("viewer", "Viewer", "Test", "viewer@test.invalid", role, PASSWORD)


def test_export_needs_the_export_permission(app, client, as_user, api):
    seed_customers(app, 1)
    _viewer_without_export(app)
    assert client.get("/customerview/export.xlsx").status_code == 302  # anonymous → login
    assert client.get("/api/v1/customer/export.xlsx").status_code == 401
    viewer = as_user("viewer")
    assert viewer.get("/customerview/list/").status_code == 200
    assert "Export to Excel" not in viewer.get("/customerview/list/").get_data(as_text=True)
    assert viewer.get("/customerview/export.xlsx").status_code == 403
    assert client.get("/api/v1/customer/", headers=api("viewer")).status_code == 200
    assert client.get("/api/v1/customer/export.xlsx", headers=api("viewer")).status_code == 403


# --- API -------------------------------------------------------------------------

def test_api_export_with_rison_filters_and_order(app, client, api):
    seed_customers(app, 6)
    q = prison.dumps({"filters": [{"col": "region", "opr": "eq", "value": "西河乡"}],
                      "order_column": "code", "order_direction": "desc"})
    resp = client.get("/api/v1/customer/export.xlsx", query_string={"q": q}, headers=api("cs"))
    data = rows(book(resp).worksheets[0])
    assert data[0] == ("ID", "Code", "Name", "Region", "Importance", "Address", "Phone")
    assert [r[1] for r in data[1:]] == ["C0006", "C0004", "C0002"]
    assert isinstance(data[1][0], int) and data[1][4] == "Normal"


def test_api_export_dotted_columns_and_no_page_limit(app, client, api):
    seed_equipment(app, customers=3, per_customer=40)  # 120 rows > FAB_API_MAX_PAGE_SIZE
    resp = client.get("/api/v1/equipment/export.xlsx", headers=api("keeper"))
    data = rows(book(resp).worksheets[0])
    assert "Customer Name" in data[0] and "Customer ID" in data[0]
    assert len(data) == 121
    col = data[0].index("Customer Name")
    assert data[1][col] == "客户1"


def test_api_export_bad_input_is_400_with_message(app, client, api):
    headers = api("manager")
    resp = client.get("/api/v1/customer/export.xlsx?q=(filters:!((col:", headers=headers)
    assert resp.status_code == 400 and resp.json["message"]
    q = prison.dumps({"filters": [{"col": "phone", "opr": "eq", "value": "1"}]})
    resp = client.get("/api/v1/customer/export.xlsx", query_string={"q": q}, headers=headers)
    assert resp.status_code == 400 and "phone" in resp.json["message"]
    q = prison.dumps({"order_column": "notes", "order_direction": "asc"})
    resp = client.get("/api/v1/customer/export.xlsx", query_string={"q": q}, headers=headers)
    assert resp.status_code == 400 and "notes" in resp.json["message"]
    q = prison.dumps({"filters": [{"col": "warranty_end", "opr": "gt", "value": "not-a-date"}]})
    resp = client.get("/api/v1/equipment/export.xlsx", query_string={"q": q}, headers=headers)
    assert resp.status_code == 400
    assert resp.json["message"]


def test_openapi_documents_the_export_of_every_resource(client, api):
    paths = client.get("/api/v1/_openapi", headers=api("admin")).json["paths"]
    for resource in ("customer", "contact", "project", "equipment", "staff"):
        operation = paths[f"/api/v1/{resource}/export.xlsx"]["get"]
        assert XLSX in operation["responses"]["200"]["content"]


def test_api_labels_are_translated_field_labels(client, api):
    info = client.get("/api/v1/equipment/_info", headers=api("manager")).json
    assert info["add_columns"]  # the standard shape is kept
    labels = client.get("/api/v1/equipment/?q=(page_size:1)", headers=api("manager")).json["label_columns"]
    assert labels["id"] == "ID" and labels["customer.name"] == "Customer Name"
    assert labels["serial_number"] == "Serial number"


def test_a_long_export_on_sqlite_does_not_hold_up_a_login(app, as_user, monkeypatch):
    """While a big export is half-way through its rows (its cursor open), another clerk logs in:
    the login and its last-login write go through at once (the database file is in WAL mode)."""
    import threading

    from app.services import export_query
    from tests.conftest import login

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("a PostgreSQL reader never blocks a writer")
    with app.app_context():  # more rows than one fetch of the export's cursor: it stays open
        db.session.execute(sa.insert(Customer), [
            {"code": f"W{i:05d}", "name": f"客户W{i}", "region": "东城镇", "importance": Importance.normal}
            for i in range(export_query.YIELD_PER + 500)])
        db.session.commit()
    reading, go_on, answers = threading.Event(), threading.Event(), []
    write_table = export_query.write_table

    def paused(target, title, columns, rows, **kwargs):
        rows = iter(rows)
        first = next(rows)
        reading.set()
        go_on.wait(30)
        return write_table(target, title, columns, itertools.chain([first], rows), **kwargs)

    monkeypatch.setattr(export_query, "write_table", paused)
    exporter = as_user("manager")
    thread = threading.Thread(target=lambda: answers.append(exporter.get("/customerview/export.xlsx")))
    thread.start()
    try:
        assert reading.wait(30)
        resp = login(app.test_client(), "cs")
    finally:
        go_on.set()
        thread.join(60)
    assert resp.status_code == 302 and "/login" not in resp.location
    with app.app_context():
        last_login = db.session.scalar(sa.text("SELECT last_login FROM ab_user WHERE username = 'cs'"))
    assert last_login is not None  # in SQLite's old journal mode: "database is locked", not written
    assert len(rows(book(answers[0]).worksheets[0])) == export_query.YIELD_PER + 501
