"""Filter, paging and id values checked against their columns before any query runs
(app/security/filter_values.py): a value its column cannot take is a 400 naming the field (the
screens' error page, the API's `{"message"}`), good values still filter, and an error raised
while a query runs is a bug of ours: 500 and logged, never a "bad request"."""
from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Customer, Part, Project
from tests.parts_helpers import make_part


def _rison(value) -> str:
    if isinstance(value, str):
        return "'" + value.replace("!", "!!").replace("'", "!'") + "'"
    if isinstance(value, bool):
        return "!t" if value else "!f"
    if isinstance(value, list):
        return "!(" + ",".join(_rison(v) for v in value) + ")"
    return str(value)


def _q(col, opr, value, **extra) -> str:
    more = "".join(f",{key}:{_rison(val)}" for key, val in extra.items())
    return f"(filters:!((col:{col},opr:{opr},value:{_rison(value)})){more})"


@pytest.fixture
def rows(app):
    """Two customers (key, normal) with a project each, and two parts (key, not key)."""
    with app.app_context():
        key = Customer(code="C0001", name="县广电", region="东城镇", importance="key")
        normal = Customer(code="C0002", name="乡镇站", region="西河乡", importance="normal")
        db.session.add_all([
            key, normal,
            Project(code="P0001", name="一期", customer=key, warranty_start=date(2025, 1, 1),
                    warranty_end=date(2026, 12, 31)),
            Project(code="P0002", name="二期", customer=normal, warranty_start=date(2026, 6, 1),
                    warranty_end=date(2028, 5, 31)),
        ])
        db.session.commit()
        make_part(1, is_key=True)
        make_part(2, is_key=False, standard_cost=Decimal("99.50"))
        return {"key": key.id, "normal": normal.id}


# --- the API: rison filters, paging, export --------------------------------------------------

API_BAD = [
    # (resource, column, operator, value, field label in the message)
    ("customer", "importance", "eq", "nosuch", "Importance"),           # enum: not a code
    ("customer", "importance", "neq", 3, "Importance"),
    ("part", "is_key", "eq", "maybe", "Key part"),                      # boolean
    ("part", "active", "neq", "false", "Active"),
    ("appraisal", "total_score", "gt", "abc", None),                    # numeric
    ("appraisal", "total_score", "lt", "NaN", None),
    ("appraisal", "total_score", "eq", "1e999", None),
    ("project", "warranty_start", "gt", "2026-02-30", None),            # date
    ("project", "warranty_end", "lt", "yesterday", None),
    ("trip", "departure_at", "gt", "tomorrow 8am", None),               # date-time
    ("trip", "departure_at", "eq", "9999-12-31", None),                 # no local day after it
    ("contact", "customer", "rel_o_m", "abc", None),                    # relation: a record id
    ("contact", "customer", "rel_o_m", 2**40, None),                    # beyond PostgreSQL integer
    ("customer", "name", "ct", 12, "Name"),                             # text pattern: text only
    ("customer", "code", "eq", ["a", ["b"]], None),                     # nested list
]


@pytest.mark.parametrize("resource,col,opr,value,label", API_BAD)
def test_api_filter_values_that_do_not_fit_their_column_are_400_naming_the_field(
        app, client, api, rows, resource, col, opr, value, label):
    headers = api("admin")
    for path in ("/", "/export.xlsx"):
        resp = client.get(f"/api/v1/{resource}{path}", headers=headers, query_string={"q": _q(col, opr, value)})
        assert resp.status_code == 400, (path, resp.status_code, resp.get_data(as_text=True)[:300])
        assert resp.is_json and isinstance(resp.json["message"], str), path
        if label:
            assert resp.json["message"].startswith(label), resp.json


