"""View helpers shared by the management records (knowledge, development, trips, budget): a
ticket-number field, record pages with form buttons."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional

from ..services.knowledge import find_ticket
from .actions import run_html


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


def show_button(view: str, action: str, label, icon: str, input_name: str | None = None, input_label=None) -> dict:
    """A form button of a `ShowButtons` page: POST to `<view>.<action>` for who has `can_<action>`,
    with a text box `input_name` when the action needs one (a ticket number)."""
    return {"endpoint": f"{view}.{action}", "view": view, "permission": f"can_{action}", "label": label,
            "icon": icon, "input": input_name, "input_label": input_label}


class ShowButtons:
    """A record page with related lists below it (FAB's cascade) and form buttons from
    `extra_args["show_actions"]` (`show_button`)."""

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
