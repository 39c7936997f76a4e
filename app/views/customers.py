"""Screens and APIs of customers, contacts, projects and equipment."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import Contact, Customer, Equipment, Project
from ..services.customer_card import write_customer_card
from .customer_story import CustomerStoryMixin
from .equipment_page import EquipmentPageMixin
from .register_spec import Register, build


class CustomerPage(CustomerStoryMixin):
    """The customer's page is its story (customer_story.py); the edit page has the related tabs."""

    def show_links(self, pk) -> list[dict]:
        return [{"label": _("Print QR labels"), "url": url_for("EquipmentView.labels", customer_id=pk),
                 "icon": "fa-qrcode", "css": "equipment-labels"}]


CONTACT = Register(
    Contact, "contact", form=["customer", "name", "title", "phone", "email", "is_primary"], base_order=("name", "asc"),
    list=["name", "customer", "title", "phone", "email", "is_primary"], search=["name", "phone", "email", "is_primary"],
    api_list=["id", "customer.id", "customer.name", "name", "title", "phone", "email", "is_primary"],
    api_search=["customer", "name", "phone", "email"], api_order=["name"],
)
ContactView, ContactApi = build(CONTACT)

PROJECT = Register(
    Project, "project", base_order=("warranty_end", "desc"),
    form=["customer", "code", "name", "contract_no", "signed_on", "warranty_start", "warranty_end", "description"],
    list=["code", "name", "customer", "contract_no", "warranty_start", "warranty_end"],
    search=["code", "name", "contract_no", "warranty_start", "warranty_end"],
    api_list=["id", "code", "name", "customer.id", "customer.name", "contract_no", "signed_on", "warranty_start",
              "warranty_end"],
    api_show=["description"], api_search=["customer", "code", "name", "warranty_start", "warranty_end"],
    api_order=["code", "name", "warranty_start", "warranty_end"], api={"base_order": ("code", "asc")},
)
ProjectView, ProjectApi = build(PROJECT)

EQUIPMENT = Register(
    Equipment, "equipment", base_order=("serial_number", "asc"),
    form=["customer", "project", "name", "model", "serial_number", "location", "install_date", "warranty_end",
          "notes"],
    list=["serial_number", "model", "name", "customer", "location", "warranty_end"],
    search=["serial_number", "model", "name", "location", "install_date", "warranty_end"],
    api_list=["id", "serial_number", "model", "name", "customer.id", "customer.name", "project.id", "location",
              "install_date", "warranty_end"],
    api_show=["notes"], api_search=["customer", "project", "serial_number", "model", "warranty_end"],
    api_order=["serial_number", "model", "install_date", "warranty_end"], screen_mixins=(EquipmentPageMixin,),
)
EquipmentView, EquipmentApi = build(EQUIPMENT)

CUSTOMER = Register(
    Customer, "customer", base_order=("name", "asc"),
    form=["code", "name", "region", "importance", "address", "phone", "notes"],
    list=["code", "name", "region", "importance", "phone"], search=["code", "name", "region", "importance", "address"],
    show=["code", "name", "region", "importance", "address", "phone", "notes", "created_at"],
    api_list=["id", "code", "name", "region", "importance", "address", "phone"],
    api_show=["notes", "created_at", "updated_at"], api_search=["code", "name", "region", "importance"],
    api_order=["code", "name", "region", "importance", "created_at"],
    paper_form=write_customer_card, paper_form_label=_l("Customer card (Excel)"),
    screen={"related_views": [ContactView, ProjectView, EquipmentView],  # the edit page's tabs
            "edit_template": "appbuilder/general/model/edit_cascade.html"},
    screen_mixins=(CustomerPage,),
)
CustomerView, CustomerApi = build(CUSTOMER)
