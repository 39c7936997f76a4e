"""Shared view machinery: every ModelView and ModelRestApi of the app derives from these."""
from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask import request
from flask_appbuilder import ModelRestApi, ModelView
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.sqla.interface import SQLAInterface
from marshmallow import ValidationError
from marshmallow import fields as ma_fields
from sqlalchemy.exc import IntegrityError
from wtforms import SelectField
from wtforms.validators import DataRequired, Optional

from ..extensions import db
from ..models.base import CodeEnum, DomainError
from ..models.labels import label_for
from .export import ListExportApi, ListExportView
from .paper_forms import PaperFormView


class ServiceInterface(SQLAInterface):
    """SQLAInterface that shows enum labels (not codes) and blanks (not "None") on screens."""

    @staticmethod
    def _get_attr_value(item, col):
        value = SQLAInterface._get_attr_value(item, col)
        if value is None:
            return ""
        if isinstance(value, str) and not isinstance(value, CodeEnum):
            raw = getattr(item, col, None) if "." not in col else None
            if isinstance(raw, CodeEnum):
                return raw  # rendered through CodeEnum.__html__ as its translated label
        return value


def _enum_class(datamodel: SQLAInterface, col: str):
    if not datamodel.is_enum(col):
        return None
    enum_cls = datamodel.list_columns[col].type.enum_class
    return enum_cls if enum_cls and issubclass(enum_cls, CodeEnum) else None


def labelled_enum_field(enum_cls: type[CodeEnum], label, required: bool) -> SelectField:
    """A select box of an enum's translated labels, coerced back to the member."""
    choices = ([] if required else [("", "")]) + enum_cls.choices()
    return SelectField(
        label,
        choices=choices,
        coerce=lambda v: enum_cls(v) if v not in (None, "") else None,
        validators=[DataRequired()] if required else [Optional()],
        widget=Select2Widget(),
    )


class _MissingIsNone(SimpleNamespace):
    def __getattr__(self, name):
        return None


def check_record(model: type, values: object) -> dict[str, str]:
    """Run a model's cross-field rules on any object with its attributes."""
    rule = getattr(model, "validation_errors", None)
    return rule(values) if rule else {}


class ServiceModelView(ListExportView, PaperFormView, ModelView):
    """A ModelView with translated labels, labelled enums, model rules, Excel list and form."""

    page_size = 25

    def _init_properties(self):
        explicit = dict(self.label_columns or {})
        super()._init_properties()
        self.label_columns = dict(self.label_columns)
        model = self.datamodel.obj
        columns = set(self.datamodel.get_columns_list())
        columns.update(self.list_columns or [], self.show_columns or [])
        for col in columns:
            self.label_columns[col] = explicit.get(col) or label_for(model, col)
        self.add_form_extra_fields = dict(self.add_form_extra_fields or {})
        self.edit_form_extra_fields = dict(self.edit_form_extra_fields or {})
        for col in self.datamodel.get_columns_list():
            enum_cls = _enum_class(self.datamodel, col)
            if enum_cls is None:
                continue
            required = not self.datamodel.is_nullable(col)
            for extra in (self.add_form_extra_fields, self.edit_form_extra_fields):
                extra.setdefault(col, labelled_enum_field(enum_cls, self.label_columns[col], required))

    def _init_forms(self):
        super()._init_forms()
        self.add_form = self._with_model_rules(self.add_form)
        self.edit_form = self._with_model_rules(self.edit_form)

    def _with_model_rules(self, form_cls):
        model = self.datamodel.obj

        class RuledForm(form_cls):
            def validate(self, extra_validators=None):
                ok = super().validate(extra_validators=extra_validators)
                if not ok:
                    return False
                errors = check_record(model, _MissingIsNone(**self.data))
                for field, message in errors.items():
                    target = getattr(self, field, None)
                    if target is not None:
                        target.errors = list(target.errors) + [message]
                    else:
                        self.form_errors.append(message)
                return not errors

        RuledForm.__name__ = form_cls.__name__
        return RuledForm


