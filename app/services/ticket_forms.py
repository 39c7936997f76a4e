"""Rules of the forms attached to a ticket that depend on who fills them in."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..attachments.signature import locked_error, sign, was_signed
from ..extensions import db
from ..models import Attachment, HandlingMode, RepairRecord, SatisfactionSurvey
from ..models.base import DomainError, utcnow
from ..security.rows import restricted_to_own_rows
from .tickets import staff_of


def record_repair(record: RepairRecord, user: Any) -> RepairRecord:
    """A field engineer records repairs only on tickets assigned to them; the ticket is then on site.

    A record the customer has signed is locked: the signature vouches for what it says."""
    if was_signed(record):
        raise locked_error()
    me = staff_of(user)
    if restricted_to_own_rows(user) and (
            me is None or record.ticket is None or record.ticket.assignee_id != me.id):
            raise DomainError({"ticket": _("You can only record repairs on tickets assigned to you.")}, 403)
    if record.ticket is not None and record.ticket.handling_mode is None:
        record.ticket.handling_mode = HandlingMode.onsite
    return record


def sign_repair(record: RepairRecord, signer: str, image: str, user: Any) -> Attachment:
    """The customer signs the repair record on the engineer's phone (same rule as recording it)."""
    record_repair(record, user)
    return sign(record, signer, image)


def survey_taken(ticket_id: int | None, survey_id: int | None = None) -> str | None:
    """The message when the ticket already has a survey other than `survey_id` (one per ticket)."""
    if ticket_id is None:
        return None
    stmt = sa.select(SatisfactionSurvey.id).where(SatisfactionSurvey.ticket_id == ticket_id)
    if survey_id is not None:
        stmt = stmt.where(SatisfactionSurvey.id != survey_id)
    with db.session.no_autoflush:  # the half-saved survey must not be flushed by this look-up
        taken = db.session.scalar(stmt.limit(1))
    return _("This ticket already has a satisfaction survey; edit that one instead.") if taken else None


def record_survey(survey: SatisfactionSurvey, user: Any) -> SatisfactionSurvey:
    """The CS rep who called back is the surveyor unless another is named; one survey per ticket (409)."""
    ticket_id = survey.ticket.id if survey.ticket is not None else survey.ticket_id
    taken = survey_taken(ticket_id, survey.id)
    if taken:
        raise DomainError(taken, 409)
    if survey.surveyed_by is None and survey.surveyed_by_id is None:
        survey.surveyed_by = staff_of(user)
    survey.surveyed_at = survey.surveyed_at or utcnow()
    return survey
