"""`_info` offers for a related field only the rows the caller could list in that record's API."""
from __future__ import annotations

import prison
import pytest
from flask_appbuilder import ModelRestApi

from tests.conftest import LOGINS
from tests.records import make_customer
from tests.ticket_helpers import new_ticket


@pytest.fixture
def tickets(app, staff):
    cid = make_customer(app, with_equipment=True)
    return {"field1": new_ticket(app, cid, assignee_id=staff["field1"], title="field1 的工单"),
            "field2": new_ticket(app, cid, assignee_id=staff["field2"], title="field2 的工单"),
            "nobody": new_ticket(app, cid, title="未分派的工单")}


def _info(client, headers, resource, columns=("add_columns", "edit_columns")):
    q = prison.dumps({key: {} for key in columns} | {"keys": list(columns)})
    resp = client.get(f"/api/v1/{resource}/_info", headers=headers, query_string={"q": q})
    return resp


def _values(resp, key, name):
    for field in resp.json.get(key, []):
        if field["name"] == name:
            return {v["id"] for v in field.get("values") or []}, field.get("values") or []
    return None, []


def test_field_engineer_gets_only_own_tickets_as_choices(app, client, api, tickets):
    q = "(add_columns:(ticket:(page_size:100)),keys:!(add_columns))"
    for resource in ("repair_record", "requisition", "trip", "fault_analysis", "solution_plan"):
        resp = client.get(f"/api/v1/{resource}/_info", headers=api("field1"), query_string={"q": q})
        if resp.status_code == 403:
            continue
        assert resp.status_code == 200, (resource, resp.status_code)
        ids, values = _values(resp, "add_columns", "ticket")
        if ids is None:
            continue
        assert tickets["field2"] not in ids and tickets["nobody"] not in ids, (resource, values)
        assert "field2 的工单" not in str(values)
    manager = client.get("/api/v1/repair_record/_info", headers=api("manager"), query_string={"q": q})
    ids, _ = _values(manager, "add_columns", "ticket")
    assert set(tickets.values()) <= ids


def test_logins_are_offered_to_admin_only(app, client, api, staff):
    for username in ("manager", "field1", "cs"):
        resp = _info(client, api(username), "staff")
        if resp.status_code == 200:
            ids, _ = _values(resp, "add_columns", "user")
            assert not ids, username
    resp = _info(client, api("admin"), "staff")
    ids, _ = _values(resp, "add_columns", "user")
    assert ids and len(ids) >= len(LOGINS)


def _list_api_for(app, model, grants):
    for view in app.appbuilder.baseviews:
        if isinstance(view, ModelRestApi) and view.datamodel.obj is model and grants(view):
            return view
    return None


@pytest.mark.parametrize("username", ["field1", "keeper", "cs"])
def test_every_related_choice_is_a_row_of_the_related_list(app, client, api, tickets, username):
    """For every API and related field: choices ⊆ what the caller lists in the related record's API."""
    headers = api(username)
    role = LOGINS[username]
    from app.security.policy import grants

    granted = grants(role)
    listed_cache: dict = {}
    problems = []
    for view in app.appbuilder.baseviews:
        if not isinstance(view, ModelRestApi) or (view.class_permission_name, "can_info") not in granted:
            continue
        resp = _info(client, headers, view.resource_name)
        assert resp.status_code == 200, (view.resource_name, resp.status_code)
        for key in ("add_columns", "edit_columns"):
            for field in resp.json.get(key, []):
                if field.get("type") not in ("Related", "RelatedList"):
                    continue
                related = view.datamodel.get_related_model(field["name"])
                offered = {v["id"] for v in field.get("values") or []}
                for v in field.get("values") or []:
                    if " object at 0x" in str(v["value"]):
                        problems.append(f"{view.resource_name}.{field['name']}: repr {v['value']}")
                source = _list_api_for(app, related, lambda api_view: (api_view.class_permission_name, "can_get") in granted)
                if source is None:
                    if offered:
                        problems.append(f"{view.resource_name}.{field['name']}: {len(offered)} choices, no list")
                    continue
                if source.resource_name not in listed_cache:
                    got = client.get(f"/api/v1/{source.resource_name}/", headers=headers,
                                     query_string={"q": "(page_size:100)"})
                    listed_cache[source.resource_name] = set(got.json.get("ids", [])) if got.status_code == 200 else set()
                extra = offered - listed_cache[source.resource_name]
                if extra:
                    problems.append(f"{view.resource_name}.{field['name']}: not listable {sorted(extra)[:5]}")
    assert not problems, "\n".join(problems)
