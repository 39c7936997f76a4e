"""Menu and API registration of the ticket area."""
from flask_babel import lazy_gettext as _l

from . import add_view


def register_ticket_views(appbuilder) -> None:
    from .kpi import KpiApi
    from .kpi_page import KpiView
    from .ticket_lists import CallbackView, EscalationView, MyTicketsView
    from .ticket_work import (
        FaultAnalysisApi, FaultAnalysisView, RepairRecordApi, RepairRecordView, SatisfactionSurveyApi,
        SatisfactionSurveyView, SlaPolicyApi, SlaPolicyView, SolutionPlanApi, SolutionPlanView,
    )
    from .tickets import TicketView
    from .tickets_api import TicketApi, TicketEventApi

    cat = ("Tickets", _l("Requests"))  # short: the English navbar fits one row at 1400 px
    add_view(appbuilder, TicketView, "Ticket list", _l("Tickets"), *cat, "fa-headset")
    from .field_work import MENU_LABEL, FieldWorkView

    add_view(appbuilder, FieldWorkView, "My work today", MENU_LABEL, *cat, "fa-toolbox")
    add_view(appbuilder, MyTicketsView, "My tickets", _l("My tickets"), *cat, "fa-user-check")
    add_view(appbuilder, EscalationView, "Escalations", _l("Escalation list (overdue)"), *cat, "fa-triangle-exclamation")
    add_view(appbuilder, CallbackView, "To call back", _l("To call back (survey)"), *cat, "fa-phone")
    add_view(appbuilder, RepairRecordView, "Repair records", _l("On-site repair records"), *cat, "fa-screwdriver-wrench")
    add_view(appbuilder, SolutionPlanView, "Solution plans", _l("Solution plans"), *cat, "fa-diagram-project")
    add_view(appbuilder, FaultAnalysisView, "Fault analyses", _l("Fault analyses"), *cat, "fa-magnifying-glass-chart")
    add_view(appbuilder, SatisfactionSurveyView, "Surveys", _l("Satisfaction surveys"), *cat, "fa-face-smile")
    add_view(appbuilder, KpiView, "KPI summary", _l("KPI summary"), *cat, "fa-chart-line")
    from .report import AfterSalesReportApi, AfterSalesReportView  # the periodic after-sales report

    add_view(appbuilder, AfterSalesReportView, "After-sales report", _l("After-sales report (Excel)"), *cat,
             "fa-file-excel")
    appbuilder.add_api(AfterSalesReportApi)
    add_view(appbuilder, SlaPolicyView, "Service levels", _l("Service levels"), *cat, "fa-stopwatch")
    from .attachments import AttachmentApi, AttachmentView

    add_view(appbuilder, AttachmentView, "Attachments", _l("Photos and documents"), *cat, "fa-paperclip")
    appbuilder.add_api(AttachmentApi)
    for api in (TicketApi, TicketEventApi, RepairRecordApi, SolutionPlanApi, FaultAnalysisApi,
                SatisfactionSurveyApi, SlaPolicyApi, KpiApi):
        appbuilder.add_api(api)
