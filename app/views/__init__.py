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
    from .dashboard import register_dashboard

    register_dashboard(appbuilder)  # first: the top-level Dashboard menu item
    from .openapi import register as register_openapi

    register_openapi(appbuilder)  # the repaired OpenAPI document and Swagger UI

    customers = ("Customers", _l("Customers"))
    add_view(appbuilder, CustomerView, "Customer list", _l("Customers"), *customers, "fa-building")
    add_view(appbuilder, ContactView, "Contact list", _l("Contacts"), *customers, "fa-address-book")
    add_view(appbuilder, ProjectView, "Project list", _l("Projects / contracts"), *customers, "fa-file-contract")
    add_view(appbuilder, EquipmentView, "Equipment list", _l("Installed equipment"), *customers, "fa-server")

    staff = ("Staff", _l("Staff"))
    add_view(appbuilder, StaffView, "Staff list", _l("Staff members"), *staff, "fa-id-badge")

    for api in (CustomerApi, ContactApi, ProjectApi, EquipmentApi, StaffApi):
        appbuilder.add_api(api)

    from .tickets_register import register_ticket_views

    register_ticket_views(appbuilder)
    _register_parts(appbuilder)
    register_service_records(appbuilder)
    from .management_menu import register_management

    register_management(appbuilder, add_view)
    from .audit import AuditLogApi, AuditLogView  # audit trail (app/security/audit.py)

    audit = ("Audit", _l("Audit"))
    add_view(appbuilder, AuditLogView, "Audit trail", _l("Audit trail"), *audit, "fa-clipboard-list")
    appbuilder.add_api(AuditLogApi)
    from .jobs import JobApi, JobView  # background jobs' status, file and progress page

    appbuilder.add_api(JobApi)
    appbuilder.add_view_no_menu(JobView)


def register_service_records(appbuilder) -> None:
    """Callbacks, complaints, inspections, maintenance and upgrades: the service records."""
    from .callbacks import CallbackPlanApi, CallbackPlanView, CallbackRecordApi, CallbackRecordView
    from .complaints import (
        ComplaintApi, ComplaintProgressApi, ComplaintProgressView, ComplaintView, OverdueComplaintView,
    )
    from .inspections import (
        InspectionChecklistItemApi, InspectionChecklistItemView, InspectionItemResultApi,
        InspectionItemResultView, InspectionPlanApi, InspectionPlanView, InspectionRecordApi,
        InspectionRecordView,
    )
    from .maintenance import (
        MaintenancePlanApi, MaintenancePlanView, MaintenanceRecordApi, MaintenanceRecordView,
        UpgradeRequestApi, UpgradeRequestView,
    )

    cb = ("Callbacks", _l("Callbacks"))  # short labels: the English navbar fits one row at 1400 px
    add_view(appbuilder, CallbackRecordView, "Callback records", _l("Callback records"), *cb, "fa-phone")
    appbuilder.add_link("Due callbacks", href="/callbackrecordview/due", label=_l("Due callbacks"),
                        icon="fa-bell", category=cb[0], category_label=cb[1])
    appbuilder.sm.register_menu("Due callbacks", "CallbackRecordView", cb[0])
    add_view(appbuilder, CallbackPlanView, "Callback plans", _l("Callback plans"), *cb, "fa-calendar")
    add_view(appbuilder, ComplaintView, "Complaints", _l("Complaints"), *cb, "fa-exclamation-circle")
    appbuilder.add_view(OverdueComplaintView, "Overdue complaints", label=_l("Overdue complaints"),
                        icon="fa-clock", category=cb[0], category_label=cb[1])
    appbuilder.sm.register_menu("Overdue complaints", "ComplaintView", cb[0])
    appbuilder.add_view_no_menu(ComplaintProgressView)

    plans = ("Inspections", _l("Inspections"))
    add_view(appbuilder, InspectionRecordView, "Inspection records", _l("Inspection records"), *plans, "fa-search")
    add_view(appbuilder, InspectionPlanView, "Inspection plans", _l("Inspection plans"), *plans, "fa-calendar-check")
    appbuilder.add_view_no_menu(InspectionChecklistItemView)
    appbuilder.add_view_no_menu(InspectionItemResultView)
    add_view(appbuilder, MaintenancePlanView, "Maintenance plans", _l("Maintenance plans"), *plans, "fa-wrench")
    add_view(appbuilder, MaintenanceRecordView, "Maintenance records", _l("Maintenance records"), *plans, "fa-clipboard-check")
    add_view(appbuilder, UpgradeRequestView, "Upgrade requests", _l("Upgrade requests"), *plans, "fa-level-up-alt")

    for api in (CallbackPlanApi, CallbackRecordApi, ComplaintApi, ComplaintProgressApi, InspectionPlanApi,
                InspectionChecklistItemApi, InspectionRecordApi, InspectionItemResultApi,
                MaintenancePlanApi, MaintenanceRecordApi, UpgradeRequestApi):
        appbuilder.add_api(api)



def _register_parts(appbuilder) -> None:
    """Spare parts, stock ledger and tools."""
    from .parts_menu import register

    register(appbuilder)
