"""Knowledge base articles, their revision history, ticket links and the expert pool (000 §六(一), 004 §八(三))."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import CodeEnum, Timestamped, Validated, enum_column, utcnow
from .staff import Staff
from .tickets import Ticket


class ArticleStatus(CodeEnum):
    draft = "draft", _l("Draft")
    published = "published", _l("Published")


# The article's content fields: an edit of any of them makes a new revision.
ARTICLE_CONTENT = ("title", "problem", "symptoms", "solution", "product", "equipment_model", "tags")


class KnowledgeArticle(Timestamped, Validated, db.Model):
    """A solved problem written up for reuse: problem, symptoms, solution."""

    __tablename__ = "knowledge_article"
    __field_labels__ = {
        "problem": _l("Problem"), "symptoms": _l("Symptoms"), "solution": _l("Solution"),
        "product": _l("Product"), "equipment_model": _l("Equipment model"), "tags": _l("Tags"),
        "author": _l("Author"), "revision": _l("Revision"), "status": _l("Status"),
        "revisions": _l("Revision history"), "published_at": _l("Published at"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), index=True)
    problem: Mapped[str] = mapped_column(sa.Text)
    symptoms: Mapped[str | None] = mapped_column(sa.Text)
    solution: Mapped[str] = mapped_column(sa.Text)
    product: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    equipment_model: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    # comma-separated keywords; searched with LIKE
    tags: Mapped[str | None] = mapped_column(sa.String(300), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    revision: Mapped[int] = mapped_column(default=1)
    status: Mapped[ArticleStatus] = mapped_column(
        enum_column(ArticleStatus), default=ArticleStatus.draft, index=True
    )
    published_at: Mapped[datetime | None] = mapped_column(index=True)

    author: Mapped[Staff | None] = relationship()
    revisions: Mapped[list[KnowledgeRevision]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="KnowledgeRevision.revision"
    )

    __table_args__ = (sa.CheckConstraint("revision >= 1", name="revision_positive"),)

    def __str__(self) -> str:
        return self.title

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        for field in ("title", "problem", "solution"):
            if not (getattr(self, field, None) or "").strip():
                errors[field] = str(_l("This field is required."))
        return errors


class KnowledgeRevision(db.Model):
    """A previous version of an article, kept on every edit of its content."""

    __tablename__ = "knowledge_revision"
    __field_labels__ = {
        "article": _l("Article"), "revision": _l("Revision"), "problem": _l("Problem"),
        "symptoms": _l("Symptoms"), "solution": _l("Solution"), "product": _l("Product"),
        "equipment_model": _l("Equipment model"), "tags": _l("Tags"), "saved_at": _l("Replaced at"),
        "saved_by": _l("Replaced by"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("knowledge_article.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(200))
    problem: Mapped[str] = mapped_column(sa.Text)
    symptoms: Mapped[str | None] = mapped_column(sa.Text)
    solution: Mapped[str] = mapped_column(sa.Text)
    product: Mapped[str | None] = mapped_column(sa.String(100))
    equipment_model: Mapped[str | None] = mapped_column(sa.String(100))
    tags: Mapped[str | None] = mapped_column(sa.String(300))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ab_user.id", ondelete="SET NULL"))

    article: Mapped[KnowledgeArticle] = relationship(back_populates="revisions")

    __table_args__ = (sa.UniqueConstraint("article_id", "revision"),)

    def __str__(self) -> str:
        return f"{self.title} (r{self.revision})"


class TicketKnowledgeLink(Timestamped, db.Model):
    """A ticket solved with a knowledge base article ("use as solution")."""

    __tablename__ = "ticket_knowledge_link"
    __field_labels__ = {"ticket": _l("Ticket"), "article": _l("Article"), "used_by": _l("Used by")}

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(sa.ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("knowledge_article.id", ondelete="CASCADE"), index=True)
    # the article revision whose solution was copied
    revision: Mapped[int] = mapped_column()
    used_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"))

    ticket: Mapped[Ticket] = relationship()
    article: Mapped[KnowledgeArticle] = relationship()
    used_by: Mapped[Staff | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("ticket_id", "article_id"),)


class Expert(Timestamped, Validated, db.Model):
    """An expert the department can consult (会诊), inside or outside the company."""

    __tablename__ = "expert"
    __field_labels__ = {
        "organisation": _l("Organisation"), "expertise": _l("Field of expertise"),
        "contact": _l("Contact"), "staff": _l("Internal staff member"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), index=True)
    organisation: Mapped[str] = mapped_column(sa.String(200), index=True)
    expertise: Mapped[str] = mapped_column(sa.String(300), index=True)
    contact: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    staff: Mapped[Staff | None] = relationship()

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
