"""The OpenAPI document, made true to what the API does, so a client generated from it works.

FAB's generator leaves gaps; one pass over the finished document closes them:
- every path parameter is declared (FAB only declares those its own routes document), typed
  from the route's converter (`<int:pk>` → integer) or its name (`pk`, `*_id` → integer);
- ids in FAB's envelopes (`id`, `ids`) are integers, as sent (pairs for two-column keys);
- money (`Numeric` columns → marshmallow `Decimal`) is a decimal string ("12.50"), as sent;
- `_info` answers lists of field descriptions (FAB declares objects);
- every operation documents the 4xx answers the edge can give (400 bad body, 401, 403, 404,
  409, 413, 422) and 503 (database unreachable), with the `{"message": …}` body, where a
  message is a text or {field: text}; an endpoint that documents no success answer gets a
  `2XX` JSON object (rather than none: a generated client would treat its success as an error);
- FAB's menu: a submenu's separator is the string "-";
- a POST / PUT that declares no body reads an optional JSON object (the fields its description names).
Nullable to-one relations and enums are nullable in the schemas themselves (`FkSchemaConverter`).
Date-times are `format: date-time`, sent as ISO 8601 with the offset (the API's fields).
"""
from __future__ import annotations

import re

from flask import current_app
from flask_appbuilder.api import BaseApi, ModelRestApi, expose, protect, safe
from flask_appbuilder.api.manager import OpenApi, SwaggerView
from marshmallow import fields

_RULE_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
METHODS = ("get", "put", "post", "delete", "patch")
MESSAGE = {"type": "object", "properties": {"message": {
    "oneOf": [{"type": "string"}, {"type": "object", "additionalProperties": True}]}},
    "required": ["message"]}
ANSWERS = {
    "400": "Bad request: malformed JSON, rison or arguments",
    "401": "Not logged in, or the token is not valid",
    "403": "The role may not do this",
    "404": "No such record (or not one of yours)",
    "409": "The record's state or other records do not allow this",
    "413": "The body is too large",
    "422": "A value is not valid; the message names the field",
    "503": "The database cannot be reached",
}
FIELD_INFO = {
    "type": "object",
    "properties": {
        "name": {"type": "string"}, "label": {"type": "string"}, "description": {"type": "string"},
        "required": {"type": "boolean"}, "unique": {"type": "boolean"}, "type": {"type": "string"},
        "count": {"type": "integer"},
        "values": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"oneOf": [{"type": "integer"}, {"type": "string"}]}, "value": {"type": "string"}}}},
    },
    "additionalProperties": True,
}


def _path_of(rule: str) -> tuple[str, dict[str, str]]:
    types = {}

    def repl(match):
        converter, name = match.group(1), match.group(2)
        integer = converter == "int" or (converter is None and (name == "pk" or name.endswith("_id")))
        types[name] = "integer" if integer else "string"
        return "{" + name + "}"

    return _RULE_PARAM.sub(repl, rule), types


def _declare_path_params(spec: dict, app) -> None:
    routes = {}
    for rule in app.url_map.iter_rules():
        path, types = _path_of(rule.rule)
        routes.setdefault(path, {}).update(types)
    for path, item in spec.get("paths", {}).items():
        names = re.findall(r"{(\w+)}", path)
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [p for p in op.get("parameters", []) if isinstance(p, dict)]
            declared = {p.get("name"): p for p in params if p.get("in") == "path"}
            for name in names:
                kind = routes.get(path, {}).get(name, "string")
                if name in declared:
                    declared[name]["required"] = True
                    declared[name]["schema"] = {"type": kind}
                else:
                    params.append({"in": "path", "name": name, "required": True, "schema": {"type": kind}})
            op["parameters"] = [p for p in params if p.get("in") != "path" or p.get("name") in names]


def _walk(node, visit) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in list(node.values()):
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def _integer_ids(node: dict) -> None:
    props = node.get("properties")
    if not isinstance(props, dict):
        return
    # FAB's envelopes declare the id a string: the item's ({"id", "result"} of get / post) and the list's ids
    envelope = props.get("id", {}).get("description") == "The item id" or "result" in props
    if envelope and props.get("id", {}).get("type") == "string":
        props["id"] = {"type": "integer", "description": "The item id"}
    ids = props.get("ids")
    if isinstance(ids, dict) and ids.get("type") == "array":
        ids["items"] = {"type": "integer"}


def _nullable_shapes(node: dict) -> None:
    """apispec writes a nullable related record as anyOf [any object or null, the record], which
    lets any object through: `allOf [the record]` + nullable says "the record or null". A nullable
    enum lists null among its values (OpenAPI 3.0.3), or null would still be refused."""
    any_of = node.get("anyOf")
    if (isinstance(any_of, list) and len(any_of) == 2 and any_of[0] == {"type": "object", "nullable": True}
            and set(any_of[1]) == {"$ref"}):
        del node["anyOf"]
        node["allOf"] = [any_of[1]]
        node["nullable"] = True
    enum = node.get("enum")
    if node.get("nullable") and isinstance(enum, list) and None not in enum:
        enum.append(None)


DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"


def _decimal_strings(node: dict) -> None:
    """Money goes out as the decimal's text ("1000.50", Flask's JSON of a Decimal) and is read
    from such a text: say which texts."""
    if node.get("format") == "decimal" and node.get("type") == "string":
        node.setdefault("pattern", DECIMAL)


def _composite_ids(spec: dict, composite: set[str]) -> None:
    """A record with a two-column key (a balance per part and warehouse) lists its ids as pairs."""
    for path, item in spec.get("paths", {}).items():
        if path not in composite or "get" not in item:
            continue
        schema = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        ids = schema.get("properties", {}).get("ids")
        if ids is not None:
            ids["items"] = {"type": "array", "items": {"type": "integer"}}


def _menu_separators(spec: dict) -> None:
    """FAB's menu lists a separator between groups of a submenu as the string "-"."""
    for path, item in spec.get("paths", {}).items():
        if not path.endswith("/menu/") or "get" not in item:
            continue
        schema = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        entry = schema["properties"]["result"]["items"]
        entry["properties"]["childs"]["items"] = {"oneOf": [{"type": "object"}, {"type": "string", "enum": ["-"]}]}


def _info_shapes(spec: dict) -> None:
    for path, item in spec.get("paths", {}).items():
        if not path.endswith("/_info") or "get" not in item:
            continue
        schema = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        for key in ("add_columns", "edit_columns"):
            schema["properties"][key] = {"type": "array", "items": {"$ref": "#/components/schemas/FieldInfo"}}
        schema["properties"]["filters"] = {"type": "object", "additionalProperties": {
            "type": "array", "items": {"type": "object"}}}


def _answers(spec: dict) -> None:
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["FieldInfo"] = FIELD_INFO
    components["schemas"]["Message"] = MESSAGE
    responses = components.setdefault("responses", {})
    for code, text in ANSWERS.items():
        responses[code] = {"description": text, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Message"}}}}
    for item in spec.get("paths", {}).values():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            answers = op.setdefault("responses", {})
            if not any(code.startswith("2") for code in answers):
                # an endpoint whose docstring names no success answer: a JSON object, 200 or 201
                answers["2XX"] = {"description": "Done", "content": {"application/json": {
                    "schema": {"type": "object"}}}}
            for code in ANSWERS:
                current = answers.get(code)
                if current is None or "$ref" not in current:
                    answers[code] = {"$ref": f"#/components/responses/{code}"}


def _bodies(spec: dict) -> None:
    """A POST / PUT whose docstring declares no body (the workflow endpoints: transition, approve,
    issue …) still reads a JSON object, the fields its description names: declare one, optional,
    or a generated client could not send it."""
    for path, item in spec.get("paths", {}).items():
        if "/security/" in path:  # FAB's login / refresh declare their own (or none: a refresh token)
            continue
        for method in ("post", "put", "patch"):
            op = item.get(method)
            if op is not None and "requestBody" not in op:
                op["requestBody"] = {"required": False, "content": {"application/json": {
                    "schema": {"type": "object", "additionalProperties": True}}}}


def repair(spec: dict, app, composite: set[str] = frozenset()) -> dict:
    """The generated document with the gaps above closed (`composite`: list paths of records
    keyed by two columns)."""
    _declare_path_params(spec, app)
    _walk(spec, _integer_ids)
    _walk(spec, _nullable_shapes)
    _walk(spec, _decimal_strings)
    _composite_ids(spec, composite)
    _menu_separators(spec)
    _bodies(spec)
    _info_shapes(spec)
    _answers(spec)
    return spec


class ServiceOpenApi(OpenApi):
    """FAB's /api/<version>/_openapi, with the document repaired (same permission name)."""

    class_permission_name = "OpenApi"

    @expose("/<version>/_openapi")
    @protect()
    @safe
    def get(self, version):
        """The OpenAPI document
        ---
        get:
          description: The OpenAPI document of every API of this version
          parameters:
          - {in: path, name: version, required: true, schema: {type: string}}
          responses:
            200:
              description: The OpenAPI document
              content:
                application/json:
                  schema: {type: object}
        """
        api_spec = self._create_api_spec(version)
        plugin = api_spec.plugins[0]
        # money: sent as a decimal string ("12.50"), not a JSON number
        plugin.map_to_openapi_type(fields.Decimal, "string", "decimal")
        found, composite = False, set()
        for base_api in current_app.appbuilder.baseviews:
            if isinstance(base_api, BaseApi) and base_api.version == version:
                base_api.add_api_spec(api_spec)
                found = True
                if isinstance(base_api, ModelRestApi) and isinstance(base_api.datamodel.get_pk_name(), list):
                    composite.add(f"/api/{version}/{base_api.resource_name}/")
        if not found:
            return self.response_404()
        return self.response(200, **repair(api_spec.to_dict(), current_app, composite))


def register(appbuilder) -> None:
    """Instead of FAB's own (FAB_ADD_OPENAPI_VIEWS = False in config)."""
    appbuilder.add_api(ServiceOpenApi)
    appbuilder.add_view_no_menu(SwaggerView)
