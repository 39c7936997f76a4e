"""Knowledge base rules: revision history on every edit, and "use as solution" on a ticket."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask_babel import gettext as _
from sqlalchemy.orm import InstanceState, Session, UOWTransaction

from ..extensions import db
from ..models import ArticleStatus, KnowledgeArticle, KnowledgeRevision, Ticket, TicketKnowledgeLink
from ..models.base import DomainError, current_user_id, is_digits, utcnow
from ..models.knowledge import ARTICLE_CONTENT
from ..security.rows import my_staff_ids, restricted_to_own_rows
from .common import current_staff


def record_revision(session: Session, article: KnowledgeArticle) -> KnowledgeRevision | None:
    """Keep the article's previous content as a revision and raise its number, if the content changed."""
    state: InstanceState[KnowledgeArticle] = sa.inspect(article)
    if not state.persistent:
        return None
    previous = {}
    for field in ARTICLE_CONTENT:
        history = state.attrs[field].history
        before = history.deleted[0] if history.deleted else getattr(article, field)
        previous[field] = before
    if all((previous[f] or None) == (getattr(article, f) or None) for f in ARTICLE_CONTENT):
        return None
    rev_history = state.attrs["revision"].history
    old_number = rev_history.deleted[0] if rev_history.deleted else article.revision
    revision = KnowledgeRevision(
        article_id=article.id, revision=old_number, saved_at=utcnow(), saved_by_id=current_user_id(),
        **previous,
    )
    session.add(revision)
    article.revision = old_number + 1
    return revision


def _before_flush(session: Session, flush_context: UOWTransaction, instances: object) -> None:
    """Every save of an article, from a form, the API or a script, goes through the rules."""
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, KnowledgeArticle):
            if obj in session.dirty:
                record_revision(session, obj)
            if obj.status == ArticleStatus.published and obj.published_at is None:
                obj.published_at = utcnow()


def init_app(app: Flask) -> None:
    """Hook the article rules into every session's flush, once per process (from create_app:
    importing this module no longer installs anything behind the importer's back)."""
    if not sa.event.contains(Session, "before_flush", _before_flush):
        sa.event.listen(Session, "before_flush", _before_flush)


def find_ticket(ref: object) -> Ticket:
    """A ticket the current login may work on, by number or id; 404 DomainError otherwise."""
    ref = str(ref or "").strip()
    query = sa.select(Ticket)
    if restricted_to_own_rows():
        query = query.where(Ticket.assignee_id.in_(my_staff_ids()))
    with db.session.no_autoflush:  # a form's half-built record must not be flushed by this lookup
        ticket: Ticket | None = db.session.scalar(query.where(Ticket.number == ref)) if ref else None
        if ticket is None and is_digits(ref):
            ticket = db.session.scalar(query.where(Ticket.id == int(ref)))
    if ticket is None:
        raise DomainError({"ticket": _("Ticket %(ref)s not found.", ref=ref or "?")}, status=404)
    return ticket


def use_as_solution(article_id: int, ticket_ref: object) -> TicketKnowledgeLink:
    """Copy a published article's solution into the ticket's resolution and link the two."""
    article = db.session.get(KnowledgeArticle, article_id)
    if article is None:
        raise DomainError({"article": _("Article not found.")}, status=404)
    ticket = find_ticket(ticket_ref)
    if article.status != ArticleStatus.published:
        raise DomainError({"article": _("Only a published article can be used as a solution.")}, status=409)
    if not ticket.status.is_open:
        raise DomainError({"ticket": _("The ticket is closed; its resolution can no longer change.")}, status=409)
    exists = db.session.scalar(sa.select(TicketKnowledgeLink.id).where(
        TicketKnowledgeLink.ticket_id == ticket.id, TicketKnowledgeLink.article_id == article.id))
    if exists:
        raise DomainError({"ticket": _("This article is already a solution of this ticket.")}, status=409)
    # keep what the engineer already wrote; the article's solution follows it
    current = (ticket.resolution or "").strip()
    ticket.resolution = f"{current}\n\n{article.solution}" if current else article.solution
    staff = current_staff()
    link = TicketKnowledgeLink(
        ticket=ticket, article=article, revision=article.revision, used_by_id=staff.id if staff else None
    )
    db.session.add(link)
    return link
