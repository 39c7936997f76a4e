"""Screens and APIs of the budget and the expenses against it."""
from __future__ import annotations

from flask import flash
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..models import Budget, Expense
from ..services.budget import before_budget_save, over_budget_warning
from .interface import ServiceInterface
from .registers_common import RulesApi, RulesModelView, TicketByNumberMixin, ticket_number_field


class ComputedInterface(ServiceInterface):
    """Also lists SQL-computed columns (column_property): they are never unique."""

    def is_unique(self, col_name: str) -> bool:
        column = self.list_columns.get(col_name)
        return bool(getattr(column, "unique", False)) if column is not None else super().is_unique(col_name)


def _flag(value) -> Markup | str:
    """The over-budget flag on lists."""
    if not value:
        return ""
    return Markup('<span class="label label-danger">%s</span>') % escape(str(_l("Over budget")))


def _money(value) -> str:
    return f"{value:,.2f}" if value not in (None, "") else ""  # blanks arrive as ""


class ExpenseView(TicketByNumberMixin, RulesModelView):
    datamodel = ServiceInterface(Expense)
    label_columns = {"ticket_ref": _l("Ticket no.")}
    list_columns = ["spent_on", "budget", "item", "amount", "staff", "ticket", "receipt_no", "over_budget"]
    show_columns = ["budget", "spent_on", "item", "amount", "staff", "ticket", "receipt_no", "notes", "over_budget"]
    add_columns = edit_columns = ["budget", "spent_on", "item", "amount", "staff", "ticket_ref", "receipt_no", "notes"]
    add_form_extra_fields = {"ticket_ref": ticket_number_field()}
    edit_form_extra_fields = {"ticket_ref": ticket_number_field()}
    search_columns = ["budget_id", "spent_on", "item", "amount", "staff_id", "ticket_id", "receipt_no"]
    formatters_columns = {"over_budget": _flag, "amount": _money}
    base_order = ("spent_on", "desc")

    def before_save(self, item):
        self._resolve_ticket(item)

    def post_add(self, item):
        self._warn(item)

    def post_update(self, item):
        self._warn(item)

    def _warn(self, item):
        warning = over_budget_warning(item)
        if warning:
            flash(warning, "warning")


class BudgetView(RulesModelView):
    datamodel = ServiceInterface(Budget)
    list_columns = ["period", "category", "amount", "spent", "remaining", "over_budget"]
    show_columns = ["period", "period_start", "period_end", "category", "amount", "spent", "remaining",
                    "over_budget", "notes"]
    add_columns = edit_columns = ["period", "category", "amount", "notes"]
    search_columns = ["period", "category", "amount", "period_start"]
    formatters_columns = {"over_budget": _flag, "amount": _money, "spent": _money, "remaining": _money}
    base_order = ("period_start", "desc")
    related_views = [ExpenseView]

    def before_save(self, item):
        before_budget_save(item)


class BudgetApi(RulesApi):
    resource_name = "budget"
    datamodel = ComputedInterface(Budget)
    list_columns = ["id", "period", "period_start", "period_end", "category", "amount", "spent",
                    "remaining", "over_budget"]
    show_columns = list_columns + ["notes"]
    add_columns = edit_columns = ["period", "category", "amount", "notes"]
    search_columns = ["period", "category", "period_start"]
    order_columns = ["period", "period_start", "category", "amount"]
    base_order = ("period_start", "desc")

    def before_save(self, item):
        before_budget_save(item)


class ExpenseApi(RulesApi):
    resource_name = "expense"
    datamodel = ComputedInterface(Expense)
    list_columns = ["id", "budget.id", "budget.period", "budget.category", "spent_on", "item", "amount",
                    "staff.id", "staff.name", "ticket.id", "ticket.number", "receipt_no", "over_budget"]
    show_columns = list_columns + ["notes"]
    add_columns = edit_columns = ["budget", "spent_on", "item", "amount", "staff", "ticket", "receipt_no", "notes"]
    search_columns = ["budget", "spent_on", "staff", "ticket", "amount"]
    order_columns = ["spent_on", "amount"]
    base_order = ("spent_on", "desc")

    def warning_for(self, item):
        return over_budget_warning(item)
