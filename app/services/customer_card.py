"""The customer record card: one printable sheet with the customer, contacts, projects, equipment."""
from __future__ import annotations

from typing import IO

import sqlalchemy as sa
from flask_babel import gettext

from .. import clock
from ..extensions import db
from ..models import Contact, Customer, Equipment, Project
from ..models.base import utcnow
from ..models.labels import label_for
from .xlsx_forms import PaperForm, new_form_workbook


def customer_card_sheet(form: PaperForm, customer: Customer) -> None:
    """Lay out the card of one customer on a PaperForm."""
    def L(model: type, field: str) -> str:  # noqa: N802 - reads as a label in the layout below
        return str(label_for(model, field))

    form.title(gettext("Customer record card"), f"{L(Customer, 'code')}: {customer.code}")
    form.fields([
        (L(Customer, "name"), customer.name),
        (L(Customer, "code"), customer.code),
        (L(Customer, "region"), customer.region),
        (L(Customer, "importance"), customer.importance.label if customer.importance else None),
        (L(Customer, "phone"), customer.phone),
        (L(Customer, "address"), customer.address),
    ])
    contacts = db.session.scalars(
        sa.select(Contact).where(Contact.customer_id == customer.id)
        .order_by(Contact.is_primary.desc(), Contact.name)).all()
    form.section(gettext("Contacts"))
    form.table(
        [L(Contact, f) for f in ("name", "title", "phone", "email", "is_primary")],
        [(c.name, c.title, c.phone, c.email, c.is_primary) for c in contacts],
        spans=[2, 1, 2, 2, 1], empty_rows=0 if contacts else 1,
    )
    projects = db.session.scalars(
        sa.select(Project).where(Project.customer_id == customer.id).order_by(Project.code)).all()
    today = clock.today_local()
    form.section(gettext("Projects / contracts"))
    form.table(
        [L(Project, f) for f in ("code", "name", "contract_no", "warranty_start", "warranty_end")]
        + [gettext("In warranty")],
        [(p.code, p.name, p.contract_no, p.warranty_start, p.warranty_end, p.in_warranty(today))
         for p in projects],
        spans=[1, 2, 1, 1, 2, 1], empty_rows=0 if projects else 1,
    )
    equipment = db.session.scalars(
        sa.select(Equipment).where(Equipment.customer_id == customer.id)
        .order_by(Equipment.serial_number)).all()
    form.section(gettext("Installed equipment"))
    form.table(
        [L(Equipment, f) for f in ("model", "serial_number", "name", "location", "install_date",
                                   "warranty_end")],
        [(e.model, e.serial_number, e.name, e.location, e.install_date, e.warranty_until())
         for e in equipment],
        spans=[1, 2, 1, 2, 1, 1], empty_rows=0 if equipment else 1,
    )
    form.text_box(L(Customer, "notes"), customer.notes, height_rows=3)
    form.signatures([gettext("Prepared by"), gettext("Checked by")], gettext("Date"))
    form.note(gettext("Printed %(when)s", when=clock.format_datetime(utcnow())))


def write_customer_card(target: str | IO[bytes], customer: Customer) -> None:
    """A workbook holding the customer's card."""
    workbook = new_form_workbook(target)
    try:
        form = PaperForm(workbook, gettext("Customer card"))
        customer_card_sheet(form, customer)
        form.finish()
    finally:
        workbook.close()
