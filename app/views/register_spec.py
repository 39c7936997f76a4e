"""One declaration per register: the screen (`<Model>View`) and the API (`<Model>Api`) of a record
type made from a single `Register`, so the model, the form, the rules and the save hook are
written once and cannot drift apart between the two.

    PLAN = Register(
        CallbackPlan, "callback_plan", form=PLAN_FIELDS, base_order=("year", "desc"),
        list=["year", "customer", "target"], search=["year", "target"],
        api_list=["id", "customer_id", "year", "target"], api_show=["content"],
        api_search=["customer", "year"], api_order=["year"], prepare=svc.prepare_plan,
    )
    CallbackPlanView, CallbackPlanApi = build(PLAN)

Custom buttons and endpoints (`@screen_action`, `@api_action`) stay methods, on a mixin class given
as `screen_mixins` / `api_mixins`; what only one side has (labels, formatters, templates, related
views) goes in `screen` / `api`, plain class attributes.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import flash

from ..extensions import db
from ..models.base import DomainError
from .interface import ServiceInterface
from .registers import RegisterApi, RegisterView, WorkflowApi, WorkflowView

Rules = Callable[[Any, Any], dict]  # (values or item, pk or None) -> {field: message}


@dataclass(frozen=True)
class Register:
    """A register: what its screen and its API show, accept and check."""

    model: type
    resource_name: str  # the API's /api/v1/<resource_name>/ (snake_case of the model)
    form: Sequence[str]  # add (and edit) columns of the screen, and of the API unless `api_form`
    list: Sequence[str]  # the screen's list columns
    search: Sequence[str]  # the screen's filters (FK columns: no select of a whole table)
    api_list: Sequence[str]
    api_search: Sequence[str]
    api_order: Sequence[str]
    base_order: tuple[str, str]
    show: Sequence[str] | None = None  # the screen's record page (None: every column)
    order: Sequence[str] | None = None  # the screen's sortable columns (None: FAB's, the list's)
    api_show: Sequence[str] = ()  # the API's record: its list columns and these
    api_form: Sequence[str] | None = None  # when the API takes other fields (a ticket id, not its number)
    edit: Sequence[str] | None = None  # when an edit changes fewer fields than an add, on both sides
    rules: Rules | None = None  # database rules, on the form's values and on the API's loaded item
    prepare: Callable[[Any], None] | None = None  # fills derived fields before an add or an edit is saved
    warning: Callable[[Any], str | None] | None = None  # after a save: flashed, or "warning" in the body
    conflict_fields: tuple[str, ...] = ()  # the API answers 409 (a duplicate), not 422, on these
    workflow: Any = None  # a service module with transition() and allowed_targets()
    status_enum: Any = None
    base_filters: Sequence[Any] = ()  # row-level access (security/rows.py), on both sides
    paper_form: Callable | None = None
    paper_form_label: Any = None
    name: str | None = None  # the class names' stem (default: the model's name)
    interface: type = ServiceInterface
    screen: Mapping[str, Any] = field(default_factory=dict)  # more class attributes of the screen
    api: Mapping[str, Any] = field(default_factory=dict)  # and of the API
    screen_mixins: tuple[type, ...] = ()  # custom buttons and pages of the screen
    api_mixins: tuple[type, ...] = ()


class SpecView(RegisterView):
    """The screen side of a `Register`: the form's database rules, the save hook and the warning."""

    spec: Register

    def form_rules(self, values, pk):
        return self.spec.rules(values, pk) if self.spec.rules else {}

    def pre_add(self, item):
        self._prepared(item)

    def pre_update(self, item):
        self._prepared(item)

    def prepare_item(self, item):
        """The spec's `prepare`; a screen mixin may add a step of its own form and call super()."""
        if self.spec.prepare is not None:
            self.spec.prepare(item)

    def _prepared(self, item):
        try:
            self.prepare_item(item)
        except DomainError:
            db.session.rollback()  # nothing half-written; FAB flashes the message
            raise

    def post_add(self, item):
        self._warn(item)

    def post_update(self, item):
        self._warn(item)

    def _warn(self, item):
        warning = self.spec.warning(item) if self.spec.warning else None
        if warning:
            flash(warning, "warning")


