"""Shared model helpers: the timestamp column type, labelled code enums, audit columns, validation errors."""
from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_appbuilder.models.sqla import Model
from flask_babel import lazy_gettext as _l
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
        return value.replace(tzinfo=UTC) if dialect.name == "postgresql" else value

    def process_result_value(self, value, dialect):
        return to_utc(value) if value is not None else None


# `Mapped[datetime]` on our models means this type (FAB's ab_* tables name DateTime explicitly).
Model.registry.update_type_annotation_map({datetime: UtcDateTime})


class CodeEnum(enum.StrEnum):
    """An enum stored and sent as its code, shown as its translated label.

    Subclasses define members as ``code = "code", _l("Label")`` (a plain ``code = "code"`` shows
    the code itself); an enum whose labels are made otherwise overrides the ``__labels__``
    classmethod (code -> label).
    """

    _value_: str
    _label: object

    def __new__(cls, code: str, label: object = None):
        member = str.__new__(cls, code)
        member._value_ = code
        member._label = label
        return member

    @property
    def label(self) -> str:
        # the member's own label unless the class makes its labels otherwise (a list page shows
        # ~50 labels: building the class's whole code -> label table for each cost more than the cells)
        if type(self).__labels__.__func__ is CodeEnum.__labels__.__func__:  # type: ignore[attr-defined]
            return str(self._label) if self._label is not None else self.value
        labels = type(self).__labels__()
        return str(labels.get(self.value, self.value))

    def __html__(self) -> str:  # Jinja renders the label, the API sends the code
        return str(escape(self.label))

    @classmethod
    def __labels__(cls) -> dict:
        return {m.value: m._label for m in cls if m._label is not None}

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        labels = cls.__labels__()
        return [(m.value, labels.get(m.value, m.value)) for m in cls]


class Level(CodeEnum):
    """The three-step scale of a risk's level and an upgrade's feasibility and priority."""

    high = "high", _l("High")
    medium = "medium", _l("Medium")
    low = "low", _l("Low")


def meaning_rank(column, enum_cls: type[CodeEnum]) -> sa.Case:
    """0, 1, 2 … in the enum's declaration order (unknown codes last): a sort by meaning (severity
    by rank, status by lifecycle). Written as literal SQL — codes are plain identifiers — so an
    index on the same expression (ix_ticket_status_rank …) serves the sort; with bound parameters
    SQLite could not match it and would sort every row."""
    for member in enum_cls:
        if not member.value.isidentifier():
            raise ValueError(f"{enum_cls.__name__}.{member.name}: a code must be a plain identifier")
    return sa.case(*((column == sa.literal_column(f"'{member.value}'"), sa.literal_column(str(rank)))
                     for rank, member in enumerate(enum_cls)), else_=sa.literal_column(str(len(enum_cls))))



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
