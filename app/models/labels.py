"""Translated labels of model fields, by attribute name, shared by every screen and export.

A model may override one with a class attribute `__field_labels__`; the mixins it is made of
(an approved document's `Approved`, …) may bring theirs, and the model's own win.
"""
from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "id": _l("ID"),
    "code": _l("Code"),
    "name": _l("Name"),
    "title": _l("Title"),
    "region": _l("Region"),
    "address": _l("Address"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "importance": _l("Importance"),
    "notes": _l("Notes"),
    "customer": _l("Customer"),
    "contacts": _l("Contacts"),
    "projects": _l("Projects"),
    "is_primary": _l("Primary contact"),
    "contract_no": _l("Contract no."),
    "signed_on": _l("Signed on"),
    "warranty_start": _l("Warranty start"),
    "warranty_end": _l("Warranty end"),
    "description": _l("Description"),
    "project": _l("Project"),
    "equipment": _l("Equipment"),
    "model": _l("Model"),
    "serial_number": _l("Serial number"),
    "location": _l("Location"),
    "install_date": _l("Install date"),
    "employee_no": _l("Employee no."),
    "position": _l("Position"),
    "user": _l("Login"),
    "username": _l("Login"),
    "phone_24h": _l("24-hour phone"),
    "skills": _l("Skills"),
    "active": _l("Active"),
    "created_at": _l("Created at"),
    "updated_at": _l("Updated at"),
    "created_by": _l("Created by"),
    "counterpart": _l("Other leg of the transfer"),
}


def field_labels(model: type) -> dict:
    """`__field_labels__` of the model and of the mixins it is made of; the model's own win."""
    merged: dict = {}
    for klass in reversed((model if isinstance(model, type) else type(model)).__mro__):
        merged.update(vars(klass).get("__field_labels__", {}))
    return merged


def label_for(model: type, field: str):
    """The translated label of `model.field` (dotted names use their last part)."""
    overrides = field_labels(model)
    if field in overrides:
        return overrides[field]
    key = field.rsplit(".", 1)[-1]
    if key.endswith("_id") and key != "id":
        return label_for(model, field[:-3])  # a foreign key (search filters) reads as its relationship
    # not extracted: translated when the same English is in the catalog ("Part", "Warehouse")
    return FIELD_LABELS.get(field) or FIELD_LABELS.get(key) or _l(key.replace("_", " ").capitalize())
