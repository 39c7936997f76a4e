"""The customer's survey link: signed, single use, expiring; the answer becomes the ticket's survey."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..models import SatisfactionSurvey, Ticket, TicketStatus
from ..models.base import DomainError
from ..models.notifications import Channel, Delivery, SurveyLink
from ..models.ticket_work import SCORES
from . import channels, delivery, events
from .core import path_for

SALT = "customer-survey-link"


class LinkGone(Exception):
    """A used or expired link (410)."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_of(link: SurveyLink) -> str:
    return _serializer().dumps({"t": link.ticket_id, "n": link.nonce})


def url_of(link: SurveyLink) -> str:
    return channels.absolute(path_for("survey.answer", token=token_of(link)))


def issue(ticket: Ticket, now: datetime) -> SurveyLink:
    """On closing: the ticket's link (one per ticket), emailed to its contact when mail is configured."""
    link = db.session.scalar(sa.select(SurveyLink).where(SurveyLink.ticket_id == ticket.id))
    if link is not None:
        return link
    days = int(current_app.config.get("SURVEY_LINK_DAYS", 14))
    link = SurveyLink(ticket_id=ticket.id, nonce=secrets.token_urlsafe(24),
                      language=current_app.config["BABEL_DEFAULT_LOCALE"], created_at=now,
                      expires_at=now + timedelta(days=days))
    db.session.add(link)
    db.session.flush()
    address = ticket.contact.email if ticket.contact is not None else None
    if address and channels.mail_configured():
        with force_locale(link.language):
            from flask import render_template

            context = dict(ticket=ticket, url=url_of(link), days=days, contact=ticket.contact,
                           app_name=current_app.config.get("APP_NAME", ""))
            subject = _("How did we do on %(number)s?", number=ticket.number)
            delivery.queue(Delivery(channel=Channel.email, address=address, subject=subject,
                                    text=render_template("notifications/survey_email.txt", **context),
                                    html=render_template("notifications/survey_email.html", **context),
                                    next_attempt_at=now, created_at=now))
    return link


def open_link_of(ticket: Ticket, now: datetime) -> SurveyLink | None:
    """The ticket's link while the customer can still use it."""
    if ticket.status is not TicketStatus.closed or ticket.survey is not None:
        return None
    link = db.session.scalar(sa.select(SurveyLink).where(SurveyLink.ticket_id == ticket.id))
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    return link


def resolve(token: str, now: datetime, lock: bool = False) -> SurveyLink:
    """The link of a token; LookupError when forged, LinkGone when used, answered or expired."""
    try:
        data = _serializer().loads(token)
        ticket_id, nonce = int(data["t"]), str(data["n"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise LookupError(token) from None
    stmt = sa.select(SurveyLink).where(SurveyLink.ticket_id == ticket_id, SurveyLink.nonce == nonce)
    if lock:
        stmt = stmt.with_for_update(of=SurveyLink)  # the joined ticket rows stay unlocked
    link = db.session.scalar(stmt)
    if link is None:
        raise LookupError(token)
    if link.used_at is not None or link.ticket.survey is not None or link.expires_at <= now:
        raise LinkGone()
    return link


def parse_scores(form) -> tuple[dict[str, int], dict[str, str]]:
    scores, errors = {}, {}
    for col in SCORES:
        try:
            value = int(form.get(col, ""))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            errors[col] = _("Choose a score from 1 to 5.")
        scores[col] = value
    return scores, errors


def answer(token: str, form, now: datetime) -> SatisfactionSurvey:
    """Record the customer's answer once: the ticket's survey, CS told (and the Manager if low)."""
    scores, errors = parse_scores(form)
    comment = (form.get("comment") or "").strip()[:2000] or None
    if errors:
        raise DomainError(errors)
    link = resolve(token, now, lock=True)
    done = db.session.execute(
        sa.update(SurveyLink).where(SurveyLink.id == link.id, SurveyLink.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if done != 1:  # answered meanwhile in another tab
        raise LinkGone()
    link.used_at = now
    survey = SatisfactionSurvey(ticket=link.ticket, comment=comment, surveyed_at=now, **scores)
    survey.validate()
    db.session.add(survey)
    db.session.flush()
    events.survey_received(survey, now=now)
    return survey
