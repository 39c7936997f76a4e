"""List filters of the ticket screens that FAB does not have: SLA flags, customer name."""
from __future__ import annotations

import sqlalchemy as sa
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l

from ..models import Customer, Ticket
from ..services import sla


class OverdueFilter(BaseFilter):
    """Open tickets past a deadline (the value is ignored)."""

    name = _l("Overdue (any value)")
    arg_name = "ovd"

    def apply(self, query, value):
        return query.filter(sla.overdue_clause())


class DueSoonFilter(BaseFilter):
    """Open tickets inside the warning window of their severity (the value is ignored)."""

    name = _l("Due soon (any value)")
    arg_name = "dsn"

    def apply(self, query, value):
        return query.filter(sla.due_soon_clause())


class OpenFilter(BaseFilter):
    """Tickets neither closed nor cancelled (the value is ignored)."""

    name = _l("Open (any value)")
    arg_name = "opn"

    def apply(self, query, value):
        return query.filter(Ticket.status.in_(sla.OPEN_STATUSES))


class CustomerNameFilter(BaseFilter):
    """Customer name contains the text; a subquery, so no customer dropdown is loaded."""

    name = _l("Customer name contains")
    arg_name = "cnm"

    def apply(self, query, value):
        text = (value or "").strip()
        if not text:
            return query
        ids = sa.select(Customer.id).where(Customer.name.ilike(f"%{text}%"))
        return query.filter(Ticket.customer_id.in_(ids))


# column -> extra filter classes, appended after FAB's own filters of that column
EXTRA_FILTERS = {
    "resolve_by": [OverdueFilter, DueSoonFilter],
    "customer_id": [CustomerNameFilter],
    "status": [OpenFilter],
}


def add_extra_filters(view, extra: dict) -> None:
    """Append custom filters so that both the search widget and `_flt_N_col` URLs find them.

    FAB's `search_filters` only reaches the widget, while URL filters are looked up in
    `_all_filters`, so both lists get the same instances.
    """
    filters = view._filters
    for col, classes in extra.items():
        instances = [cls(col, view.datamodel) for cls in classes]
        filters._search_filters.setdefault(col, []).extend(instances)
        filters._all_filters.setdefault(col, []).extend(instances)


def filter_url_arg(view, col: str, filter_cls) -> str:
    """The `_flt_N_col` argument name of a filter class on a view's column."""
    for index, flt in enumerate(view._filters._all_filters.get(col, [])):
        if isinstance(flt, filter_cls):
            return f"_flt_{index}_{col}"
    raise KeyError((col, filter_cls))

