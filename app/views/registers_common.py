"""View helpers shared by the management records (knowledge, development, trips, budget): a
ticket-number field, save hooks, warnings."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional

from ..extensions import db
from ..models.base import DomainError
from ..services.knowledge import find_ticket
from .actions import run_html
from .base import ServiceModelView
from .service_api import ServiceApi


def ticket_number_field() -> StringField:
    """A ticket typed by its number: a select box would load every ticket into the form."""
    return StringField(_l("Ticket no."), validators=[Optional()])


class TicketByNumberMixin:
    """HTML forms with a `ticket_ref` text field instead of a ticket drop-down."""

    def prepare_item(self, item) -> None:  # on a Register's screen (register_spec.SpecView)
        self._resolve_ticket(item)
        super().prepare_item(item)

    def _resolve_ticket(self, item) -> None:
        ref = (getattr(item, "ticket_ref", None) or "").strip()
        item.ticket = find_ticket(ref) if ref else None

    def prefill_form(self, form, pk):
        item = self.datamodel.get(pk)
        if item is not None and item.ticket is not None:
            form.ticket_ref.data = item.ticket.number


class ShowButtons:
    """A record page with related lists below it (FAB's cascade) and form buttons from
    `extra_args["show_actions"]`: {"endpoint", "view", "permission", "label", "icon", "input"}."""

    show_template = "registers/show_actions.html"
    extra_args = {"show_actions": []}

    def run_action(self, pk: int, action, success_message):
        """Run a service action on a row from a show-page button, then return to that page."""
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            flash(str(_l("Record not found.")), "danger")
            return redirect(self.get_redirect())

        def act():
            warning = action(item, request.form)  # an action may return a warning to show
            return success_message, warning if isinstance(warning, str) else None

        return run_html(act, url_for(f"{type(self).__name__}.show", pk=pk))


class RulesModelView(ShowButtons, ServiceModelView):
    """A ModelView whose saves run the area's service rule `before_save(item)`."""

    def before_save(self, item) -> None:
        """Override: the service rule to run before an add or edit is written."""

    def pre_add(self, item):
        self._checked(item)

    def pre_update(self, item):
        self._checked(item)

    def _checked(self, item):
        try:
            self.before_save(item)
        except DomainError:
            db.session.rollback()  # nothing half-written; FAB flashes the message
            raise


class RulesApi(ServiceApi):
    """A ModelRestApi whose saves run the same service rule; a rule's warning rides along in the body."""

    def before_save(self, item) -> None:
        """Override: the service rule to run before an add or edit is written."""

    def warning_for(self, item) -> str | None:
        """Override: a warning to add to a successful save's response."""
        return None

    def pre_add(self, item):
        self.before_save(item)

    def pre_update(self, item):
        self.before_save(item)

    def _save(self, item, status: int, edit: bool):
        response = super()._save(item, status, edit)
        if response.status_code == status:
            warning = self.warning_for(item)
            if warning:
                body = response.get_json()
                body["warning"] = warning
                return self.response(status, **body)
        return response
