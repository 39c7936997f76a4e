"""The page a QR label opens: one piece of installed equipment with its warranty, open tickets,
repairs and inspections; and the printable sheet of QR labels for a customer's equipment."""
from __future__ import annotations

import segno
from flask import abort, current_app, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..models import Customer, Equipment, InspectionRecord, RepairRecord, Ticket
from ..services import sla
from .endpoints import screen_action

HISTORY_ROWS = 50
PAST_ROWS = 20  # closed and cancelled tickets: the newest


def visible_query(view_name: str, model, *criteria):
    """The query of the rows the current user may see on that screen (its permission and row
    rules), or None when the role has no access to it."""
    sm = current_app.appbuilder.sm
    if not sm.has_access("can_show", view_name):
        return None
    view = next((v for v in current_app.appbuilder.baseviews if type(v).__name__ == view_name), None)
    if view is None:
        return None
    return view._base_filters.apply_all(db.session.query(model)).filter(*criteria)


def _visible(view_name: str, model, *criteria, order=(), limit: int = HISTORY_ROWS):
    """Rows the current user may see on that screen (its permission and row rules), or None."""
    query = visible_query(view_name, model, *criteria)
    if query is None:
        return None
    return query.order_by(*order).limit(limit).all()


def equipment_history(equipment: Equipment) -> dict:
    today = clock.today_local()
    return {
        "warranty_until": equipment.warranty_until(),
        "in_warranty": equipment.in_warranty(today),
        "open_tickets": _visible("TicketView", Ticket, Ticket.equipment_id == equipment.id,
                                 Ticket.status.in_(sla.OPEN_STATUSES), order=(Ticket.received_at.desc(),)),
        "past_tickets": _visible("TicketView", Ticket, Ticket.equipment_id == equipment.id,
                                 Ticket.status.not_in(sla.OPEN_STATUSES), order=(Ticket.received_at.desc(),),
                                 limit=PAST_ROWS),
        "repairs": _visible("RepairRecordView", RepairRecord,
                            RepairRecord.ticket.has(Ticket.equipment_id == equipment.id),
                            order=(RepairRecord.arrived_at.desc(),)),
        "inspections": _visible("InspectionRecordView", InspectionRecord,
                                InspectionRecord.equipment_id == equipment.id,
                                order=(InspectionRecord.due_date.desc(),)),
    }


def qr_svg(url: str) -> str:
    """An inline SVG QR code of the URL (error correction M: survives a scuffed label)."""
    return segno.make(url, error="m").svg_inline(scale=3, border=2, title=url)


class EquipmentPageMixin:
    """Mixed into EquipmentView: its show page carries the history; `/labels/<customer>` prints QR labels."""

    show_template = "equipment/show.html"

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        widgets = self._show(pk)  # 404 for a row the base filters hide
        item = self.datamodel.get(pk, self._base_filters)
        return self.render_template(self.show_template, pk=pk, title=self.show_title, widgets=widgets,
                                    related_views=self._related_views, equipment=item,
                                    history=equipment_history(item), fmt=clock.format_datetime,
                                    fmt_date=clock.format_date)

    @screen_action("/labels/<int:customer_id>", "list", methods=["GET"])
    def labels(self, customer_id):
        customer = db.session.get(Customer, customer_id) or abort(404)
        items = sorted(customer.equipment, key=lambda e: (e.location or "", e.serial_number))
        labels = [{"equipment": e, "svg": qr_svg(url_for("EquipmentView.show", pk=e.id, _external=True)),
                   "warranty_until": e.warranty_until()} for e in items]
        return self.render_template("equipment/labels.html", customer=customer, labels=labels,
                                    title=_("Equipment labels"), fmt_date=clock.format_date)

    def show_links(self, pk) -> list[dict]:
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return []
        return [{"label": _("Print QR labels"), "url": url_for("EquipmentView.labels", customer_id=item.customer_id),
                 "icon": "fa-qrcode", "css": "equipment-labels"}]
