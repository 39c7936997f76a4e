"""Enum columns on lists: sorts follow the meaning (severity by rank, status by lifecycle) on the
screens, the API and the export; the filters offer translated labels, not codes."""
from __future__ import annotations

import io
import re

import openpyxl
import prison

from tests.records import make_customer
from tests.ticket_helpers import new_ticket


def _tickets(app) -> None:
    customer = make_customer(app, with_equipment=True)
    for severity in ("important", "general", "emergency"):
        new_ticket(app, customer, severity=severity, title=f"{severity} ticket")


def test_the_api_sorts_severity_by_rank_not_by_code(app, client, api):
    _tickets(app)
    for direction, expected in (("asc", ["general", "important", "emergency"]),
                                ("desc", ["emergency", "important", "general"])):
        q = prison.dumps({"order_column": "severity", "order_direction": direction, "columns": ["severity"]})
        body = client.get(f"/api/v1/ticket/?q={q}", headers=api("manager")).json
        assert [r["severity"] for r in body["result"]] == expected


def test_the_screen_and_its_export_sort_the_same_way(app, client, as_user):
    _tickets(app)
    as_user("manager")
    html = client.get("/ticketview/list/?_oc_TicketView=severity&_od_TicketView=desc").get_data(as_text=True)
    shown = re.findall(r"(?:emergency|important|general) ticket", html)
    assert shown == ["emergency ticket", "important ticket", "general ticket"]
    resp = client.get("/ticketview/export.xlsx?_oc_TicketView=severity&_od_TicketView=desc")
    rows = list(openpyxl.load_workbook(io.BytesIO(resp.data)).worksheets[0].iter_rows(values_only=True))
    titles = [v for row in rows[1:] for v in row if isinstance(v, str) and v.endswith(" ticket")]
    assert titles == ["emergency ticket", "important ticket", "general ticket"]


def _filter_widgets(client, url: str) -> str:
    """The list's filter inputs, which FAB sends as JSON inside a script."""
    html = client.get(url).get_data(as_text=True)
    html = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html)
    return html.replace('\\"', '"')


def test_status_filter_offers_labels_in_the_readers_language(app, client, as_user):
    as_user("cs")
    html = _filter_widgets(client, "/ticketview/list/?_l_=en")
    assert '<option value="in_progress">In progress</option>' in html
    html = _filter_widgets(client, "/ticketview/list/?_l_=zh_Hans")
    assert re.search(r'<option value="in_progress">[^<a-z]+</option>', html)
    assert ">in_progress<" not in html


def test_filtering_by_the_chosen_label_still_sends_the_code(app, client, as_user):
    _tickets(app)
    as_user("manager")
    html = client.get("/ticketview/list/?_flt_0_severity=emergency").get_data(as_text=True)
    assert "emergency ticket" in html and "general ticket" not in html