class ServiceApi(ListExportApi, ModelRestApi):
    """A ModelRestApi that refuses unknown FKs and broken rules with 4xx, never 500; exports xlsx."""

    allow_browser_login = False
    page_size = 25

    def __init__(self):
        explicit = dict(type(self).label_columns or {})
        super().__init__()
        model = self.datamodel.obj
        self.label_columns = dict(self.label_columns)
        # FAB's own default is the prettified attribute name ("Id"): use the translated label
        for col in set(self.list_columns) | set(self.show_columns):
            if col in explicit:
                self.label_columns[col] = explicit[col]
            elif "." in col:  # "customer.name" → "Customer Name", both parts translated
                root, leaf = col.split(".", 1)
                related = self.datamodel.get_related_model(root)
                self.label_columns[col] = f"{label_for(model, root)} {label_for(related, leaf)}"
            else:
                self.label_columns[col] = label_for(model, col)

    def _init_model_schemas(self) -> None:
        super()._init_model_schemas()
        self._nullable_enums_accept_null()

    def _nullable_enums_accept_null(self) -> None:
        """FAB's enum fields refuse null even on a nullable column, so a PUT of any field of a
        row whose optional enum is unset (an attendance not yet assessed) answered 422."""
        for schema in (self.add_model_schema, self.edit_model_schema):
            for name, field in getattr(schema, "fields", {}).items():
                if isinstance(field, ma_fields.Enum) and self.datamodel.is_nullable(name):
                    field.allow_none = True

    def _load_checked(self, schema, data, instance=None):
        """Load the body into a model instance, or return a 4xx response."""
        try:
            item = schema.load(data, instance=instance) if instance is not None else schema.load(data)
        except ValidationError as err:
            db.session.rollback()
            return None, self.response_422(message=err.messages)
        errors = self._unknown_related(item, data)
        errors.update(check_record(type(item), item))
        if errors:
            db.session.rollback()  # drop anything the load attached to the session
            return None, self.response_422(message=errors)
        return item, None

    def _unknown_related(self, item, data: dict) -> dict[str, str]:
        """marshmallow-sqlalchemy builds a new related row for an unknown id: refuse that."""
        errors = {}
        for key in data if isinstance(data, dict) else ():
            if not self.datamodel.is_relation(key):
                continue
            value = getattr(item, key, None)
            related = value if isinstance(value, list) else [value]
            for obj in related:
                if obj is not None and sa.inspect(obj).transient:
                    errors[key] = f"{label_for(type(item), key)} {data[key]!r} does not exist."
        return errors

    def _save(self, item, status: int, edit: bool):
        try:
            self.pre_update(item) if edit else self.pre_add(item)
            db.session.add(item)
            db.session.commit()
        except DomainError as err:
            db.session.rollback()
            return self.response(err.status, message=err.errors)
        except IntegrityError as err:
            db.session.rollback()
            return self.response(409, message=_integrity_message(err))
        self.post_update(item) if edit else self.post_add(item)
        schema = self.edit_model_schema if edit else self.add_model_schema
        body = {"result": schema.dump(item, many=False)}
        if not edit:
            body["id"] = self.datamodel.get_pk_value(item)
        return self.response(status, **body)

    def post_headless(self):
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message="Request body must be a JSON object")
        item, error = self._load_checked(self.add_model_schema, request.json)
        return error or self._save(item, 201, edit=False)

    def put_headless(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message="Request body must be a JSON object")
        if not item:
            return self.response_404()
        data = self._merge_update_item(item, request.json)
        item, error = self._load_checked(self.edit_model_schema, data, instance=item)
        return error or self._save(item, 200, edit=True)

    def delete_headless(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            return self.response_404()
        try:
            self.pre_delete(item)
            db.session.delete(item)
            db.session.commit()
        except DomainError as err:
            db.session.rollback()
            return self.response(err.status, message=err.errors)
        except IntegrityError:
            db.session.rollback()
            return self.response(409, message="Other records still refer to this one.")
        self.post_delete(item)
        return self.response(200, message="OK")


def _integrity_message(err: IntegrityError) -> str:
    text = str(err.orig).lower()
    if "unique" in text or "duplicate" in text:
        return "A record with the same unique value already exists."
    if "foreign key" in text:
        return "A referenced record does not exist or is still in use."
    if "not null" in text or "null value" in text:
        return "A required field is missing."
    if "check" in text:
        return "A value is out of the allowed range."
    return "The record conflicts with existing data."
