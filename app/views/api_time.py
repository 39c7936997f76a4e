"""Date-times on the API: ISO 8601 with the offset of APP_TIMEZONE out, any offset (or local) in."""
from __future__ import annotations

from datetime import date, datetime

from flask.json.provider import DefaultJSONProvider
from marshmallow import fields
from marshmallow.fields import Field

from .. import clock


class ZonedDateTime(fields.DateTime):
    """Sends ``2026-12-01T19:30:00+08:00``; reads a value with an offset in its zone and one
    without it in APP_TIMEZONE; hands the model naive UTC (the stored form)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return clock.isoformat(value) if isinstance(value, datetime) else value

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, datetime):
            typed = value
        else:
            try:
                typed = datetime.fromisoformat(str(value).strip())
            except ValueError as error:
                raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from error
        try:
            return clock.from_local(typed)
        except OverflowError as error:  # year 1 local is before year 1 in UTC: not a time anyone means
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from error


def zoned(field: Field) -> Field:
    """The same field as ZonedDateTime when it is a date-time (keeps required, allow_none, validators)."""
    if type(field) is not fields.DateTime:
        return field
    copy = ZonedDateTime(required=field.required, allow_none=field.allow_none, validate=field.validators,
                         load_only=field.load_only, dump_only=field.dump_only, metadata=field.metadata)
    copy.unique = getattr(field, "unique", False)
    return copy


class ZonedJSONProvider(DefaultJSONProvider):
    """Any date-time that reaches a JSON reply goes out as ISO 8601 with the offset
    (Flask's default would send an HTTP date in GMT); a date as ``YYYY-MM-DD``."""

    @staticmethod
    def default(o):
        if isinstance(o, datetime):
            return clock.isoformat(o)
        if isinstance(o, date):
            return o.isoformat()
        return DefaultJSONProvider.default(o)
