"""The rison `q` of every API list checked against a validator built once per schema.

FAB's `@rison(schema)` calls `jsonschema.validate` on every request, and that first checks the
schema itself against the JSON Schema metaschema, then builds a validator: more than half of an
API list request's time, for schemas that are constants of FAB (get_list_schema …). Here the
metaschema check and the validator happen once per schema; the instance is validated exactly as
`jsonschema.validate` does (the same validator class, the same best error raised).
"""
from __future__ import annotations

import types
from typing import Any

import jsonschema

_VALIDATORS: dict[int, tuple[Any, Any]] = {}  # id(schema) → (schema, its validator)


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """`jsonschema.validate` with the schema's check and validator kept for the next call."""
    if cls is not None or args or kwargs:
        return jsonschema.validate(instance, schema, cls, *args, **kwargs)
    kept = _VALIDATORS.get(id(schema))
    if kept is None or kept[0] is not schema:  # (an id reused by another object: build anew)
        validator_class = jsonschema.validators.validator_for(schema)
        validator_class.check_schema(schema)
        kept = _VALIDATORS[id(schema)] = (schema, validator_class(schema))
    error = jsonschema.exceptions.best_match(kept[1].iter_errors(instance))
    if error is not None:
        raise error
    return None


class _JsonSchema(types.ModuleType):
    """What FAB's API module sees as `jsonschema`: the real module, but this `validate`."""

    def __getattr__(self, name: str) -> Any:
        return getattr(jsonschema, name)


def install() -> None:
    """Point FAB's API module at the kept validators (once per process; any app may call it)."""
    import flask_appbuilder.api as fab_api

    if not isinstance(fab_api.jsonschema, _JsonSchema):
        shim = _JsonSchema("jsonschema")
        shim.validate = validate  # type: ignore[attr-defined]
        fab_api.jsonschema = shim  # type: ignore[attr-defined]
