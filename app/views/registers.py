"""View machinery of the registers: database rules on forms, action buttons, workflow endpoints."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from ..actor import current_roles, current_staff_id
from ..extensions import db
from ..models.base import DomainError
from .actions import run_api, run_html
from .base import ServiceModelView, _MissingIsNone, attach_errors
from .endpoints import api_action, screen_action
from .service_api import ServiceApi


class RegisterView(ServiceModelView):
    """A register's screen: `form_rules` (database checks) run with the model's own rules."""

    show_template = "registers/show.html"

    def form_rules(self, values, pk) -> dict[str, str]:
        """Rules that need the database; values has the form's fields, pk is None when adding."""
        return {}

    def show_actions(self, item) -> list[dict]:
        """POST buttons on the show page: {"label", "url", "note": bool}."""
        return []

    def _with_model_rules(self, form_cls):
        ruled = super()._with_model_rules(form_cls)
        view = self

        class Checked(ruled):
            def validate(self, extra_validators=None):
                if not super().validate(extra_validators=extra_validators):
                    return False
                errors = view.form_rules(_MissingIsNone(**self.data), getattr(self, "_id", None))
                attach_errors(self, errors)
                return not errors

        Checked.__name__ = form_cls.__name__
        return Checked

    def render_template(self, template, **kwargs):
        # only a screen with buttons reads the row again (a plain register's page costs no query more)
        has_actions = type(self).show_actions is not RegisterView.show_actions
        if has_actions and template == self.show_template and "pk" in kwargs:
            item = self.datamodel.get(kwargs["pk"], self._base_filters)
            kwargs["actions"] = self.show_actions(item) if item is not None else []
        return super().render_template(template, **kwargs)

    def run_action(self, pk, action) -> object:
        """Run a service action on a row (the action runner) and come back to its page."""
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            flash(_("Not found."), "danger")
            return redirect(url_for(f"{self.endpoint}.list"))
        return run_html(lambda: action(item), url_for(f"{self.endpoint}.show", pk=pk))


class WorkflowView(RegisterView):
    """A register with a status workflow: buttons to the allowed statuses, POST /transition/<pk>."""

    workflow = None  # the service module with transition() and allowed_targets()
    status_enum = None

    def show_actions(self, item):
        return [
            {"label": _("Move to: %(s)s", s=self.status_enum(t).label),
             "url": url_for(f"{self.endpoint}.transition", pk=item.id), "fields": {"to": t}, "note": True}
            for t in self.workflow.allowed_targets(item, current_roles())
        ]

    @screen_action("/transition/<int:pk>", "transition")
    def transition(self, pk):
        to, note = request.form.get("to", ""), request.form.get("note")

        def move(item):
            self.workflow.transition(item, to, note, roles=current_roles(), staff_id=current_staff_id())
            return _("Status changed.")

        return self.run_action(pk, move)


class RegisterApi(ServiceApi):
    """A register's API: `item_rules` (database checks) and `prepare` before saving."""

    conflict_fields: tuple[str, ...] = ()  # an error on one of these is a 409 (duplicate), not a 422

    def item_rules(self, item, pk) -> dict[str, str]:
        return {}

    def prepare(self, item) -> None:
        """Fill derived fields before saving (numbers, defaults)."""

    def _check(self, item, pk):
        errors = self.item_rules(item, pk)
        if errors:
            status = 409 if set(errors) & set(self.conflict_fields) else 422
            raise DomainError(errors, status=status)
        self.prepare(item)

    def pre_add(self, item):
        self._check(item, None)

    def pre_update(self, item):
        self._check(item, item.id)

    def run(self, pk, action):
        """Run a service action on a visible row; 200 with the row, or the rule's status."""
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return self.response_404()

        def act():
            extra = action(item) or {}
            db.session.flush()  # what the database fills in (timestamps, numbers) is in the answer
            return {"result": self.show_model_schema.dump(item), **extra}

        return run_api(self, act)


class WorkflowApi(RegisterApi):
    """POST /<pk>/transition {"to", "note"} on a register with a status workflow."""

    workflow = None

    @api_action("/<int:pk>/transition", "transition")
    def transition(self, pk):
        """Move the record to another status.
        ---
        post:
          responses:
            200:
              description: the record after the move
        """
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not body.get("to"):
            return self.response_400(message='Body must be {"to": "<status>", "note": "…"}')
        return self.run(pk, lambda item: self.workflow.transition(
            item, body["to"], body.get("note"), roles=current_roles(), staff_id=current_staff_id()) and None)
