"""Screens and API of field-work trips; field engineers see and write only their own."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import Trip
from ..security.rows import own_rows
from ..services.trips import before_trip_save
from .register_spec import Register, build
from .registers_common import ShowButtons, TicketByNumberMixin, ticket_number_field

TRIP_FORM = ["engineer", "departure_at", "return_at", "destination", "purpose", "ticket_ref",
             "inspection_ref", "vehicle", "mileage_km", "notes"]


TRIP = Register(
    Trip, "trip", base_order=("departure_at", "desc"), base_filters=[own_rows("engineer_id")], form=TRIP_FORM,
    api_form=["engineer", "departure_at", "return_at", "destination", "purpose", "ticket", "inspection_ref",
              "vehicle", "mileage_km", "notes"],
    list=["engineer", "departure_at", "return_at", "destination", "purpose", "ticket", "vehicle", "mileage_km"],
    show=["engineer", "departure_at", "return_at", "destination", "purpose", "ticket", "inspection_ref", "vehicle",
          "mileage_km", "notes", "created_at"],
    search=["engineer_id", "departure_at", "return_at", "destination", "ticket_id", "inspection_ref", "vehicle"],
    api_list=["id", "engineer.id", "engineer.name", "departure_at", "return_at", "destination", "purpose",
              "ticket.id", "ticket.number", "inspection_ref", "vehicle", "mileage_km"],
    api_show=["notes", "created_at"],
    api_search=["engineer", "departure_at", "return_at", "destination", "ticket", "inspection_ref"],
    api_order=["departure_at", "return_at", "destination"], prepare=before_trip_save,
    screen={"label_columns": {"ticket_ref": _l("Ticket no.")},
            "add_form_extra_fields": {"ticket_ref": ticket_number_field()},
            "edit_form_extra_fields": {"ticket_ref": ticket_number_field()}},
    screen_mixins=(TicketByNumberMixin, ShowButtons),
)
TripView, TripApi = build(TRIP)
