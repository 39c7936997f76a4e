"""The OpenAPI document is valid and tells the truth, so a client generated from it works."""
from __future__ import annotations

import re

import jsonschema
import pytest
from openapi_spec_validator import validate

from tests.records import make_customer

METHODS = ("get", "put", "post", "delete", "patch")


_DOCUMENT: dict = {}


@pytest.fixture
def document(client, api):
    """The document as the admin reads it (built once: it takes seconds and no test changes it)."""
    if not _DOCUMENT:
        resp = client.get("/api/v1/_openapi", headers=api("admin"))
        assert resp.status_code == 200
        _DOCUMENT.update(resp.json)
    return _DOCUMENT


def _operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_the_document_is_valid_openapi(document):
    validate(document)


def test_every_path_parameter_is_declared_and_typed(document):
    missing = []
    for path, method, op in _operations(document):
        names = set(re.findall(r"{(\w+)}", path))
        declared = {p["name"]: p for p in op.get("parameters", []) if p.get("in") == "path"}
        if names - set(declared):
            missing.append(f"{method} {path}: {sorted(names - set(declared))}")
        for name in names & set(declared):
            if name == "pk" or name.endswith("_id"):
                assert declared[name]["schema"]["type"] == "integer", (path, name)
    assert not missing, "\n".join(missing)
    assert {"/api/v1/stock/reverse/{pk}", "/api/v1/ticket/{pk}/transition", "/api/v1/ticket/{pk}/note"} <= set(
        document["paths"])


def test_every_operation_documents_the_errors_it_can_answer(document):
    missing = []
    for path, method, op in _operations(document):
        if path.endswith("/_openapi"):
            continue
        for code in ("400", "401", "403", "404", "409", "413", "422"):
            if code not in op["responses"]:
                missing.append(f"{method} {path} {code}")
    assert not missing, "\n".join(missing[:40])


def _resolve(document, schema):
    while "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        schema = document["components"]["schemas"][name]
    return schema


def _response_schema(document, path, method="get", code="200"):
    answer = document["paths"][path][method]["responses"][code]
    return answer["content"]["application/json"]["schema"]


def _json_schema(node):
    """OpenAPI 3.0 `nullable: true` spelled as JSON Schema (Draft 4 knows no `nullable`)."""
    if isinstance(node, list):
        return [_json_schema(value) for value in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    return {"anyOf": [converted, {"type": "null"}]} if node.get("nullable") is True else converted


def _validator(document, schema):
    """A JSON Schema validator for one schema of the document (components reachable by $ref)."""
    return jsonschema.Draft4Validator(_json_schema({**schema, "components": document["components"]}),
                                      format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def test_info_is_declared_as_it_answers(app, client, api, document):
    make_customer(app, with_equipment=True)
    resp = client.get("/api/v1/contact/_info", headers=api("cs"))
    assert isinstance(resp.json["add_columns"], list)
    _validator(document, _response_schema(document, "/api/v1/contact/_info")).validate(resp.json)


def test_date_times_are_declared_with_their_format(document):
    ticket = _resolve(document, _response_schema(document, "/api/v1/ticket/{pk}")["properties"]["result"])
    assert ticket["properties"]["received_at"].get("format") == "date-time"


def test_error_answers_match_their_declared_body(app, client, api, document):
    make_customer(app, with_equipment=True)
    resp = client.post("/api/v1/contact/", headers=api("cs"), json={"customer": {"id": 1}, "name": "张三"})
    assert resp.status_code == 422
    schema = document["paths"]["/api/v1/contact/"]["post"]["responses"]["422"]
    name = schema["$ref"].split("/")[-1]
    body = document["components"]["responses"][name]["content"]["application/json"]["schema"]
    _validator(document, body).validate(resp.json)


def _property(document, component, name):
    return document["components"]["schemas"][component]["properties"][name]


def test_every_operation_documents_a_success_answer(document):
    missing = [f"{method} {path}" for path, method, op in _operations(document)
               if not any(code.startswith("2") for code in op["responses"])]
    assert not missing, "\n".join(missing)


def test_a_nullable_relation_is_the_record_or_null(document):
    """An expense need not be for a ticket: the list sends `"ticket": null`."""
    ticket = _property(document, "ExpenseApi.get_list", "ticket")
    assert ticket["nullable"] is True
    assert ticket["allOf"] == [{"$ref": "#/components/schemas/ExpenseApi.get_list.Ticket"}]
    # a required one stays a plain reference
    assert "nullable" not in _property(document, "ExpenseApi.get_list", "budget")


def test_a_nullable_enum_lists_null(document):
    """The first timeline entry has no status it came from."""
    from_status = _property(document, "TicketEventApi.get_list", "from_status")
    assert from_status["nullable"] is True and None in from_status["enum"]
    status = _property(document, "TicketApi.get_list", "status")  # NOT NULL: no null
    assert None not in status["enum"] and "nullable" not in status


def test_ids_are_integers_and_pairs_for_two_column_keys(document):
    created = _response_schema(document, "/api/v1/customer/", "post", "201")
    assert created["properties"]["id"]["type"] == "integer"
    listed = _response_schema(document, "/api/v1/customer/")
    assert listed["properties"]["ids"]["items"] == {"type": "integer"}
    balances = _response_schema(document, "/api/v1/stock_balance/")
    assert balances["properties"]["ids"]["items"] == {"type": "array", "items": {"type": "integer"}}


def test_money_is_a_decimal_string_as_sent(client, api, document):
    amount = _property(document, "BudgetApi.get", "amount")
    assert amount["type"] == "string" and amount["format"] == "decimal"
    h = api("manager")
    resp = client.post("/api/v1/budget/", headers=h, json={"period": "2026-03", "category": "travel",
                                                           "amount": "1000.50"})
    assert resp.status_code == 201, resp.json
    shown = client.get(f"/api/v1/budget/{resp.json['id']}", headers=h).json["result"]["amount"]
    assert shown == "1000.50" and re.fullmatch(amount["pattern"], shown)


def test_a_record_shown_carries_only_declared_fields(app, client, api, document):
    from tests.ticket_helpers import new_ticket

    ticket_id = new_ticket(app, make_customer(app, with_equipment=True))
    resp = client.get(f"/api/v1/ticket/{ticket_id}", headers=api("admin"))
    assert "survey_url" in resp.json["result"]
    _validator(document, _response_schema(document, "/api/v1/ticket/{pk}")).validate(resp.json)
