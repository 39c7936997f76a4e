"""The customer page tells the customer's whole story: contacts, projects with their warranty,
installed equipment with its latest repairs, open and past tickets, callbacks, complaints and
satisfaction surveys with a trend. Each section holds only the rows the viewer may see on that
register's own screen (its permission and row rules); a register the role cannot open is absent."""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from flask import abort, url_for
from flask_appbuilder import expose, has_access
from markupsafe import Markup, escape

from .. import clock
from ..dashboard.marks import due_mark, severity_rank
from ..models import (
    CallbackRecord,
    CallbackStatus,
    Complaint,
    Contact,
    Customer,
    Equipment,
    Project,
    RepairRecord,
    SatisfactionSurvey,
    Ticket,
)
from ..services import sla
from ..services.customer_story import satisfaction_trend, warranty_state, year_ago
from .equipment_page import _visible, visible_query

PAST_ROWS = 10  # past tickets on the page; "see all" opens the filtered ticket list
CALLBACK_ROWS = 10
SURVEY_ROWS = 10
REPAIRS_PER_EQUIPMENT = 3


def customer_story(customer: Customer) -> dict:
    today = clock.today_local()
    cid = customer.id
    story = {
        "contacts": _visible("ContactView", Contact, Contact.customer_id == cid,
                             order=(Contact.is_primary.desc(), Contact.name)),
        "projects": _projects(cid, today),
        "equipment": _equipment(cid, today),
        "tickets": _tickets(cid),
        "callbacks": _callbacks(cid),
        "complaints": _visible("ComplaintView", Complaint, Complaint.customer_id == cid,
                               order=(Complaint.received_at.desc(),)),
        "surveys": _surveys(cid, today),
    }
    return story


def _projects(cid: int, today):
    rows = _visible("ProjectView", Project, Project.customer_id == cid, order=(Project.warranty_end.desc(),))
    if rows is None:
        return None
    return [(p, warranty_state(p.warranty_start, p.warranty_end, today)) for p in rows]


def _equipment(cid: int, today):
    rows = _visible("EquipmentView", Equipment, Equipment.customer_id == cid,
                    order=(Equipment.location, Equipment.serial_number))
    if rows is None:
        return None
    repairs = _visible("RepairRecordView", RepairRecord,
                       RepairRecord.ticket.has(sa.and_(Ticket.customer_id == cid, Ticket.equipment_id.is_not(None))),
                       order=(RepairRecord.arrived_at.desc(),))
    by_equipment = defaultdict(list)
    for r in repairs or []:
        if len(by_equipment[r.ticket.equipment_id]) < REPAIRS_PER_EQUIPMENT:
            by_equipment[r.ticket.equipment_id].append(r)
    return [{"item": e, "warranty": warranty_state(e.install_date, e.warranty_until(), today),
             "repairs": by_equipment.get(e.id, []) if repairs is not None else None} for e in rows]


def _tickets(cid: int):
    query = visible_query("TicketView", Ticket, Ticket.customer_id == cid)
    if query is None:
        return None
    is_open = Ticket.status.in_(sla.OPEN_STATUSES)
    open_rows = query.filter(is_open).order_by(severity_rank(Ticket.severity), Ticket.resolve_by.asc()).all()
    past = query.filter(sa.not_(is_open))
    past_rows = past.order_by(Ticket.received_at.desc()).limit(PAST_ROWS).all()
    past_count = len(past_rows) if len(past_rows) < PAST_ROWS else past.order_by(None).count()
    return {"open": [(t, due_mark(t.resolve_by)) for t in open_rows], "past": past_rows,
            "past_count": past_count,
            "all_url": url_for("TicketView.list") + f"?_flt_0_customer_id={cid}"}


def _callbacks(cid: int):
    query = visible_query("CallbackRecordView", CallbackRecord, CallbackRecord.customer_id == cid)
    if query is None:
        return None
    due = (query.filter(CallbackRecord.status == CallbackStatus.due)
           .order_by(CallbackRecord.due_date.asc()).limit(CALLBACK_ROWS).all())
    done = (query.filter(CallbackRecord.status == CallbackStatus.done)
            .order_by(CallbackRecord.called_at.desc()).limit(CALLBACK_ROWS).all())
    return {"due": [(c, due_mark(c.due_date)) for c in due], "done": done}


def _surveys(cid: int, today):
    query = visible_query("SatisfactionSurveyView", SatisfactionSurvey,
                          SatisfactionSurvey.ticket.has(Ticket.customer_id == cid))
    if query is None:
        return None
    s = SatisfactionSurvey
    rows = query.order_by(s.surveyed_at.desc()).limit(SURVEY_ROWS).all()
    count, timeliness, effectiveness, attitude = query.with_entities(
        sa.func.count(s.id), sa.func.avg(s.timeliness), sa.func.avg(s.effectiveness), sa.func.avg(s.attitude)).one()
    score = (s.timeliness + s.effectiveness + s.attitude) / 3.0
    recent = query.with_entities(s.surveyed_at, score).filter(
        s.surveyed_at >= clock.local_day_start(year_ago(today))).all()
    averages = None
    if count:
        # PostgreSQL's avg() is numeric (Decimal "4.0000"); show every database's average the same way.
        timeliness, effectiveness, attitude = float(timeliness), float(effectiveness), float(attitude)
        averages = {"timeliness": round(timeliness, 2), "effectiveness": round(effectiveness, 2),
                    "attitude": round(attitude, 2),
                    "overall": round((timeliness + effectiveness + attitude) / 3, 2)}
    return {"rows": rows, "count": count, "averages": averages, "trend": satisfaction_trend(recent, today)}


def customer_link(customer) -> Markup | str:
    """The customer's name as a link to the customer's story (ticket list and ticket page)."""
    if customer is None:
        return ""
    return Markup('<a class="customer-story-link" href="%s">%s</a>') % (
        url_for("CustomerView.show", pk=customer.id), escape(customer.name))


class CustomerStoryMixin:
    """Mixed into CustomerView: its show page is the customer's story."""

    show_template = "customers/story.html"

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        item = self.datamodel.get(pk, self._base_filters) or abort(404)
        widgets = self._get_show_widget(pk, item)  # the header; the registers below replace the tabs
        self.update_redirect()
        return self.render_template(self.show_template, pk=pk, title=self.show_title, widgets=widgets,
                                    customer=item, story=customer_story(item))