class SpecWorkflowView(SpecView, WorkflowView):
    """A `Register` with a status workflow: buttons to the allowed statuses, POST /transition/<pk>."""


class SpecApi(RegisterApi):
    """The API side of a `Register`: the same rules and save hook; the warning rides in the body."""

    spec: Register

    def item_rules(self, item, pk):
        return self.spec.rules(item, pk) if self.spec.rules else {}

    def prepare(self, item):
        if self.spec.prepare is not None:
            self.spec.prepare(item)

    def _save(self, item, status: int, edit: bool):
        response = super()._save(item, status, edit)
        if response.status_code == status and self.spec.warning:
            warning = self.spec.warning(item)
            if warning:
                body = response.get_json()
                body["warning"] = warning
                return self.response(status, **body)
        return response


class SpecWorkflowApi(SpecApi, WorkflowApi):
    """POST /<pk>/transition {"to", "note"} on a `Register` with a status workflow."""


def _screen_attrs(spec: Register) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "datamodel": spec.interface(spec.model), "list_columns": list(spec.list),
        "search_columns": list(spec.search), "add_columns": list(spec.form),
        "edit_columns": list(spec.form if spec.edit is None else spec.edit),
        "base_order": spec.base_order,
    }
    if spec.show is not None:
        attrs["show_columns"] = list(spec.show)
    if spec.order is not None:
        attrs["order_columns"] = list(spec.order)
    if spec.paper_form is not None:
        attrs["paper_form"] = spec.paper_form  # read off the class (paper_forms.py): a plain function
    if spec.paper_form_label is not None:
        attrs["paper_form_label"] = spec.paper_form_label
    if spec.workflow is not None:
        attrs["workflow"], attrs["status_enum"] = spec.workflow, spec.status_enum
    return attrs


def _api_attrs(spec: Register) -> dict[str, Any]:
    form = list(spec.form if spec.api_form is None else spec.api_form)
    attrs: dict[str, Any] = {
        "resource_name": spec.resource_name, "datamodel": spec.interface(spec.model),
        "list_columns": list(spec.api_list), "show_columns": [*spec.api_list, *spec.api_show],
        "add_columns": form, "edit_columns": list(form if spec.edit is None else spec.edit),
        "search_columns": list(spec.api_search),
        "order_columns": list(spec.api_order), "base_order": spec.base_order,
        "conflict_fields": tuple(spec.conflict_fields),
    }
    if spec.workflow is not None:
        attrs["workflow"] = spec.workflow
    return attrs


def build(spec: Register, module: str | None = None) -> tuple[type, type]:
    """The screen and API classes of `spec`, named `<name>View` and `<name>Api` (the endpoint,
    permission and menu names the role policy knows), in the calling module. The screen carries
    its API (`spec_api`): the screen's menu entry registers both."""
    stem = spec.name or spec.model.__name__
    module = module or sys._getframe(1).f_globals["__name__"]
    shared: dict[str, Any] = {"spec": spec, "__module__": module}
    if spec.base_filters:
        shared["base_filters"] = list(spec.base_filters)
    screen_base = SpecWorkflowView if spec.workflow is not None else SpecView
    api_base = SpecWorkflowApi if spec.workflow is not None else SpecApi
    view = type(f"{stem}View", (*spec.screen_mixins, screen_base),
                {**shared, **_screen_attrs(spec), **spec.screen, "__qualname__": f"{stem}View"})
    api = type(f"{stem}Api", (*spec.api_mixins, api_base),
               {**shared, **_api_attrs(spec), **spec.api, "__qualname__": f"{stem}Api"})
    view.spec_api = api  # registered with its screen's menu entry (app/views/menu.py)
    return view, api
