"""Registers every screen and API with AppBuilder, menus grouped by department area."""
from flask_babel import lazy_gettext as _l


def add_view(appbuilder, view, name: str, label, category: str, category_label, icon: str = ""):
    """Add a ModelView with its menu item; menu access then follows the view's list permission."""
    appbuilder.add_view(
        view, name, label=label, icon=icon, category=category, category_label=category_label
    )
    appbuilder.sm.register_menu(name, view.__name__, category)


def register_views(appbuilder) -> None:
    """Every view and API of the app, in menu order."""
    from .customers import (
        ContactApi, ContactView, CustomerApi, CustomerView, EquipmentApi, EquipmentView,
        ProjectApi, ProjectView,
    )
    from .staff import StaffApi, StaffView

    customers = ("Customers", _l("Customers"))
    add_view(appbuilder, CustomerView, "Customer list", _l("Customers"), *customers, "fa-building")
    add_view(appbuilder, ContactView, "Contact list", _l("Contacts"), *customers, "fa-address-book")
    add_view(appbuilder, ProjectView, "Project list", _l("Projects / contracts"), *customers, "fa-file-contract")
    add_view(appbuilder, EquipmentView, "Equipment list", _l("Installed equipment"), *customers, "fa-server")

    staff = ("Staff", _l("Staff"))
    add_view(appbuilder, StaffView, "Staff list", _l("Staff members"), *staff, "fa-id-badge")

    for api in (CustomerApi, ContactApi, ProjectApi, EquipmentApi, StaffApi):
        appbuilder.add_api(api)

    from .audit import AuditLogApi, AuditLogView  # audit trail (app/security/audit.py)

    audit = ("Audit", _l("Audit"))
    add_view(appbuilder, AuditLogView, "Audit trail", _l("Audit trail"), *audit, "fa-clipboard-list")
    appbuilder.add_api(AuditLogApi)
