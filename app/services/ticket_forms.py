"""Rules of the forms attached to a ticket that depend on who fills them in."""
from __future__ import annotations

from flask_babel import gettext as _

from ..attachments.signature import locked_error, sign, was_signed
from ..models import HandlingMode, RepairRecord, SatisfactionSurvey
from ..models.base import DomainError, utcnow
from ..security.rows import restricted_to_own_rows
from .tickets import staff_of


def record_repair(record: RepairRecord, user) -> RepairRecord:
    """A field engineer records repairs only on tickets assigned to them; the ticket is then on site.

    A record the customer has signed is locked: the signature vouches for what it says."""
    if was_signed(record):
        raise locked_error()
    me = staff_of(user)
    if restricted_to_own_rows(user):
        if me is None or record.ticket is None or record.ticket.assignee_id != me.id:
            raise DomainError({"ticket": _("You can only record repairs on tickets assigned to you.")}, 403)
    if record.ticket is not None and record.ticket.handling_mode is None:
        record.ticket.handling_mode = HandlingMode.onsite
    return record


def sign_repair(record: RepairRecord, signer, image, user):
    """The customer signs the repair record on the engineer's phone (same rule as recording it)."""
    record_repair(record, user)
    return sign(record, signer, image)


def record_survey(survey: SatisfactionSurvey, user) -> SatisfactionSurvey:
    """The CS rep who called back is the surveyor unless another is named."""
    if survey.surveyed_by is None and survey.surveyed_by_id is None:
        survey.surveyed_by = staff_of(user)
    survey.surveyed_at = survey.surveyed_at or utcnow()
    return survey
