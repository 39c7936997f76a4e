"""The audit trail: record changes with who / when / old → new, logins, refusals; read-only."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditLog, Customer
from app.models.audit import AuditLogReadOnly
from tests.conftest import PASSWORD, count_queries, csrf_token, login


def entries(app, **where):
    with app.app_context():
        query = sa.select(AuditLog).order_by(AuditLog.id)
        for key, value in where.items():
            query = query.where(getattr(AuditLog, key) == value)
        return [(e.action.value, e.username, e.table_name, e.record_id, e.changes, e.detail)
                for e in db.session.scalars(query)]


def test_insert_update_delete_are_recorded_with_who_and_old_new(app, client, api):
    headers = api("manager")
    resp = client.post("/api/v1/customer/", headers=headers,
                       json={"code": "C9001", "name": "审计测试局", "region": "东城镇", "importance": "key"})
    assert resp.status_code == 201, resp.json
    pk = str(resp.json["id"])
    assert client.put(f"/api/v1/customer/{pk}", headers=headers, json={"region": "西河乡"}).status_code == 200
    assert client.delete(f"/api/v1/customer/{pk}", headers=headers).status_code == 200

    rows = entries(app, table_name="customer", record_id=pk)
    assert [r[0] for r in rows] == ["insert", "update", "delete"]
    assert {r[1] for r in rows} == {"manager"}
    inserted, updated, deleted = (r[4] for r in rows)
    assert inserted["name"] == [None, "审计测试局"] and inserted["region"] == [None, "东城镇"]
    assert updated == {"region": ["东城镇", "西河乡"]}
    assert deleted["code"] == ["C9001", None]
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.table_name == "customer", AuditLog.record_id == pk)).first()
        assert entry.user_id == app.appbuilder.sm.find_user(username="manager").id and entry.at


def test_changes_through_the_html_form_are_recorded(app, client, as_user):
    as_user("cs")
    token = csrf_token(client, "/customerview/add")
    resp = client.post("/customerview/add", data={
        "code": "C9002", "name": "表单客户", "region": "南山镇", "importance": "normal", "csrf_token": token})
    assert resp.status_code == 302
    rows = entries(app, table_name="customer")
    assert rows and rows[-1][0] == "insert" and rows[-1][1] == "cs"


def test_outside_a_request_the_author_is_empty(app):
    with app.app_context():
        db.session.add(Customer(code="C9003", name="脚本客户", region="北岭乡"))
        db.session.commit()
    (row,) = entries(app, table_name="customer")
    assert row[0] == "insert" and row[1] is None


def test_fab_tables_are_not_in_the_trail(app, client):
    login(client, "cs")   # updates ab_user (login count) but writes only a login entry
    assert [r[0] for r in entries(app)] == ["login"]


def test_logins_failures_and_refusals_are_recorded_without_passwords(app, client, as_user):
    login(client, "cs", "a-wrong-password-here")
    login(client, "ghost-user", "another-wrong-password")
    as_user("cs")
    assert client.get("/staffview/add").status_code == 403
    rows = entries(app)
    actions = [(r[0], r[1]) for r in rows]
    assert ("login_failed", "cs") in actions and ("login_failed", "ghost-user") in actions
    assert ("login", "cs") in actions and ("denied", "cs") in actions
    denied = [r for r in rows if r[0] == "denied"][0]
    assert denied[5] == "GET /staffview/add"
    text = repr(rows)
    assert "a-wrong-password-here" not in text and "another-wrong-password" not in text
    assert PASSWORD not in text


def test_api_refusals_are_recorded(app, client, api):
    assert client.delete("/api/v1/customer/1", headers=api("keeper")).status_code == 403
    assert ("denied", "keeper") in [(r[0], r[1]) for r in entries(app)]


def test_nobody_can_add_edit_or_delete_entries_at_the_model_layer(app):
    with app.app_context():
        with pytest.raises(AuditLogReadOnly):
            db.session.add(AuditLog(action="denied", detail="forged"))
            db.session.flush()
        db.session.rollback()
        db.session.add(Customer(code="C9004", name="只读测试", region="城关镇"))
        db.session.commit()
        entry = db.session.scalars(sa.select(AuditLog)).first()
        entry.detail = "edited"
        with pytest.raises(AuditLogReadOnly):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalars(sa.select(AuditLog)).first())
        with pytest.raises(AuditLogReadOnly):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize("login_name", ["admin", "manager"])
def test_manager_and_admin_browse_and_filter_but_cannot_change(app, client, as_user, api, login_name):
    with app.app_context():
        db.session.add_all([Customer(code="C9005", name="甲", region="东城镇"),
                            Customer(code="C9006", name="乙", region="西河乡")])
        db.session.commit()
        pk = db.session.scalars(sa.select(AuditLog.id)).first()
    as_user(login_name)
    page = client.get("/auditlogview/list/?_flt_0_table_name=customer&_flt_0_record_id=1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "customer" in html
    assert client.get(f"/auditlogview/show/{pk}").status_code == 200
    assert client.get("/auditlogview/add").status_code == 403
    assert client.get(f"/auditlogview/edit/{pk}").status_code == 403
    token = csrf_token(client, "/resetmypassword/form")
    assert client.post(f"/auditlogview/delete/{pk}", data={"csrf_token": token}).status_code == 403

    headers = api(login_name)
    q = "(filters:!((col:table_name,opr:eq,value:customer),(col:action,opr:eq,value:insert)))"
    resp = client.get(f"/api/v1/audit_log/?q={q}", headers=headers)
    assert resp.status_code == 200 and resp.json["count"] == 2
    assert client.post("/api/v1/audit_log/", headers=headers, json={"action": "login"}).status_code == 405
    assert client.put(f"/api/v1/audit_log/{pk}", headers=headers, json={"detail": "x"}).status_code == 405
    assert client.delete(f"/api/v1/audit_log/{pk}", headers=headers).status_code == 405
    with app.app_context():
        assert db.session.get(AuditLog, pk) is not None


@pytest.mark.parametrize("login_name", ["tech", "field1", "cs", "keeper"])
def test_other_roles_cannot_read_the_trail(app, client, as_user, api, login_name):
    as_user(login_name)
    assert client.get("/auditlogview/list/").status_code == 403
    assert client.get("/api/v1/audit_log/", headers=api(login_name)).status_code == 403


def test_bulk_flush_writes_one_audit_statement(app):
    """Seeding speed: 2 000 inserts in one flush → one INSERT into audit_log, not 2 000."""
    n = 2000
    with app.app_context():
        customers = [Customer(code=f"B{i:05d}", name=f"批量客户{i}", region="青石镇") for i in range(n)]
        db.session.add_all(customers)
        started = time.perf_counter()
        with count_queries(db.engine) as statements:
            db.session.flush()
        elapsed = time.perf_counter() - started
        db.session.commit()
        audit_inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO AUDIT_LOG")]
        assert len(audit_inserts) <= 2   # one executemany (psycopg may page it), never one per row
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == n
        # The same batch without the trail, for the report.
        db.session.info["audit_disabled"] = True
        db.session.add_all(Customer(code=f"U{i:05d}", name=f"未审计{i}", region="青石镇") for i in range(n))
        started = time.perf_counter()
        db.session.flush()
        plain = time.perf_counter() - started
        db.session.commit()
        db.session.info.pop("audit_disabled")
    print(f"\n{n} inserts in one flush: {elapsed * 1000:.0f} ms audited, {plain * 1000:.0f} ms without")


def test_seed_and_batch_jobs_can_attribute_their_changes(app):
    """`acting_as` lets the demo seed replay a working day under the demo logins."""
    from datetime import datetime

    from app.security.audit import acting_as

    with app.app_context():
        cs = app.appbuilder.sm.find_user(username="cs")
        at = datetime(2026, 11, 20, 9, 12)
        with acting_as(cs, at=at):
            db.session.add(Customer(code="C9100", name="上午来电客户", region="柳林乡"))
            db.session.commit()
        db.session.add(Customer(code="C9101", name="无人客户", region="柳林乡"))
        db.session.commit()
        rows = db.session.scalars(sa.select(AuditLog).order_by(AuditLog.id)).all()
        assert [(r.username, r.at) for r in rows][0] == ("cs", at)
        assert rows[1].username is None and rows[1].at != at


def test_the_audit_trail_exports_as_the_list_filters_it(app, client, api):
    """`GET /api/v1/audit_log/export.xlsx` for those who may read the trail; nobody else."""
    import io

    import openpyxl

    headers = api("manager")
    made = client.post("/api/v1/customer/", headers=headers,
                       json={"code": "C9002", "name": "审计导出局", "region": "东城镇", "importance": "key"})
    assert made.status_code == 201, made.json
    resp = client.get("/api/v1/audit_log/export.xlsx?q=(filters:!((col:table_name,opr:eq,value:customer)))",
                      headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    rows = list(openpyxl.load_workbook(io.BytesIO(resp.data)).active.iter_rows(values_only=True))
    assert "Table" not in " ".join(map(str, rows[0])), rows[0]  # the columns' labels, not attribute names
    assert len(rows) >= 2 and all("customer" in row for row in rows[1:]), rows
    assert client.get("/api/v1/audit_log/export.xlsx", headers=api("field1")).status_code == 403
