"""The data interface of every list, record page and API: FAB's SQLAInterface, with what people read."""
from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _

from .. import clock
from ..models.base import CodeEnum
from .date_entry import LocalTimeFilterConverter
from .enum_columns import order_by_meaning
from .saved import SavedRecordInterface


class ServiceInterface(SavedRecordInterface):
    """SQLAInterface that shows enum labels (not codes), blanks (not "None") and local times
    (``YYYY-MM-DD HH:mm`` / ``YYYY-MM-DD``) on every list and record page.

    Filters on timestamp columns read the typed value as local time (screens and API alike).
    """

    filter_converter_class = LocalTimeFilterConverter

    def apply_order_by(self, query, order_column, order_direction, aliases_mapping=None,
                       bypass_many_to_many=False, add_pk=False):
        """Enum columns sort by their meaning (lifecycle, rank), not alphabetically by code."""
        ranked = order_by_meaning(self, query, order_column, order_direction, add_pk)
        if ranked is not None:
            return ranked
        return super().apply_order_by(query, order_column, order_direction, aliases_mapping=aliases_mapping,
                                      bypass_many_to_many=bypass_many_to_many, add_pk=add_pk)

    @staticmethod
    def _get_attr_value(item, col):
        value = SQLAInterface._get_attr_value(item, col)
        if value is None:
            return ""
        if isinstance(value, (date, datetime)):
            return clock.format_datetime(value) if isinstance(value, datetime) else clock.format_date(value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, (list, tuple, set)):  # to-many relations: their names, not reprs
            return ", ".join(str(v) for v in value)
        if isinstance(value, str) and not isinstance(value, CodeEnum):
            raw = getattr(item, col, None) if "." not in col else None
            if isinstance(raw, CodeEnum):
                return raw  # rendered through CodeEnum.__html__ as its translated label
        return value
