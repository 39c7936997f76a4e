"""Bulk assignment on the ticket list: tick tickets, choose "Assign to one engineer", pick the
engineer on a small form page (the ticked ids carried over), and the API's bulk-assign."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Ticket
from ..models.base import DomainError
from ..services import ticket_links
from ..services.ticket_bulk import bulk_assign, parse_ids
from ..unit_of_work import unit_of_work
from .endpoints import api_action, screen_action


def _visible_tickets(view, ids: list[int]) -> list[Ticket]:
    """The tickets of `ids` the user may see on that view (its row rules)."""
    query = view._base_filters.apply_all(db.session.query(Ticket)).filter(Ticket.id.in_(ids))
    return query.all()


def _ticked_ids(view) -> list[int] | None:
    """The ids a bulk page carries (query on GET, form on POST); None after flashing why not."""
    source = request.form if request.method == "POST" else request.args
    try:
        return parse_ids(source.getlist("ids"))
    except DomainError as err:
        flash(str(err), "danger")
        return None


class TicketBulkMixin:
    """Mixed into TicketView."""

    @action("bulk_assign_action", _l("Assign to one engineer"), None, "fa-user-plus", multiple=True, single=False)
    def bulk_assign_action(self, items):
        ids = [t.id for t in items if t is not None]
        return redirect(url_for(f"{type(self).__name__}.bulk_assign", ids=ids))

    @screen_action("/bulk-assign", "bulk_assign", methods=["GET", "POST"])
    def bulk_assign(self):
        from .tickets import engineers

        ids = _ticked_ids(self)
        if ids is None:
            return redirect(url_for(f"{type(self).__name__}.list"))
        tickets = _visible_tickets(self, ids)
        if request.method == "POST":
            try:
                with unit_of_work():
                    done = bulk_assign(tickets, ids, request.form.get("assignee") or None, g.user)
                flash(_("%(n)s tickets assigned to %(name)s: %(numbers)s", n=len(done), name=done[0].assignee.name,
                        numbers=", ".join(t.number for t in done)), "success")
                return redirect(url_for(f"{type(self).__name__}.list"))
            except DomainError as err:
                flash(str(err), "danger")
                tickets = _visible_tickets(self, ids)
        order = {pk: i for i, pk in enumerate(ids)}
        tickets.sort(key=lambda t: order[t.id])
        return self.render_template("tickets/bulk_assign.html", tickets=tickets, engineers=engineers(),
                                    title=_("Assign tickets to one engineer"),
                                    back=url_for(f"{type(self).__name__}.list"))


class TicketLinkMixin:
    """Mixed into TicketView: tick tickets and link them as related, or mark duplicates of one."""

    @action("link_related_action", _l("Link as related"), None, "fa-link", multiple=True, single=False)
    def link_related_action(self, items):
        tickets = [t for t in items if t is not None]
        try:
            with unit_of_work():
                made = ticket_links.link_related(_visible_tickets(self, [t.id for t in tickets]), g.user)
            flash(_("%(n)s tickets linked as related: %(numbers)s", n=len(tickets),
                    numbers=", ".join(t.number for t in tickets)) if made else
                  _("These tickets were already linked."), "success")
        except DomainError as err:
            flash(str(err), "danger")
        return redirect(url_for(f"{type(self).__name__}.list"))

    @action("mark_duplicates_action", _l("Mark duplicates of one ticket"), None, "fa-clone",
            multiple=True, single=False)
    def mark_duplicates_action(self, items):
        ids = [t.id for t in items if t is not None]
        return redirect(url_for(f"{type(self).__name__}.duplicates", ids=ids))

    @screen_action("/duplicates", "link", methods=["GET", "POST"])
    def duplicates(self):
        back = url_for(f"{type(self).__name__}.list")
        ids = _ticked_ids(self)
        if ids is None:
            return redirect(back)
        tickets = sorted(_visible_tickets(self, ids), key=lambda t: t.received_at)
        if request.method == "POST":
            original = next((t for t in tickets if str(t.id) == request.form.get("original")), None)
            try:
                with unit_of_work():
                    if original is None:
                        raise DomainError({"original": _("Choose the original ticket.")})
                    n = ticket_links.mark_duplicates(tickets, original, g.user)
                flash(_("%(n)s tickets marked duplicates of %(number)s.", n=n, number=original.number), "success")
                return redirect(back)
            except DomainError as err:
                flash(str(err), "danger")
                tickets = sorted(_visible_tickets(self, ids), key=lambda t: t.received_at)
        return self.render_template("tickets/duplicates.html", tickets=tickets, back=back,
                                    title=_("Mark duplicates of one ticket"))


class TicketBulkApiMixin:
    """Mixed into TicketApi: POST /api/v1/ticket/bulk-assign {"ids": [...], "assignee": id}."""

    @api_action("/bulk-assign", "bulk_assign")
    def bulk_assign(self):
        """Assign several tickets to one engineer: all of them, or none.
        ---
        post:
          responses:
            200: {description: the ids assigned}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: a ticket cannot be assigned now; none was}
            422: {$ref: '#/components/responses/422'}
        """
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response_400(message=_("Request body must be a JSON object"))
        try:
            with unit_of_work():
                ids = parse_ids(body.get("ids"))
                done = bulk_assign(_visible_tickets(self, ids), ids, body.get("assignee"), g.user)
        except DomainError as err:
            return self.response(err.status, message=err.message)
        return self.response(200, ids=[t.id for t in done], assignee=done[0].assignee_id)
