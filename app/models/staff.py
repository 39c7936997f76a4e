"""Staff members of the department, each linked to a login user."""
from __future__ import annotations

import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db
from ..security import roles
from .base import CodeEnum, Timestamped, Validated, enum_column


class Position(CodeEnum):
    """The five department positions of seed 002 §一."""

    manager = "manager", _l("Manager")
    tech_engineer = "tech_engineer", _l("Tech Engineer")
    field_engineer = "field_engineer", _l("Field Engineer")
    customer_service = "customer_service", _l("Customer Service")
    parts_keeper = "parts_keeper", _l("Parts Keeper")

    @property
    def role_name(self) -> str:
        """The FAB role a person in this position logs in with."""
        return {
            "manager": roles.MANAGER,
            "tech_engineer": roles.TECH,
            "field_engineer": roles.FIELD,
            "customer_service": roles.CS,
            "parts_keeper": roles.KEEPER,
        }[self.value]


class Staff(Timestamped, Validated, db.Model):
    """A member of the department."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100), index=True)
    position: Mapped[Position] = mapped_column(enum_column(Position), index=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ab_user.id", ondelete="SET NULL"), unique=True
    )
    region: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    phone_24h: Mapped[str | None] = mapped_column(sa.String(50))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    skills: Mapped[str | None] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True, index=True)

    user: Mapped[User | None] = relationship(User, foreign_keys=[user_id])
    __list_reads__ = {"username": ("user",)}  # a list showing the login loads it (models/loading.py)

    def __str__(self) -> str:
        return self.name

    @property
    def username(self) -> str | None:
        """The login this staff member uses."""
        return self.user.username if self.user else None


class Owned:
    """A plan or a case with the staff member answerable for it; it stays when they are deleted."""

    __field_labels__ = {"owner": _l("Owner")}

    @declared_attr
    def owner_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)

    @declared_attr
    def owner(cls) -> Mapped[Staff | None]:
        # cls is the mapped class here, cls.owner_id its column (mypy reads an instance's value)
        return relationship(Staff, foreign_keys=[cls.owner_id])  # type: ignore[list-item]
