"""Screens and APIs of the knowledge base, its revision history, ticket links and the expert pool."""
from __future__ import annotations

import sqlalchemy as sa
from flask import request
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Expert, KnowledgeArticle, KnowledgeRevision, Ticket, TicketKnowledgeLink
from ..security.rows import own_rows
from ..services import knowledge as rules
from .actions import run_api
from .endpoints import api_action, screen_action
from .register_spec import Register, build
from .registers_common import ShowButtons, show_button

SEARCHED = ("title", "problem", "symptoms", "solution", "tags")
# a field engineer sees the links of the tickets assigned to them only
OWN_TICKET_LINKS = own_rows(
    "ticket_id", lambda model, my_ids: model.ticket_id.in_(sa.select(Ticket.id).where(Ticket.assignee_id.in_(my_ids)))
)


class ArticleTextFilter(BaseFilter):
    """One box that searches title, problem, symptoms, solution and tags (LIKE)."""

    name = _l("Any text contains")
    arg_name = "text"

    def apply(self, query, value):
        pattern = f"%{value}%"
        return query.filter(sa.or_(*(getattr(self.model, c).ilike(pattern) for c in SEARCHED)))


class ArticleScreen(ShowButtons):
    """The "any text" filter and the "use as solution" button of the knowledge base."""

    extra_args = {"show_actions": [show_button("KnowledgeArticleView", "use_as_solution", _l("Use as solution"),
                                               "fa-check", "ticket", _l("Ticket no."))]}

    def _init_properties(self):
        super()._init_properties()
        # the "any text" search is Title's first filter: FAB's URL filter index is one digit
        flt = ArticleTextFilter("title", self.datamodel)
        self._filters._search_filters["title"] = [flt] + self._filters._search_filters["title"]
        self._filters._all_filters["title"] = [flt] + self._filters._all_filters["title"]

    @screen_action("/use_as_solution/<int:pk>", "use_as_solution")
    def use_as_solution(self, pk):
        """Copy this article's solution into the ticket typed in the form."""
        def action(item, form):
            rules.use_as_solution(item.id, form.get("ticket"))

        return self.run_action(pk, action, _l("The solution was copied into the ticket's resolution."))


class ArticleCalls:
    """POST /<pk>/use_as_solution."""

    @api_action("/<int:pk>/use_as_solution", "use_as_solution")
    def use_as_solution(self, pk):
        """Copy the article's solution into a ticket's resolution and link them.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    ticket: {type: integer, description: ticket pk}
                    ticket_number: {type: string}
          responses:
            200: {description: the ticket's new resolution and the link}
            404: {description: article or ticket not found}
            409: {description: "article not published, ticket closed, or already linked"}
        """
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response_400(message="Request body must be a JSON object")
        ref = body.get("ticket_number") or body.get("ticket")

        def act():
            link = rules.use_as_solution(pk, ref)
            db.session.flush()
            return {"id": link.id, "article": link.article_id, "revision": link.revision,
                    "ticket": {"id": link.ticket.id, "number": link.ticket.number,
                               "resolution": link.ticket.resolution}}

        return run_api(self, act)


# saved by the article's own saves (services/knowledge.py): read only
REVISION = Register(
    KnowledgeRevision, "knowledge_revision", form=(), base_order=("saved_at", "desc"),
    list=["article", "revision", "title", "saved_at"],
    show=["article", "revision", "title", "problem", "symptoms", "solution", "product", "equipment_model", "tags",
          "saved_at"],
    search=["article_id", "revision", "title", "saved_at"],
    api_list=["id", "article.id", "revision", "title", "saved_at"],
    api_show=["problem", "symptoms", "solution", "product", "equipment_model", "tags"],
    api_search=["article", "revision", "saved_at"], api_order=["revision", "saved_at"],
    screen={"base_permissions": ["can_list", "can_show"]},
    api={"base_permissions": ["can_get", "can_info"], "base_order": ("revision", "asc")},
)
KnowledgeRevisionView, KnowledgeRevisionApi = build(REVISION)

# made by "use as solution": listed, shown and deleted, never typed in
LINK = Register(
    TicketKnowledgeLink, "ticket_knowledge_link", form=(), base_order=("created_at", "desc"),
    base_filters=[OWN_TICKET_LINKS], list=["ticket", "article", "revision", "used_by", "created_at"],
    search=["ticket_id", "article_id", "created_at"],
    api_list=["id", "ticket.id", "ticket.number", "article.id", "article.title", "revision", "used_by.id",
              "used_by.name", "created_at"],
    api_search=["ticket", "article", "created_at"], api_order=["created_at"],
    screen={"base_permissions": ["can_list", "can_show", "can_delete"]},
    api={"base_permissions": ["can_get", "can_info", "can_delete"]},
)
TicketKnowledgeLinkView, TicketKnowledgeLinkApi = build(LINK)

ARTICLE = Register(
    KnowledgeArticle, "knowledge_article", base_order=("updated_at", "desc"),
    form=["title", "product", "equipment_model", "tags", "problem", "symptoms", "solution", "author", "status"],
    list=["title", "product", "equipment_model", "tags", "status", "revision", "author", "updated_at"],
    show=["title", "status", "revision", "product", "equipment_model", "tags", "problem", "symptoms", "solution",
          "author", "published_at", "updated_at"],
    search=["title", "problem", "symptoms", "solution", "tags", "product", "equipment_model", "status",
            "updated_at"],
    api_list=["id", "title", "product", "equipment_model", "tags", "status", "revision", "author.id", "author.name",
              "published_at", "updated_at"],
    api_show=["problem", "symptoms", "solution", "created_at"],
    api_search=["title", "problem", "symptoms", "solution", "tags", "product", "equipment_model", "status",
                "author", "updated_at"],
    api_order=["title", "product", "status", "revision", "updated_at", "published_at"],
    screen={"attachment_record": "knowledge_article",
            "related_views": [KnowledgeRevisionView, TicketKnowledgeLinkView]},
    api={"search_filters": {"title": [ArticleTextFilter]}},
    screen_mixins=(ArticleScreen,), api_mixins=(ArticleCalls,),
)
KnowledgeArticleView, KnowledgeArticleApi = build(ARTICLE)

EXPERT = Register(
    Expert, "expert", base_order=("name", "asc"),
    form=["name", "organisation", "expertise", "contact", "email", "staff", "active", "notes"],
    list=["name", "organisation", "expertise", "contact", "staff", "active"],
    search=["name", "organisation", "expertise", "active"],
    api_list=["id", "name", "organisation", "expertise", "contact", "email", "staff.id", "staff.name", "active"],
    api_show=["notes"], api_search=["name", "organisation", "expertise", "active", "staff"],
    api_order=["name", "organisation", "expertise"],
)
ExpertView, ExpertApi = build(EXPERT)
