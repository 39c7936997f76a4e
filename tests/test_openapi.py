"""The OpenAPI document is valid and tells the truth, so a client generated from it works."""
from __future__ import annotations

import re

import jsonschema
import pytest
from openapi_spec_validator import validate

from tests.ticket_helpers import make_customer

METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture
def document(client, api):
    resp = client.get("/api/v1/_openapi", headers=api("admin"))
    assert resp.status_code == 200
    return resp.json


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


def _validator(document, schema):
    """A JSON Schema validator for one schema of the document (components reachable by $ref)."""
    return jsonschema.Draft4Validator({**schema, "components": document["components"]},
                                      format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def test_info_is_declared_as_it_answers(app, client, api, document):
    make_customer(app)
    resp = client.get("/api/v1/contact/_info", headers=api("cs"))
    assert isinstance(resp.json["add_columns"], list)
    _validator(document, _response_schema(document, "/api/v1/contact/_info")).validate(resp.json)


def test_date_times_are_declared_with_their_format(document):
    ticket = _resolve(document, _response_schema(document, "/api/v1/ticket/{pk}")["properties"]["result"])
    assert ticket["properties"]["received_at"].get("format") == "date-time"


def test_error_answers_match_their_declared_body(app, client, api, document):
    make_customer(app)
    resp = client.post("/api/v1/contact/", headers=api("cs"), json={"customer": {"id": 1}, "name": "张三"})
    assert resp.status_code == 422
    schema = document["paths"]["/api/v1/contact/"]["post"]["responses"]["422"]
    name = schema["$ref"].split("/")[-1]
    body = document["components"]["responses"][name]["content"]["application/json"]["schema"]
    _validator(document, body).validate(resp.json)
