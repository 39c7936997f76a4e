"""Screens and APIs of customers, contacts, projects and equipment."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import Contact, Customer, Equipment, Project
from ..services.customer_card import write_customer_card
from .base import ServiceModelView
from .customer_story import CustomerStoryMixin
from .equipment_page import EquipmentPageMixin
from .interface import ServiceInterface
from .service_api import ServiceApi


class ContactView(ServiceModelView):
    datamodel = ServiceInterface(Contact)
    list_columns = ["name", "customer", "title", "phone", "email", "is_primary"]
    search_columns = ["name", "phone", "email", "is_primary"]
    add_columns = edit_columns = ["customer", "name", "title", "phone", "email", "is_primary"]
    base_order = ("name", "asc")


class ProjectView(ServiceModelView):
    datamodel = ServiceInterface(Project)
    list_columns = ["code", "name", "customer", "contract_no", "warranty_start", "warranty_end"]
    search_columns = ["code", "name", "contract_no", "warranty_start", "warranty_end"]
    add_columns = edit_columns = [
        "customer", "code", "name", "contract_no", "signed_on",
        "warranty_start", "warranty_end", "description",
    ]
    base_order = ("warranty_end", "desc")


class EquipmentView(EquipmentPageMixin, ServiceModelView):
    datamodel = ServiceInterface(Equipment)
    list_columns = ["serial_number", "model", "name", "customer", "location", "warranty_end"]
    search_columns = ["serial_number", "model", "name", "location", "install_date", "warranty_end"]
    add_columns = edit_columns = [
        "customer", "project", "name", "model", "serial_number",
        "location", "install_date", "warranty_end", "notes",
    ]
    base_order = ("serial_number", "asc")


class CustomerView(CustomerStoryMixin, ServiceModelView):
    datamodel = ServiceInterface(Customer)
    list_columns = ["code", "name", "region", "importance", "phone"]
    search_columns = ["code", "name", "region", "importance", "address"]
    add_columns = edit_columns = ["code", "name", "region", "importance", "address", "phone", "notes"]
    show_columns = ["code", "name", "region", "importance", "address", "phone", "notes", "created_at"]
    base_order = ("name", "asc")
    related_views = [ContactView, ProjectView, EquipmentView]  # the edit page's tabs; the show page is the story
    edit_template = "appbuilder/general/model/edit_cascade.html"
    paper_form = write_customer_card
    paper_form_label = _l("Customer card (Excel)")

    def show_links(self, pk) -> list[dict]:
        return [{"label": _("Print QR labels"), "url": url_for("EquipmentView.labels", customer_id=pk),
                 "icon": "fa-qrcode", "css": "equipment-labels"}]


class CustomerApi(ServiceApi):
    resource_name = "customer"
    datamodel = ServiceInterface(Customer)
    list_columns = ["id", "code", "name", "region", "importance", "address", "phone"]
    show_columns = list_columns + ["notes", "created_at", "updated_at"]
    add_columns = edit_columns = ["code", "name", "region", "importance", "address", "phone", "notes"]
    search_columns = ["code", "name", "region", "importance"]
    order_columns = ["code", "name", "region", "importance", "created_at"]
    base_order = ("name", "asc")


class ContactApi(ServiceApi):
    resource_name = "contact"
    datamodel = ServiceInterface(Contact)
    list_columns = ["id", "customer.id", "customer.name", "name", "title", "phone", "email", "is_primary"]
    show_columns = list_columns
    add_columns = edit_columns = ["customer", "name", "title", "phone", "email", "is_primary"]
    search_columns = ["customer", "name", "phone", "email"]
    order_columns = ["name"]
    base_order = ("name", "asc")


class ProjectApi(ServiceApi):
    resource_name = "project"
    datamodel = ServiceInterface(Project)
    list_columns = [
        "id", "code", "name", "customer.id", "customer.name", "contract_no",
        "signed_on", "warranty_start", "warranty_end",
    ]
    show_columns = list_columns + ["description"]
    add_columns = edit_columns = [
        "customer", "code", "name", "contract_no", "signed_on",
        "warranty_start", "warranty_end", "description",
    ]
    search_columns = ["customer", "code", "name", "warranty_start", "warranty_end"]
    order_columns = ["code", "name", "warranty_start", "warranty_end"]
    base_order = ("code", "asc")


class EquipmentApi(ServiceApi):
    resource_name = "equipment"
    datamodel = ServiceInterface(Equipment)
    list_columns = [
        "id", "serial_number", "model", "name", "customer.id", "customer.name",
        "project.id", "location", "install_date", "warranty_end",
    ]
    show_columns = list_columns + ["notes"]
    add_columns = edit_columns = [
        "customer", "project", "name", "model", "serial_number",
        "location", "install_date", "warranty_end", "notes",
    ]
    search_columns = ["customer", "project", "serial_number", "model", "warranty_end"]
    order_columns = ["serial_number", "model", "install_date", "warranty_end"]
    base_order = ("serial_number", "asc")
