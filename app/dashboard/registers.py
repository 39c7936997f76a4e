"""Upcoming callbacks, inspections and maintenance (manager); due callbacks and inspections (roles)."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from ..clock import format_date
from ..models import CallbackRecord, InspectionRecord
from ..models.callbacks import CallbackStatus
from ..models.inspections import InspectionStatus
from ..models.maintenance import MaintenancePlan, MaintenanceStatus
from ..security.roles import CS, FIELD
from ..services import callbacks
from ..services.inspections import mine
from . import Panel, add_panel, add_section, add_table, link, only, record_list

UPCOMING_DAYS = 14


def _day(d):
    return format_date(d) or None


def upcoming_callbacks(today, days: int = UPCOMING_DAYS, limit: int = 10) -> dict:
    """Callbacks due from today to `days` ahead (earlier missed ones too: they are still due)."""
    return record_list(
        CallbackRecord, CallbackRecord.status == CallbackStatus.due,
        CallbackRecord.due_date <= today + timedelta(days=days),
        order=[CallbackRecord.due_date, CallbackRecord.id],
        cells=lambda c: [_day(c.due_date), c.customer, c.method.label, c.caller],
        head=[_l("Due date"), _l("Customer"), _l("Method"), _l("Caller")],
        endpoint="CallbackRecordView.show", more="CallbackRecordView.due", limit=limit,
        options=only(CallbackRecord.customer, CallbackRecord.caller))


def upcoming_inspections(today, *where, days: int = UPCOMING_DAYS, limit: int = 10) -> dict:
    """Inspections due up to `days` ahead, still to do."""
    return record_list(
        InspectionRecord, InspectionRecord.status == InspectionStatus.due,
        InspectionRecord.due_date <= today + timedelta(days=days), *where,
        order=[InspectionRecord.due_date, InspectionRecord.id],
        cells=lambda r: [_day(r.due_date), r.customer, r.site, r.engineer],
        head=[_l("Due date"), _l("Customer"), _l("Site"), _l("Engineer")],
        endpoint="InspectionRecordView.show", limit=limit, deadline=lambda r: r.due_date,
        options=only(InspectionRecord.customer, InspectionRecord.engineer))


def upcoming_maintenance(today, days: int = UPCOMING_DAYS, limit: int = 10) -> dict:
    """Planned maintenance starting up to `days` ahead (or started and not completed)."""
    return record_list(
        MaintenancePlan, MaintenancePlan.status == MaintenanceStatus.planned,
        MaintenancePlan.planned_start <= today + timedelta(days=days),
        order=[MaintenancePlan.planned_start, MaintenancePlan.id],
        cells=lambda m: [_day(m.planned_start), m.title, m.customer, m.owner],
        head=[_l("Planned start"), _l("Title"), _l("Customer"), _l("Owner")],
        endpoint="MaintenancePlanView.show", limit=limit,
        options=only(MaintenancePlan.customer, MaintenancePlan.owner))


def due_callbacks(today, limit: int = 10) -> dict:
    """The CS rep's due list (app/services/callbacks.py), first `limit` of each kind."""
    lists = callbacks.due_list(today, limit=limit)
    return {
        "callbacks": lists["callbacks"], "tickets": lists["tickets"],
        "inspections": lists["inspections"], "counts": callbacks.due_counts(today),
        "more": link("CallbackRecordView.due"),
    }


add_section("upcoming", _l("Due in the next 14 days, and overdue"))
add_table("upcoming_callbacks", _l("Callbacks due"), "upcoming", width=4,
          rows=lambda ctx: upcoming_callbacks(ctx["today"]), template="panels/records.html")
add_table("upcoming_inspections", _l("Inspections due"), "upcoming", width=4,
          rows=lambda ctx: upcoming_inspections(ctx["today"]), template="panels/records.html")
add_table("upcoming_maintenance", _l("Maintenance planned"), "upcoming", width=4,
          rows=lambda ctx: upcoming_maintenance(ctx["today"]), template="panels/records.html")

add_panel(Panel("due_callbacks", _l("Due callbacks"), {CS}, order=40,
                rows=lambda ctx: due_callbacks(ctx["today"]), template="panels/due_callbacks.html"))
add_panel(Panel("my_inspections", _l("My due inspections (next 14 days)"), {FIELD}, order=20,
                rows=lambda ctx: upcoming_inspections(ctx["today"],
                                                      mine(InspectionRecord, ctx["my_staff_ids"])),
                template="panels/records.html"))