@pytest.mark.parametrize("locale,text", [("zh_Hans", "不是以下代码之一"), ("zh_Hant", "不是以下代碼之一")])
def test_the_message_is_in_the_readers_language(app, client, api, rows, locale, text):
    resp = client.get("/api/v1/customer/", headers=api("admin"),
                      query_string={"q": _q("importance", "eq", "nosuch"), "_l_": locale})
    assert resp.status_code == 400 and text in resp.json["message"], resp.json


@pytest.mark.parametrize("extra", [{"page": -1}, {"page": 2**40}, {"page_size": -5}])
def test_api_paging_out_of_range_is_400(app, client, api, rows, extra):
    resp = client.get("/api/v1/customer/", headers=api("admin"),
                      query_string={"q": _q("name", "ct", "县", **extra)})
    assert resp.status_code == 400 and resp.json["message"], resp.get_data(as_text=True)


@pytest.mark.parametrize("col,opr,value,codes", [
    ("importance", "eq", "key", {"C0001"}),
    ("importance", "neq", "key", {"C0002"}),
    ("code", "in", ["C0001", "C0002"], {"C0001", "C0002"}),
    ("code", "eq", "C0002", {"C0002"}),
])
def test_api_good_values_still_filter(app, client, api, rows, col, opr, value, codes):
    resp = client.get("/api/v1/customer/", headers=api("admin"), query_string={"q": _q(col, opr, value)})
    assert resp.status_code == 200, resp.json
    assert {row["code"] for row in resp.json["result"]} == codes


def test_api_good_values_of_every_kind_still_filter(app, client, api, rows):
    headers = api("admin")

    def codes(resource, col, opr, value):
        resp = client.get(f"/api/v1/{resource}/", headers=headers, query_string={"q": _q(col, opr, value)})
        assert resp.status_code == 200, (resource, col, resp.json)
        return {row["code"] for row in resp.json["result"]}

    assert codes("part", "is_key", "eq", True) == {"P-0001"}
    assert codes("part", "is_key", "eq", False) == {"P-0002"}
    assert codes("project", "warranty_start", "gt", "2025-06-01") == {"P0002"}
    assert codes("project", "customer", "rel_o_m", rows["key"]) == {"P0001"}
    assert codes("project", "customer", "rel_o_m", str(rows["normal"])) == {"P0002"}
    resp = client.get("/api/v1/trip/", headers=headers,
                      query_string={"q": _q("departure_at", "gt", "2026-12-01 08:00")})
    assert resp.status_code == 200 and resp.json["count"] == 0
    resp = client.get("/api/v1/appraisal/", headers=headers, query_string={"q": _q("total_score", "gt", "85.5")})
    assert resp.status_code == 200


# --- the screens: `_flt_<n>_<column>` -------------------------------------------------------

HTML_BAD = [
    ("/customerview/list/", "_flt_0_importance", "nosuch"),      # enum
    ("/partview/list/", "_flt_0_is_key", "maybe"),               # boolean (a ticked box sends "y")
    ("/trainingrecordview/list/", "_flt_1_hours", "abc"),        # numeric
    ("/trainingrecordview/list/", "_flt_0_hours", "Infinity"),
    ("/projectview/list/", "_flt_1_warranty_start", "2026-13-45"),  # date
    ("/tripview/list/", "_flt_1_departure_at", "yesterday"),       # date-time
    ("/tripview/list/", "_flt_0_engineer_id", "9" * 20),           # integer out of range
    ("/tripview/list/", "_flt_0_engineer_id", "1.5"),
    ("/contactview/add", "_flt_0_customer", "abc"),               # the fixed parent of an add form
    ("/customerview/list/", "_flt_7_importance", "key"),          # no such filter of the column
    ("/customerview/list/", "page_CustomerView", "9" * 30),        # a page no OFFSET can reach
]


@pytest.mark.parametrize("url,arg,value", HTML_BAD)
def test_screen_filter_values_that_do_not_fit_are_the_400_page(app, client, as_user, rows, url, arg, value):
    as_user("admin")
    resp = client.get(url, query_string={arg: value})
    assert resp.status_code == 400 and resp.mimetype == "text/html", (url, arg, resp.status_code)
    html = resp.get_data(as_text=True)
    assert "The request could not be understood" in html  # the layout's error page …
    assert value[:20] in html or arg in html or "record id" in html  # … saying which value


