"""Input checks and formats of the stock API: whole quantities, 2-decimal money, the lines a posting names."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

from flask_babel import gettext as _

from ..models.base import DomainError, is_digits

MAX_QTY = 1_000_000
MAX_MONEY = Decimal("999999999999.99")
CENT = Decimal("0.01")


def check_qty(value: Any, field: str = "qty") -> int:  # whatever the client sent
    """A whole number of units, 1 … MAX_QTY."""
    if isinstance(value, bool):
        raise DomainError({field: _("Quantity must be a whole number.")})
    if is_digits(value.strip() if isinstance(value, str) else value):
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise DomainError({field: _("Quantity must be a whole number.")})
    if value <= 0:
        raise DomainError({field: _("Quantity must be greater than zero.")})
    if value > MAX_QTY:
        raise DomainError({field: _("Quantity must not exceed %(n)s.", n=MAX_QTY)})
    return value


class _Line(Protocol):
    @property
    def id(self) -> int: ...


L = TypeVar("L", bound=_Line)


def posted_lines(lines: Iterable[L], quantities: dict[int, Any], not_on_it: str,
                 still_open: Callable[[L], int], too_many: Callable[[L, int], str]) -> Iterator[tuple[L, int]]:
    """The document's lines a posting names (line id → qty; an empty qty is skipped), each with its
    checked quantity, one at a time (so each is posted before the next is checked, as the caller goes)."""
    by_id = {line.id: line for line in lines}
    for line_id, qty in quantities.items():
        if not qty:
            continue
        line = by_id.get(line_id)
        if line is None:
            raise DomainError({"lines": not_on_it})
        qty = check_qty(qty)
        if qty > still_open(line):
            raise DomainError({"qty": too_many(line, still_open(line))}, status=409)
        yield line, qty


def check_money(value: Any, field: str = "unit_cost") -> Decimal:
    """A non-negative amount with at most 2 decimal places."""
    if isinstance(value, bool) or value is None:
        raise DomainError({field: _("An amount is required.")})
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError({field: _("Not a valid amount.")}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise DomainError({field: _("The amount must be between 0 and %(max)s.", max=MAX_MONEY)})
    if amount != amount.quantize(CENT):
        raise DomainError({field: _("Use at most 2 decimal places.")})
    return amount.quantize(CENT)


def money(value: Decimal | int | float | str) -> str:
    """Money as the API sends it: a string with 2 decimals."""
    return f"{Decimal(str(value)).quantize(CENT):.2f}"
