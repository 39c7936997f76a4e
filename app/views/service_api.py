"""The REST API base of every record type: FAB's ModelRestApi answering 4xx, never 500, for an unknown
foreign key, a broken rule or a cut-off query; schemas that speak ISO 8601 with the offset; xlsx export."""
from __future__ import annotations

import prison
import sqlalchemy as sa
from flask import current_app, jsonify, request
from flask_appbuilder import ModelRestApi
from flask_appbuilder.api.convert import Model2SchemaConverter
from flask_babel import gettext as _
from marshmallow import ValidationError, validate
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models.base import DomainError, api_message
from ..models.labels import label_for
from ..unit_of_work import unit_of_work
from .api_time import zoned
from .base import check_record
from .export import ListExportApi
from .input_rules import date_range_errors, max_length, related_choices_rules, related_label, related_shape_errors


class FkSchemaConverter(Model2SchemaConverter):
    """Lets API column lists name plain foreign-key columns (`ticket_id`) without joining the row;
    every date-time field (nested ones too) speaks ISO 8601 with the offset (api_time)."""

    def _column2field(self, datamodel, column, nested=True, parent_schema_name=None):
        field = zoned(super()._column2field(datamodel, column, nested=nested, parent_schema_name=parent_schema_name))
        # FAB builds enums and to-one relations without allow_none, so the document declared a
        # nullable status / customer as always present while the API sends null for it
        name = column.name
        to_one = datamodel.is_relation(name) and not (
            datamodel.is_relation_one_to_many(name) or datamodel.is_relation_many_to_many(name))
        if (to_one or datamodel.is_enum(name)) and datamodel.is_nullable(name):
            field.allow_none = True
        return field

    def _meta_schema_factory(self, columns, model, class_mixin, parent_schema_name=None):
        _model, _columns, _parent = model, columns, parent_schema_name
        if not columns:
            return super()._meta_schema_factory(columns, model, class_mixin, parent_schema_name)

        class MetaSchema(SQLAlchemyAutoSchema, class_mixin):  # type: ignore[misc, valid-type]
            class Meta:
                model = _model
                fields = _columns
                include_fk = True
                load_instance = True
                sqla_session = current_app.appbuilder.session
                parent_schema_name = _parent

        return MetaSchema


# The four marshmallow schemas of each API class, built by the first app of the process and
# reused by any later one: they depend on the class and its model only (the session is the
# shared scoped db.session), and building them is a third of create_app. A deployment builds one
# app per process; the test suite builds dozens.
_SCHEMAS: dict[type, tuple] = {}


class ServiceApi(ListExportApi, ModelRestApi):
    """A ModelRestApi that refuses unknown FKs and broken rules with 4xx, never 500; exports xlsx."""

    allow_browser_login = False
    page_size = 25
    model2schemaconverter = FkSchemaConverter

    def __init__(self):
        explicit = dict(type(self).label_columns or {})
        self.label_columns = dict(explicit)  # FAB adds its defaults in place (see base.ServiceModelView)
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

    def create_blueprint(self, appbuilder, *args, **kwargs):
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        blueprint.before_request(_refuse_broken_rison)
        return blueprint

    def _init_model_schemas(self):
        built = _SCHEMAS.get(type(self))
        if built is not None:
            self.list_model_schema, self.add_model_schema, self.edit_model_schema, self.show_model_schema = built
            return
        self._build_model_schemas()
        _SCHEMAS[type(self)] = (self.list_model_schema, self.add_model_schema, self.edit_model_schema,
                                self.show_model_schema)

    def _build_model_schemas(self):
        super()._init_model_schemas()
        columns = self.datamodel.list_columns
        for schema in (self.add_model_schema, self.edit_model_schema):
            for name, field in schema.fields.items():
                column = columns.get(name)
                if column is None:
                    continue
                # FAB marks every NOT NULL enum required, even one the database fills (status = new)
                if schema is self.add_model_schema and (getattr(column, "default", None) is not None
                                                         or getattr(column, "server_default", None) is not None):
                    field.required = False
                # FAB's enum field refuses None even on a nullable column (a PUT merges None back in)
                if getattr(column, "nullable", False):
                    field.allow_none = True
                limit = max_length(column)
                if limit and not any(isinstance(v, validate.Length) for v in field.validators):
                    field.validators = [*field.validators, validate.Length(max=limit)]

    def _load_checked(self, schema, data, instance=None):
        """Load the body into a model instance, or return a 4xx response."""
        errors = related_shape_errors(self.datamodel, data)
        if errors:
            return None, self.response_422(message=errors)
        try:
            item = schema.load(data, instance=instance) if instance is not None else schema.load(data)
        except ValidationError as err:
            db.session.rollback()
            return None, self.response_422(message=err.messages)
        errors = self._unknown_related(item, data)
        errors.update(date_range_errors(type(item), {key: getattr(item, key, None) for key in data}))
        errors.update(check_record(type(item), item))
        if errors:
            db.session.rollback()  # drop anything the load attached to the session
            return None, self.response_422(message=api_message(errors))
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
                    errors[key] = _("%(field)s %(value)s does not exist.",
                                    field=label_for(type(item), key), value=repr(data[key]))
        return errors

    def _get_list_related_field(self, field, filter_rel_field, page=None, page_size=None):
        """`_info` choices of a related field: only rows the caller could list in that record's API."""
        related = self.datamodel.get_related_model(field.name)
        rules = related_choices_rules(self.appbuilder, related)
        if rules is None:
            return 0, []
        count, values = super()._get_list_related_field(
            field, [*(filter_rel_field or []), *rules], page=page, page_size=page_size)
        for value in values:
            value["value"] = related_label(related, value)
        return count, values

    def _save(self, item, status: int, edit: bool):
        try:
            with unit_of_work():
                self.pre_update(item) if edit else self.pre_add(item)
                db.session.add(item)
        except DomainError as err:
            return self.response(err.status, message=err.message)
        self.post_update(item) if edit else self.post_add(item)
        schema = self.edit_model_schema if edit else self.add_model_schema
        body = {"result": schema.dump(item, many=False)}
        if not edit:
            body["id"] = self.datamodel.get_pk_value(item)
        return self.response(status, **body)

    def post_headless(self):
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message=_("Request body must be a JSON object"))
        # no flush until the save: a rule that reads a related row must not flush the change
        # (and its history, which rules such as "new severity, new deadlines" read) half-checked
        with db.session.no_autoflush:
            item, error = self._load_checked(self.add_model_schema, request.json)
            return error or self._save(item, 201, edit=False)

    def put_headless(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message=_("Request body must be a JSON object"))
        if not item:
            return self.response_404()
        data = self._merge_update_item(item, request.json)
        with db.session.no_autoflush:  # as in post_headless
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
            return self.response(err.status, message=err.message)
        except IntegrityError:
            db.session.rollback()
            return self.response(409, message=_("Other records still refer to this one."))
        self.post_delete(item)
        return self.response(200, message="OK")


def _refuse_broken_rison():
    """A cut-off rison `q` makes prison raise TypeError (FAB only catches ParserException): 400."""
    value = request.args.get("q")
    if not value:
        return None
    try:
        prison.loads(value)
    except prison.decoder.ParserException:
        return None  # FAB answers these itself (and may still read the value as JSON)
    except Exception:
        return jsonify(message=_("Not a valid rison argument in `q`.")), 400
    return None

