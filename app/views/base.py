"""Shared screen machinery: every ModelView of the app derives from ServiceModelView (the APIs' base,
ServiceApi, is in service_api.py)."""
from __future__ import annotations

from types import SimpleNamespace

from flask import flash, request
from flask_appbuilder import ModelView
from wtforms import BooleanField

from ..models.base import DomainError
from ..models.labels import label_for
from .enum_columns import code_enum_of, labelled_enum_field, labelled_search_fields
from .export import ListExportView
from .gallery import GalleryMixin
from .input_rules import apply_text_rules, date_range_errors
from .list_query import ShownColumnsList
from .lookup_fields import apply_lookup_fields, narrow_from_item
from .paper_forms import PaperFormView
from .saved import SavedRecordRedirect
from .score_fields import add_score_fields


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


def attach_errors(form, errors: dict[str, str]) -> None:
    """A rule's messages on a WTForms form: next to their field, or above the form when no field has the name."""
    for field, message in errors.items():
        target = getattr(form, field, None)
        if target is not None:
            target.errors = list(target.errors) + [message]
        else:
            form.form_errors.append(message)


class ServiceModelView(SavedRecordRedirect, ListExportView, GalleryMixin, PaperFormView, ShownColumnsList, ModelView):
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
        apply_lookup_fields(self)  # related records chosen / filtered by search boxes (lookup_fields)
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
        pk = (request.view_args or {}).get("pk")
        narrow_from_item(form, self.datamodel.get(pk, self._base_filters) if pk is not None else None)
        return super()._get_edit_widget(form, exclude_cols=exclude_cols, widgets=widgets)

    def _init_forms(self):
        super()._init_forms()
        self.add_form = self._with_model_rules(self.add_form)
        self.edit_form = self._with_model_rules(self.edit_form)

    def may(self, permission: str) -> bool:
        """Whether the user has one of this view's permissions: which buttons its pages show."""
        return self.appbuilder.sm.has_access(permission, self.class_permission_name)

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
                attach_errors(self, errors)
                return not errors

        RuledForm.__name__ = form_cls.__name__
        return RuledForm
