"""Row-level access: field engineers see only the rows that are theirs (DOMAIN.md "Roles").

Views and APIs declare it with `base_filters = [own_rows("assignee_id")]`; FAB then
applies it to lists, counts, show / edit / delete by pk and API items, so another
engineer's row answers 404.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import g
from flask_appbuilder.models.filters import BaseFilter
from sqlalchemy.sql.selectable import ScalarSelect

from ..actor import current_user
from ..models.staff import Staff
from .roles import FIELD

# Roles limited to their own rows; a user with any other role as well sees everything.
ROW_RESTRICTED_ROLES = {FIELD}
# condition(model, my staff ids) -> the SQL condition on the model's rows
OwnCondition = Callable[[Any, ScalarSelect[int]], Any]


def restricted_to_own_rows(user: Any = None) -> bool:
    """True when the current login only has row-restricted roles."""
    user = user if user is not None else current_user()
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    names = {role.name for role in user.roles}
    return bool(names) and names <= ROW_RESTRICTED_ROLES


def my_staff_ids(user_id: int | None = None) -> ScalarSelect[int]:
    """A subquery of the staff ids linked to the current login."""
    uid = user_id if user_id is not None else getattr(getattr(g, "user", None), "id", None)
    return sa.select(Staff.id).where(Staff.user_id == uid).scalar_subquery()


class OwnRowsFilter(BaseFilter):
    """Keeps only rows owned by the current field engineer; a no-op for other roles."""

    name = "Own rows"
    arg_name = None

    def apply(self, query: Any, condition: OwnCondition | None) -> Any:
        if not restricted_to_own_rows():
            return query
        if condition is None:
            clause = getattr(self.model, self.column_name).in_(my_staff_ids())
        else:
            clause = condition(self.model, my_staff_ids())
        return query.filter(clause)


def own_rows(column: str, condition: OwnCondition | None = None) -> list[Any]:
    """A FAB base filter: `own_rows("assignee_id")`, or a condition(model, my_ids) for other shapes."""
    return [column, OwnRowsFilter, condition]
