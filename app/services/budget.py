"""Budget rules: one budget per period and category; expenses over budget are allowed but flagged."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import Budget, Expense
from .common import ensure_unique


def before_budget_save(budget: Budget) -> None:
    """One budget per period and category."""
    budget.sync_derived()
    ensure_unique(budget, ("period", "category"), "category",
                  _("A budget for this period and category already exists."))


def budget_position(budget_id: int) -> tuple[Any, ...]:
    """(amount, spent, remaining) of a budget, computed in SQL."""
    return tuple(db.session.execute(
        sa.select(Budget.amount, Budget.spent, Budget.remaining).where(Budget.id == budget_id)
    ).one())


def over_budget_warning(expense: Expense) -> str | None:
    """The warning to show after saving an expense that leaves its budget overspent, else None."""
    amount, spent, remaining = budget_position(expense.budget_id)
    if remaining >= 0:
        return None
    return _(
        "Budget %(budget)s is over by %(over)s: %(spent)s spent of %(amount)s.",
        budget=str(expense.budget), over=f"{-remaining:.2f}", spent=f"{spent:.2f}", amount=f"{amount:.2f}",
    )
