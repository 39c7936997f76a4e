"""The singular, translated name of each kind of record ("Ticket" / 工单), by model class name.

Used by the message after a save ("Ticket SR-2026-0012 … saved."); a view may set its own
`record_name`. A model missing here gets the message with the record's name only.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

RECORD_NAMES = {
    "ActionItem": _l("Action item"),
    "Appraisal": _l("Appraisal"),
    "Attachment": _l("Attachment"),
    "Budget": _l("Budget"),
    "CallbackPlan": _l("Callback plan"),
    "CallbackRecord": _l("Callback record"),
    "Complaint": _l("Complaint"),
    "ComplaintProgress": _l("Complaint progress"),
    "Contact": _l("Contact"),
    "Customer": _l("Customer"),
    "DefectiveReturn": _l("Defective return"),
    "Equipment": _l("Equipment"),
    "Expense": _l("Expense"),
    "Expert": _l("Expert"),
    "FaultAnalysis": _l("Fault analysis"),
    "InspectionPlan": _l("Inspection plan"),
    "InspectionRecord": _l("Inspection record"),
    "KnowledgeArticle": _l("Knowledge article"),
    "KnowledgeRevision": _l("Revision"),
    "MaintenancePlan": _l("Maintenance plan"),
    "MaintenanceRecord": _l("Maintenance record"),
    "Meeting": _l("Meeting"),
    "Part": _l("Part"),
    "Project": _l("Project"),
    "PurchaseRequest": _l("Purchase request"),
    "RepairRecord": _l("Repair record"),
    "Requisition": _l("Requisition"),
    "Risk": _l("Risk"),
    "SatisfactionSurvey": _l("Satisfaction survey"),
    "SolutionPlan": _l("Solution plan"),
    "Staff": _l("Staff member"),
    "Stocktake": _l("Stocktake"),
    "Ticket": _l("Ticket"),
    "Tool": _l("Tool"),
    "ToolLoan": _l("Tool loan"),
    "TrainingPlan": _l("Training plan"),
    "TrainingRecord": _l("Training record"),
    "Trip": _l("Trip"),
    "UpgradeRequest": _l("Upgrade request"),
    "User": _l("User"),
    "Warehouse": _l("Warehouse"),
}


def record_name(view):
    """The view's own `record_name`, else its model's entry here, else None."""
    own = getattr(view, "record_name", None)
    if own:
        return own
    model = getattr(getattr(view, "datamodel", None), "obj", None)
    return RECORD_NAMES.get(getattr(model, "__name__", ""))
