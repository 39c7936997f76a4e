"""Screens and APIs of the budget and the expenses against it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..models import Budget, Expense
from ..services.budget import before_budget_save, over_budget_warning
from .interface import ServiceInterface
from .register_spec import Register, build
from .registers_common import ShowButtons, TicketByNumberMixin, ticket_number_field


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


EXPENSE = Register(
    Expense, "expense", base_order=("spent_on", "desc"),
    form=["budget", "spent_on", "item", "amount", "staff", "ticket_ref", "receipt_no", "notes"],
    api_form=["budget", "spent_on", "item", "amount", "staff", "ticket", "receipt_no", "notes"],
    list=["spent_on", "budget", "item", "amount", "staff", "ticket", "receipt_no", "over_budget"],
    show=["budget", "spent_on", "item", "amount", "staff", "ticket", "receipt_no", "notes", "over_budget"],
    search=["budget_id", "spent_on", "item", "amount", "staff_id", "ticket_id", "receipt_no"],
    api_list=["id", "budget.id", "budget.period", "budget.category", "spent_on", "item", "amount", "staff.id",
              "staff.name", "ticket.id", "ticket.number", "receipt_no", "over_budget"],
    api_show=["notes"], api_search=["budget", "spent_on", "staff", "ticket", "amount"],
    api_order=["spent_on", "amount"], warning=over_budget_warning,
    screen={"label_columns": {"ticket_ref": _l("Ticket no.")},
            "add_form_extra_fields": {"ticket_ref": ticket_number_field()},
            "edit_form_extra_fields": {"ticket_ref": ticket_number_field()},
            "formatters_columns": {"over_budget": _flag, "amount": _money}},
    api={"datamodel": ComputedInterface(Expense)}, screen_mixins=(TicketByNumberMixin, ShowButtons),
)
ExpenseView, ExpenseApi = build(EXPENSE)

BUDGET = Register(
    Budget, "budget", base_order=("period_start", "desc"), form=["period", "category", "amount", "notes"],
    list=["period", "category", "amount", "spent", "remaining", "over_budget"],
    show=["period", "period_start", "period_end", "category", "amount", "spent", "remaining", "over_budget",
          "notes"],
    search=["period", "category", "amount", "period_start"],
    api_list=["id", "period", "period_start", "period_end", "category", "amount", "spent", "remaining",
              "over_budget"],
    api_show=["notes"], api_search=["period", "category", "period_start"],
    api_order=["period", "period_start", "category", "amount"], prepare=before_budget_save,
    screen={"formatters_columns": {"over_budget": _flag, "amount": _money, "spent": _money, "remaining": _money},
            "related_views": [ExpenseView]},
    api={"datamodel": ComputedInterface(Budget)}, screen_mixins=(ShowButtons,),
)
BudgetView, BudgetApi = build(BUDGET)
