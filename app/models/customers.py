"""Customers, their contacts, projects / contracts and installed equipment."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from .. import clock
from ..extensions import db
from .base import CodeEnum, Timestamped, Validated, enum_column


class Importance(CodeEnum):
    """Customer importance; key customers get more callbacks (001 §二(一))."""

    key = "key", _l("Key customer")
    important = "important", _l("Important")
    normal = "normal", _l("Normal")


class Customer(Timestamped, Validated, db.Model):
    """An organisation we serve."""

    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    region: Mapped[str] = mapped_column(sa.String(100), index=True)
    address: Mapped[str | None] = mapped_column(sa.String(300))
    phone: Mapped[str | None] = mapped_column(sa.String(50))
    importance: Mapped[Importance] = mapped_column(
        enum_column(Importance), default=Importance.normal, index=True
    )
    notes: Mapped[str | None] = mapped_column(sa.Text)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", passive_deletes=True
    )
    projects: Mapped[list[Project]] = relationship(back_populates="customer")
    equipment: Mapped[list[Equipment]] = relationship(back_populates="customer")

    __table_args__ = (sa.CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),)

    def __str__(self) -> str:
        return self.name


class Contact(Timestamped, Validated, db.Model):
    """A person at a customer we talk to."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    title: Mapped[str | None] = mapped_column(sa.String(100))
    phone: Mapped[str | None] = mapped_column(sa.String(50))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    is_primary: Mapped[bool] = mapped_column(default=False)

    customer: Mapped[Customer] = relationship(back_populates="contacts")

    def __str__(self) -> str:
        return self.name


class Project(Timestamped, Validated, db.Model):
    """A project / contract delivered to a customer, with its warranty period."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customer.id", ondelete="RESTRICT"), index=True
    )
    contract_no: Mapped[str | None] = mapped_column(sa.String(64))
    signed_on: Mapped[date | None] = mapped_column()
    warranty_start: Mapped[date] = mapped_column(index=True)
    warranty_end: Mapped[date] = mapped_column(index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)

    customer: Mapped[Customer] = relationship(back_populates="projects")
    equipment: Mapped[list[Equipment]] = relationship(back_populates="project")

    __table_args__ = (
        sa.CheckConstraint("warranty_end >= warranty_start", name="warranty_order"),
    )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def in_warranty(self, on: date | None = None) -> bool:
        on = on or clock.today_local()
        return self.warranty_start <= on <= self.warranty_end

    def validation_errors(self) -> dict[str, str]:
        if self.warranty_start and self.warranty_end and self.warranty_end < self.warranty_start:
            return {"warranty_end": str(_l("Warranty end must not be before warranty start."))}
        return {}


class Equipment(Timestamped, Validated, db.Model):
    """A product installed at a customer site: what inspections and faults refer to."""

    __tablename__ = "equipment"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customer.id", ondelete="RESTRICT"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("project.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    model: Mapped[str] = mapped_column(sa.String(100), index=True)
    serial_number: Mapped[str] = mapped_column(sa.String(100), unique=True)
    location: Mapped[str | None] = mapped_column(sa.String(300))
    install_date: Mapped[date | None] = mapped_column()
    warranty_end: Mapped[date | None] = mapped_column(index=True)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    customer: Mapped[Customer] = relationship(back_populates="equipment")
    project: Mapped[Project | None] = relationship(back_populates="equipment")

    def __str__(self) -> str:
        return f"{self.model} {self.serial_number}"

    def warranty_until(self) -> date | None:
        """The equipment's own warranty end, else its project's."""
        if self.warranty_end:
            return self.warranty_end
        return self.project.warranty_end if self.project else None

    def in_warranty(self, on: date | None = None) -> bool:
        until = self.warranty_until()
        return until is not None and (on or clock.today_local()) <= until

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        if (self.project is not None and self.customer is not None
                and self.project.customer_id != self.customer.id):
                errors["project"] = str(_l("The project belongs to another customer."))
        if self.install_date and self.warranty_end and self.warranty_end < self.install_date:
            errors["warranty_end"] = str(_l("Warranty end must not be before the install date."))
        return errors


class ForCustomer:
    """A record kept for one customer (a ticket, a complaint, a callback, an inspection); the customer
    cannot be deleted while it has one."""

    @declared_attr
    def customer_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("customer.id", ondelete="RESTRICT"), index=True)

    @declared_attr
    def customer(cls) -> Mapped[Customer]:
        return relationship(Customer)


class OnEquipment:
    """A record that may name one piece of the customer's equipment; it stays when the equipment goes."""

    @declared_attr
    def equipment_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("equipment.id", ondelete="SET NULL"), index=True)

    @declared_attr
    def equipment(cls) -> Mapped[Equipment | None]:
        return relationship(Equipment)
