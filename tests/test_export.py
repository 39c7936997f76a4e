"""Excel export of lists (HTML and API): values, types, labels, safety, rules, permissions."""
from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import prison
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Contact, Customer, Equipment, Importance, Project, Staff
from app.services.export import (
    CELL_TEXT_LIMIT, DATE, DATETIME, INTEGER, MONEY, NUMBER, BOOLEAN, TEXT, Column, write_table,
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
