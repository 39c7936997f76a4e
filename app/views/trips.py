"""Screens and API of field-work trips; field engineers see and write only their own."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import Trip
from ..security.rows import own_rows
from ..services.trips import before_trip_save
from .interface import ServiceInterface
from .registers_common import RulesApi, RulesModelView, TicketByNumberMixin, ticket_number_field

TRIP_FORM = ["engineer", "departure_at", "return_at", "destination", "purpose", "ticket_ref",
             "inspection_ref", "vehicle", "mileage_km", "notes"]


class TripView(TicketByNumberMixin, RulesModelView):
    datamodel = ServiceInterface(Trip)
    base_filters = [own_rows("engineer_id")]
    list_columns = ["engineer", "departure_at", "return_at", "destination", "purpose", "ticket", "vehicle",
                    "mileage_km"]
    show_columns = ["engineer", "departure_at", "return_at", "destination", "purpose", "ticket",
                    "inspection_ref", "vehicle", "mileage_km", "notes", "created_at"]
    add_columns = edit_columns = TRIP_FORM
    label_columns = {"ticket_ref": _l("Ticket no.")}
    add_form_extra_fields = {"ticket_ref": ticket_number_field()}
    edit_form_extra_fields = {"ticket_ref": ticket_number_field()}
    search_columns = ["engineer_id", "departure_at", "return_at", "destination", "ticket_id", "inspection_ref",
                      "vehicle"]
    base_order = ("departure_at", "desc")

    def before_save(self, item):
        self._resolve_ticket(item)
        before_trip_save(item)


class TripApi(RulesApi):
    resource_name = "trip"
    datamodel = ServiceInterface(Trip)
    base_filters = [own_rows("engineer_id")]
    list_columns = ["id", "engineer.id", "engineer.name", "departure_at", "return_at", "destination",
                    "purpose", "ticket.id", "ticket.number", "inspection_ref", "vehicle", "mileage_km"]
    show_columns = list_columns + ["notes", "created_at"]
    add_columns = edit_columns = [
        "engineer", "departure_at", "return_at", "destination", "purpose", "ticket",
        "inspection_ref", "vehicle", "mileage_km", "notes",
    ]
    search_columns = ["engineer", "departure_at", "return_at", "destination", "ticket", "inspection_ref"]
    order_columns = ["departure_at", "return_at", "destination"]
    base_order = ("departure_at", "desc")

    def before_save(self, item):
        before_trip_save(item)
