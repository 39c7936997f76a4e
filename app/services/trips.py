"""Trip rules: a field engineer records only their own trips."""
from __future__ import annotations

from flask_babel import gettext as _

from ..models import Trip
from .common import require_own


def before_trip_save(trip: Trip) -> None:
    """The engineer of a trip written by a field engineer must be that engineer."""
    if trip.engineer is not None:
        trip.engineer_id = trip.engineer.id
    require_own(trip.engineer_id, "engineer", _("You can only record your own trips."))
    if trip.ticket is not None:
        require_own(trip.ticket.assignee_id, "ticket", _("The ticket is not assigned to you."))