def test_screen_export_refuses_the_same_values(app, client, as_user, rows):
    as_user("admin")
    resp = client.get("/customerview/export.xlsx", query_string={"_flt_0_importance": "nosuch"})
    assert resp.status_code == 400 and "Importance" in resp.get_data(as_text=True)


def test_screen_good_values_still_filter(app, client, as_user, rows):
    as_user("admin")
    html = client.get("/customerview/list/", query_string={"_flt_0_importance": "key"}).get_data(as_text=True)
    assert "C0001" in html and "C0002" not in html
    html = client.get("/partview/list/", query_string={"_flt_0_is_key": "y"}).get_data(as_text=True)
    assert "P-0001" in html and "P-0002" not in html
    html = client.get("/projectview/list/", query_string={"_flt_1_warranty_start": "2025-06-01"}).get_data(
        as_text=True)
    assert "P0002" in html and "P0001" not in html
    for url, arg, value in [("/tripview/list/", "_flt_1_departure_at", "2026-12-01 08:00"),
                            ("/tripview/list/", "_flt_0_engineer_id", "3"),
                            ("/trainingrecordview/list/", "_flt_1_hours", "1.5"),
                            ("/customerview/list/", "page_CustomerView", "0")]:
        assert client.get(url, query_string={arg: value}).status_code == 200, (url, arg)
    assert client.get("/contactview/add", query_string={"_flt_0_customer": str(rows["key"])}).status_code == 200


def test_ids_in_the_path_no_row_can_have_are_404(app, client, api, as_user, rows):
    headers = api("admin")
    for pk in ("9" * 24, "abc"):
        assert client.put(f"/api/v1/customer/{pk}", headers=headers, json={"name": "x"}).status_code == 404
    assert client.get(f"/api/v1/customer/{'9' * 24}", headers=headers).status_code == 404
    as_user("admin")
    assert client.get(f"/customerview/show/{'9' * 24}").status_code == 404


# --- our own bug while a query runs: 500 and logged, not the client's fault ------------------

def _wrong_bind(*args, **kwargs):
    # a service binding a value its column cannot take: a programming error, not bad input
    # (SQLite's Date raises TypeError while binding, PostgreSQL a DataError)
    day = sa.literal("not a date", sa.Date)
    return db.session.execute(sa.select(Project.id).where(Project.warranty_start == day)).all()


def test_a_wrong_typed_bind_in_our_code_is_a_logged_500_on_the_api(app, client, api, rows, monkeypatch, caplog):
    from app.services import stock

    monkeypatch.setattr(stock, "balance", _wrong_bind)
    with caplog.at_level(logging.ERROR):
        resp = client.get("/api/v1/stock/balance", headers=api("keeper"),
                          query_string={"part": _a_part(app)})
    assert resp.status_code == 500, resp.get_data(as_text=True)
    assert resp.is_json and "date" not in resp.json["message"]  # no internals in the answer
    assert any(r.exc_info and isinstance(r.exc_info[1], sa.exc.StatementError) for r in caplog.records)


def test_a_wrong_typed_bind_in_our_code_is_a_500_on_a_screen(app, client, as_user, rows, monkeypatch, caplog):
    from app.views.interface import ServiceInterface

    def broken(self, *args, **kwargs):
        _wrong_bind()

    monkeypatch.setattr(ServiceInterface, "query", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # answer as in production
    as_user("admin")
    with caplog.at_level(logging.ERROR):
        resp = client.get("/customerview/list/")
    assert resp.status_code == 500 and resp.mimetype == "text/html"
    assert any(r.exc_info and isinstance(r.exc_info[1], sa.exc.StatementError) for r in caplog.records)


def _a_part(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Part.id).limit(1))
