"""Shared model helpers: the timestamp column type, labelled code enums, audit columns, validation errors."""
from __future__ import annotations

import enum
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_appbuilder.models.sqla import Model
from markupsafe import escape
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ..actor import current_user_id  # noqa: F401  (the column default of "posted by" etc.)
from ..clock import local_day_start, now_utc, to_utc


def utcnow() -> datetime:
    """Naive UTC now, from the one clock (app/clock.py)."""
    return now_utc()


class UtcDateTime(sa.TypeDecorator):
    """Every timestamp column of ours: ``timestamptz`` on PostgreSQL, naive UTC in Python.

    The application only handles naive UTC datetimes (app/clock.py); PostgreSQL gets an
    aware UTC value, so the stored instant does not depend on the session's TimeZone, and
    an aware value read back is turned into naive UTC again. SQLite has no zone type: it
    stores the naive UTC text as before. An aware value bound from anywhere is converted; a
    plain date compared with a timestamp means the start of that local day.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = to_utc(value) if isinstance(value, datetime) else local_day_start(value)
        return value.replace(tzinfo=timezone.utc) if dialect.name == "postgresql" else value

    def process_result_value(self, value, dialect):
        return to_utc(value) if value is not None else None


# `Mapped[datetime]` on our models means this type (FAB's ab_* tables name DateTime explicitly).
Model.registry.update_type_annotation_map({datetime: UtcDateTime})


class CodeEnum(enum.StrEnum):
    """An enum stored and sent as its code, shown as its translated label.

    Subclasses define members as ``code = "code"`` and a ``__labels__``
    mapping code -> lazy_gettext label.
    """

    @property
    def label(self) -> str:
        labels = type(self).__labels__()
        return str(labels.get(self.value, self.value))

    def __html__(self) -> str:  # Jinja renders the label, the API sends the code
        return str(escape(self.label))

    @classmethod
    def __labels__(cls) -> dict:
        return {}

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        labels = cls.__labels__()
        return [(m.value, labels.get(m.value, m.value)) for m in cls]


def enum_column(enum_cls: type[CodeEnum], **kwargs) -> sa.Enum:
    """A VARCHAR + CHECK enum: portable, and a new value needs no native-type migration."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        name=kwargs.pop("name", None) or enum_cls.__name__.lower(),
        values_callable=lambda e: [m.value for m in e],
    )


class Timestamped:
    """created / updated audit columns that work outside a request too."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, nullable=False)

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(
            sa.ForeignKey("ab_user.id", ondelete="SET NULL"), default=current_user_id, nullable=True
        )


class DomainError(ValueError):
    """A business-rule violation; `errors` maps field -> message ("" for the whole record)."""

    def __init__(self, errors: dict[str, str] | str, status: int = 422):
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors = errors
        self.status = status
        super().__init__("; ".join(str(m) for m in errors.values()))

    @property
    def message(self):
        """The API's `message`: the text of a whole-record rule, else {field: text} (no empty key)."""
        return api_message(self.errors)


def api_message(errors: dict):
    """{field: text} for the API; a rule about the whole record ("") is a plain text, or `_schema`."""
    if set(errors) == {""}:
        return errors[""]
    return {(key or "_schema"): value for key, value in errors.items()}


class Validated:
    """Records with cross-field rules implement `validation_errors`."""

    def validation_errors(self) -> dict[str, str]:
        return {}

    def validate(self) -> None:
        errors = self.validation_errors()
        if errors:
            raise DomainError(errors)


def is_digits(text) -> bool:
    """Whole-number text in ASCII digits: str.isdigit() also takes "²" or "٣", which int() refuses."""
    return isinstance(text, str) and text.isascii() and text.isdigit()
