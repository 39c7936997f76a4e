"""The department's budget per period and category, and the expenses against it (000 §六(三))."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from ..extensions import db
from .base import CodeEnum, Timestamped, Validated, enum_column
from .derived import keep_derived
from .periods import MONTH, YEAR, Periodic, period_kind
from .staff import Staff
from .tickets import Ticket


class BudgetCategory(CodeEnum):
    travel = "travel", _l("Travel")
    equipment = "equipment", _l("Equipment")
    parts_purchase = "parts_purchase", _l("Parts purchase")
    training = "training", _l("Training")
    other = "other", _l("Other")


class Budget(Periodic, Timestamped, Validated, db.Model):
    """The amount set aside for one category in one year or month."""

    __tablename__ = "budget"
    PERIOD_KINDS = (YEAR, MONTH)
    __field_labels__ = {
        "period": _l("Period (2026 or 2026-03)"), "category": _l("Category"), "amount": _l("Budget"),
        "spent": _l("Spent"), "remaining": _l("Remaining"), "over_budget": _l("Over budget"),
        "expenses": _l("Expenses"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[BudgetCategory] = mapped_column(enum_column(BudgetCategory), index=True)
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    expenses: Mapped[list[Expense]] = relationship(back_populates="budget")

    __table_args__ = (
        sa.UniqueConstraint("period", "category"),
        sa.CheckConstraint("amount >= 0", name="amount_positive"),
        sa.CheckConstraint("period_end >= period_start", name="period_order"),
    )

    def __str__(self) -> str:
        return f"{self.period} {self.category.label if self.category else ''}"

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        if period_kind(getattr(self, "period", None)) not in Budget.PERIOD_KINDS:
            errors["period"] = str(_l("Write the period as a year (2026) or a month (2026-03)."))
        amount = getattr(self, "amount", None)
        if amount is not None and amount < 0:
            errors["amount"] = str(_l("The budget must not be negative."))
        return errors

    def sync_derived(self) -> None:
        """Period bounds from the period text."""
        self.sync_period()


class Expense(Timestamped, Validated, db.Model):
    """Money spent against a budget: who, what, how much, when, for which ticket."""

    __tablename__ = "expense"
    __field_labels__ = {
        "budget": _l("Budget"), "spent_on": _l("Date"), "staff": _l("Spent by"), "item": _l("What"),
        "amount": _l("Amount"), "ticket": _l("Ticket"), "receipt_no": _l("Receipt no."),
        "over_budget": _l("Over budget"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budget.id", ondelete="RESTRICT"), index=True)
    spent_on: Mapped[date] = mapped_column(index=True)
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    item: Mapped[str] = mapped_column(sa.String(200))
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    ticket_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    receipt_no: Mapped[str | None] = mapped_column(sa.String(50))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    budget: Mapped[Budget] = relationship(back_populates="expenses")
    staff: Mapped[Staff | None] = relationship()
    ticket: Mapped[Ticket | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.Index("ix_expense_budget_spent_on", "budget_id", "spent_on", "id"),
    )

    def __str__(self) -> str:
        return f"{self.spent_on} {self.item}"

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        amount = getattr(self, "amount", None)
        if amount is not None and amount <= 0:
            errors["amount"] = str(_l("The amount must be greater than 0."))
        budget, spent_on = getattr(self, "budget", None), getattr(self, "spent_on", None)
        if (budget is not None and spent_on and budget.period_start and budget.period_end
                and not budget.period_start <= spent_on <= budget.period_end):
                errors["spent_on"] = str(_l("The date is outside the budget's period."))
        return errors


# Computed in SQL: what the budget has spent so far, what remains, and whether it went over.
_spent = (
    sa.select(sa.func.coalesce(sa.func.sum(Expense.amount), 0))
    .where(Expense.budget_id == Budget.id)
    .correlate_except(Expense)
    .scalar_subquery()
)
Budget.spent = column_property(_spent)
Budget.remaining = column_property(Budget.amount - _spent)
Budget.over_budget = column_property(_spent > Budget.amount)

# An expense is flagged when the budget's running total up to and including it exceeds the budget.
_earlier = sa.orm.aliased(Expense)
_running = (
    sa.select(sa.func.coalesce(sa.func.sum(_earlier.amount), 0))
    .where(
        _earlier.budget_id == Expense.budget_id,
        sa.or_(_earlier.spent_on < Expense.spent_on,
               sa.and_(_earlier.spent_on == Expense.spent_on, _earlier.id <= Expense.id)),
    )
    .correlate_except(_earlier)
    .scalar_subquery()
)
_budget_amount = (
    sa.select(Budget.amount).where(Budget.id == Expense.budget_id).correlate_except(Budget).scalar_subquery()
)
Expense.over_budget = column_property(_running > _budget_amount)


keep_derived(Budget)
