"""Shared view machinery: every ModelView and ModelRestApi of the app derives from these."""
from __future__ import annotations

from types import SimpleNamespace

import prison
import sqlalchemy as sa
from flask import current_app, flash, jsonify, request
from flask_appbuilder import ModelRestApi, ModelView
from flask_appbuilder.api.convert import Model2SchemaConverter
from flask_babel import gettext as _
from marshmallow import ValidationError, validate
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField

from ..extensions import db
from ..models.base import DomainError, api_message
from ..models.labels import label_for
from .api_time import zoned
from .export import ListExportApi, ListExportView
from .gallery import GalleryMixin
from .input_rules import (
    apply_text_rules, date_range_errors, max_length, related_choices_rules, related_label, related_shape_errors,
)
from .paper_forms import PaperFormView
from .interface import ServiceInterface  # noqa: F401  (re-exported: the views import it from here)
from .saved import SavedRecordRedirect
from .score_fields import add_score_fields
from .enum_columns import code_enum_of, labelled_enum_field, labelled_search_fields


def flash_errors(err: DomainError, shown=()) -> None:
    """A rule's messages on top of a hand-made form. Each is a sentence a clerk reads; the field
    code it is keyed by (qty, part_0) is for programs and stays off the screen. Messages of the
    fields in `shown` are drawn next to their field by the template (widgets/field_errors.html)."""
    for key, message in err.errors.items():
        if key not in shown:
            flash(str(message), "danger")


class _MissingIsNone(SimpleNamespace):
    def __getattr__(self, name):
        return None


def check_record(model: type, values: object) -> dict[str, str]:
    """Run a model's cross-field rules on any object with its attributes."""
    rule = getattr(model, "validation_errors", None)
    return rule(values) if rule else {}


class ServiceModelView(SavedRecordRedirect, ListExportView, GalleryMixin, PaperFormView, ModelView):
    """A ModelView with translated labels, labelled enums, model rules, Excel list and form."""

    page_size = 25

    def _init_properties(self):
        # FAB fills in missing labels in place: on the class's own dict, were it not copied, so a
        # second app in the process (tests, `flask` commands) would read its English defaults
        # back as explicit labels
        self.label_columns = dict(type(self).label_columns or {})
        explicit = dict(self.label_columns)
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
            enum_cls = code_enum_of(self.datamodel, col)
            if enum_cls is None:
                continue
            required = not self.datamodel.is_nullable(col)
            for extra in (self.add_form_extra_fields, self.edit_form_extra_fields):
                extra.setdefault(col, labelled_enum_field(enum_cls, self.label_columns[col], required))
        add_score_fields(self)  # 1–5 scores: a row of buttons, not a number box
        labelled_search_fields(self)  # filters on enum columns offer the labels
        apply_text_rules(self, columns)  # line breaks shown, lengths checked
        for col in self.datamodel.get_columns_list():
            if not self.datamodel.is_boolean(col):
                continue
            # FAB puts DataRequired on NOT NULL booleans: an unticked box (False) could never be saved
            for extra in (self.add_form_extra_fields, self.edit_form_extra_fields):
                extra.setdefault(col, BooleanField(
                    self.label_columns[col], description=(self.description_columns or {}).get(col, ""),
                    default=self.datamodel.get_col_default(col)))

    def _get_list_widget(self, filters, actions=None, order_column="", order_direction="", **kwargs):
        # a crafted sort on a column the list does not offer (e.g. a relationship) is ignored, not a 500
        if order_column and order_column not in (self.order_columns or []):
            order_column, order_direction = "", ""
        return super()._get_list_widget(filters, actions=actions, order_column=order_column,
                                        order_direction=order_direction, **kwargs)

    def _fill_form_exclude_cols(self, exclude_cols, form):
        """A parent fixed by `?_flt_0_<rel>=<pk>` is hidden: its select must accept that very row."""
        super()._fill_form_exclude_cols(exclude_cols, form)
        for col in exclude_cols:
            field = getattr(form, col, None)
            if field is not None and field.data is not None and hasattr(field, "get_pk_func"):
                field._object_list = [(str(field.get_pk_func(field.data)), field.data)]

    def _flash_hidden_errors(self, form, exclude_cols):
        # errors on a hidden field (the fixed parent) have nowhere to show on the form: flash them
        for col in exclude_cols or []:
            for error in getattr(getattr(form, col, None), "errors", None) or []:
                flash(f"{self.label_columns.get(col, col)}: {error}", "danger")

    def _get_add_widget(self, form, exclude_cols=None, widgets=None):
        self._flash_hidden_errors(form, exclude_cols)
        return super()._get_add_widget(form, exclude_cols=exclude_cols, widgets=widgets)

    def _get_edit_widget(self, form, exclude_cols=None, widgets=None):
        self._flash_hidden_errors(form, exclude_cols)
        return super()._get_edit_widget(form, exclude_cols=exclude_cols, widgets=widgets)

    def _init_forms(self):
        super()._init_forms()
        self.add_form = self._with_model_rules(self.add_form)
        self.edit_form = self._with_model_rules(self.edit_form)

    def record_rules(self, values: dict) -> dict[str, str]:
        """{field: message} of rules that look at other rows (one survey per ticket); the edited
        record's own id is in `request.view_args["pk"]`."""
        return {}

    def _with_model_rules(self, form_cls):
        model = self.datamodel.obj
        view = self

        class RuledForm(form_cls):
            def validate(self, extra_validators=None):
                ok = super().validate(extra_validators=extra_validators)
                if not ok:
                    return False
                errors = date_range_errors(model, self.data)
                errors.update(check_record(model, _MissingIsNone(**self.data)))
                errors.update(view.record_rules(self.data))
                for field, message in errors.items():
                    target = getattr(self, field, None)
                    if target is not None:
                        target.errors = list(target.errors) + [message]
                    else:
                        self.form_errors.append(message)
                return not errors

        RuledForm.__name__ = form_cls.__name__
        return RuledForm


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


class ServiceApi(ListExportApi, ModelRestApi):
    """A ModelRestApi that refuses unknown FKs and broken rules with 4xx, never 500; exports xlsx."""

    allow_browser_login = False
    page_size = 25
    model2schemaconverter = FkSchemaConverter

    def __init__(self):
        explicit = dict(type(self).label_columns or {})
        self.label_columns = dict(explicit)  # FAB adds its defaults in place (see ServiceModelView)
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
            self.pre_update(item) if edit else self.pre_add(item)
            db.session.add(item)
            db.session.commit()
        except DomainError as err:
            db.session.rollback()
            return self.response(err.status, message=err.message)
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
            return self.response_400(message=_("Request body must be a JSON object"))
        item, error = self._load_checked(self.add_model_schema, request.json)
        return error or self._save(item, 201, edit=False)

    def put_headless(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message=_("Request body must be a JSON object"))
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


def _integrity_message(err: IntegrityError) -> str:
    text = str(err.orig).lower()
    if "unique" in text or "duplicate" in text:
        return _("A record with the same unique value already exists.")
    if "foreign key" in text:
        return _("A referenced record does not exist or is still in use.")
    if "not null" in text or "null value" in text:
        return _("A required field is missing.")
    if "check" in text:
        return _("A value is out of the allowed range.")
    return _("The record conflicts with existing data.")
