"""Shared model helpers: labelled code enums, audit columns, validation errors."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask import g, has_request_context
from markupsafe import escape
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ..clock import now_utc


def utcnow() -> datetime:
    """Naive UTC now, from the one clock (app/clock.py)."""
    return now_utc()


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


def current_user_id() -> int | None:
    """The logged-in user's id inside a request, else None (CLI, seeding)."""
    if has_request_context():
        user = getattr(g, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user.id
    return None


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
