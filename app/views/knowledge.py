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
from .base import ServiceModelView
from .endpoints import api_action, screen_action
from .interface import ServiceInterface
from .registers_common import RulesModelView
from .service_api import ServiceApi

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


class KnowledgeRevisionView(ServiceModelView):
    datamodel = ServiceInterface(KnowledgeRevision)
    base_permissions = ["can_list", "can_show"]
    list_columns = ["article", "revision", "title", "saved_at"]
    show_columns = ["article", "revision", "title", "problem", "symptoms", "solution",
                    "product", "equipment_model", "tags", "saved_at"]
    search_columns = ["article_id", "revision", "title", "saved_at"]
    base_order = ("saved_at", "desc")


class TicketKnowledgeLinkView(ServiceModelView):
    datamodel = ServiceInterface(TicketKnowledgeLink)
    base_permissions = ["can_list", "can_show", "can_delete"]
    base_filters = [OWN_TICKET_LINKS]
    list_columns = ["ticket", "article", "revision", "used_by", "created_at"]
    search_columns = ["ticket_id", "article_id", "created_at"]
    base_order = ("created_at", "desc")


class KnowledgeArticleView(RulesModelView):
    attachment_record = "knowledge_article"
    datamodel = ServiceInterface(KnowledgeArticle)
    list_columns = ["title", "product", "equipment_model", "tags", "status", "revision", "author", "updated_at"]
    show_columns = ["title", "status", "revision", "product", "equipment_model", "tags", "problem",
                    "symptoms", "solution", "author", "published_at", "updated_at"]
    add_columns = edit_columns = [
        "title", "product", "equipment_model", "tags", "problem", "symptoms", "solution", "author", "status",
    ]
    search_columns = ["title", "problem", "symptoms", "solution", "tags", "product", "equipment_model",
                      "status", "updated_at"]
    base_order = ("updated_at", "desc")
    related_views = [KnowledgeRevisionView, TicketKnowledgeLinkView]
    extra_args = {"show_actions": [{
        "endpoint": "KnowledgeArticleView.use_as_solution", "view": "KnowledgeArticleView",
        "permission": "can_use_as_solution", "label": _l("Use as solution"), "icon": "fa-check",
        "input": "ticket", "input_label": _l("Ticket no."),
    }]}

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


class KnowledgeArticleApi(ServiceApi):
    resource_name = "knowledge_article"
    datamodel = ServiceInterface(KnowledgeArticle)
    list_columns = ["id", "title", "product", "equipment_model", "tags", "status", "revision",
                    "author.id", "author.name", "published_at", "updated_at"]
    show_columns = list_columns + ["problem", "symptoms", "solution", "created_at"]
    add_columns = edit_columns = [
        "title", "product", "equipment_model", "tags", "problem", "symptoms", "solution", "author", "status",
    ]
    search_columns = ["title", "problem", "symptoms", "solution", "tags", "product", "equipment_model",
                      "status", "author", "updated_at"]
    search_filters = {"title": [ArticleTextFilter]}
    order_columns = ["title", "product", "status", "revision", "updated_at", "published_at"]
    base_order = ("updated_at", "desc")

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


class KnowledgeRevisionApi(ServiceApi):
    resource_name = "knowledge_revision"
    datamodel = ServiceInterface(KnowledgeRevision)
    base_permissions = ["can_get", "can_info"]
    list_columns = ["id", "article.id", "revision", "title", "saved_at"]
    show_columns = list_columns + ["problem", "symptoms", "solution", "product", "equipment_model", "tags"]
    search_columns = ["article", "revision", "saved_at"]
    order_columns = ["revision", "saved_at"]
    base_order = ("revision", "asc")


class TicketKnowledgeLinkApi(ServiceApi):
    resource_name = "ticket_knowledge_link"
    datamodel = ServiceInterface(TicketKnowledgeLink)
    base_permissions = ["can_get", "can_info", "can_delete"]
    base_filters = [OWN_TICKET_LINKS]
    list_columns = ["id", "ticket.id", "ticket.number", "article.id", "article.title", "revision",
                    "used_by.id", "used_by.name", "created_at"]
    show_columns = list_columns
    search_columns = ["ticket", "article", "created_at"]
    order_columns = ["created_at"]
    base_order = ("created_at", "desc")


class ExpertView(ServiceModelView):
    datamodel = ServiceInterface(Expert)
    list_columns = ["name", "organisation", "expertise", "contact", "staff", "active"]
    add_columns = edit_columns = ["name", "organisation", "expertise", "contact", "email", "staff", "active", "notes"]
    search_columns = ["name", "organisation", "expertise", "active"]
    base_order = ("name", "asc")


class ExpertApi(ServiceApi):
    resource_name = "expert"
    datamodel = ServiceInterface(Expert)
    list_columns = ["id", "name", "organisation", "expertise", "contact", "email", "staff.id", "staff.name", "active"]
    show_columns = list_columns + ["notes"]
    add_columns = edit_columns = ["name", "organisation", "expertise", "contact", "email", "staff", "active", "notes"]
    search_columns = ["name", "organisation", "expertise", "active", "staff"]
    order_columns = ["name", "organisation", "expertise"]
    base_order = ("name", "asc")
