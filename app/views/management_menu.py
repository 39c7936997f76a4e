"""Menus and APIs of knowledge base, risks, staff development, trips, budget and meetings."""
from flask_babel import lazy_gettext as _l


def register_management(appbuilder, add_view) -> None:
    """Add the knowledge, staff and management records to the menus and the API."""
    from . import budget, development, knowledge, meetings, risks, trips

    kb = ("Knowledge", _l("Knowledge"))
    add_view(appbuilder, knowledge.KnowledgeArticleView, "Knowledge articles", _l("Knowledge base"), *kb, "fa-book")
    add_view(appbuilder, knowledge.ExpertView, "Experts", _l("Expert pool"), *kb, "fa-user-graduate")
    add_view(appbuilder, knowledge.TicketKnowledgeLinkView, "Ticket solutions", _l("Tickets solved from articles"),
             *kb, "fa-link")
    add_view(appbuilder, knowledge.KnowledgeRevisionView, "Article revisions", _l("Article revisions"),
             *kb, "fa-history")

    staff = ("Staff", _l("Staff"))
    add_view(appbuilder, development.TrainingPlanView, "Training plans", _l("Training plans"), *staff, "fa-chalkboard")
    add_view(appbuilder, development.TrainingRecordView, "Training records", _l("Training records"),
             *staff, "fa-chalkboard-user")
    add_view(appbuilder, development.TrainingAttendanceView, "Training attendees", _l("Training attendees"),
             *staff, "fa-user-check")
    add_view(appbuilder, development.AppraisalView, "Appraisals", _l("Appraisals"), *staff, "fa-star-half-stroke")
    add_view(appbuilder, trips.TripView, "Trips", _l("Trips / field attendance"), *staff, "fa-car")

    mgmt = ("Management", _l("Management"))
    add_view(appbuilder, risks.RiskView, "Risks", _l("Risk register"), *mgmt, "fa-triangle-exclamation")
    add_view(appbuilder, budget.BudgetView, "Budgets", _l("Budget"), *mgmt, "fa-coins")
    add_view(appbuilder, budget.ExpenseView, "Expenses", _l("Expenses"), *mgmt, "fa-receipt")
    add_view(appbuilder, meetings.MeetingView, "Meetings", _l("Technical meetings"), *mgmt, "fa-people-group")
    add_view(appbuilder, meetings.ActionItemView, "Action items", _l("Meeting action items"), *mgmt, "fa-list-check")

    for api in (
        knowledge.KnowledgeArticleApi, knowledge.KnowledgeRevisionApi, knowledge.TicketKnowledgeLinkApi,
        knowledge.ExpertApi, risks.RiskApi, development.TrainingPlanApi, development.TrainingRecordApi,
        development.TrainingAttendanceApi, development.AppraisalApi, trips.TripApi, budget.BudgetApi,
        budget.ExpenseApi, meetings.MeetingApi, meetings.ActionItemApi,
    ):
        appbuilder.add_api(api)
