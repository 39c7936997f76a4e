"""Print views (HTML with print CSS) of the service report and the repair record, beside their Excel forms."""
from __future__ import annotations

from datetime import datetime

from flask import abort, url_for
from flask_babel import gettext as _

from .. import clock
from ..attachments import service as attachments
from ..models import RepairRecord, Ticket
from ..models.labels import label_for
from ..services.paper.repair_record import record_fields
from ..services.paper.service_report import report_fields
from ..services.parts import parts_used
from .endpoints import screen_action


def _cell(value):
    """A value of a paper's head as the page shows it: a time in local time, nothing for none."""
    if value is None:
        return ""
    return clock.format_datetime(value) if isinstance(value, datetime) else value


def _context(ticket: Ticket) -> dict:
    return {"ticket": ticket, "parts": parts_used(ticket.id), "fmt": clock.format_datetime, "cell": _cell,
            "L": lambda model, field: label_for(model, field), "Ticket": Ticket, "RepairRecord": RepairRecord,
            "printed_at": clock.format_datetime(clock.now_utc())}


class PrintViewMixin:
    """Mixed into a record screen: `/print/<pk>` renders `print_template` for a printer on site."""

    print_template: str | None = None

    def print_context(self, item) -> dict:
        return {}

    @screen_action("/print/<int:pk>", "show", methods=["GET"])
    def print_view(self, pk):
        item = self.datamodel.get(pk, self._base_filters) or abort(404)  # the row rules apply
        return self.render_template(self.print_template, back_url=url_for(f"{type(self).__name__}.show", pk=pk),
                                    **self.print_context(item))

    def show_links(self, pk) -> list[dict]:
        return super().show_links(pk) + [{"label": _("Print view"), "icon": "fa-print", "css": "print-view",
                                          "url": url_for(f"{type(self).__name__}.print_view", pk=pk)}]


class ServiceReportPrint(PrintViewMixin):
    print_template = "print/service_report.html"

    def print_context(self, ticket: Ticket) -> dict:
        visits = sorted(ticket.repair_records, key=lambda r: r.arrived_at)
        signed = [r for r in visits if r.signature_id is not None]
        return {**_context(ticket), "visits": visits, "signed": signed[-1] if signed else None,
                "photos": attachments.attachments_of("ticket", ticket.id), "title": _("Service report"),
                "head": report_fields(ticket)}


class RepairRecordPrint(PrintViewMixin):
    print_template = "print/repair_record.html"

    def print_context(self, record: RepairRecord) -> dict:
        return {**_context(record.ticket), "record": record, "signed": record if record.signature_id else None,
                "photos": attachments.attachments_of("repair_record", record.id),
                "title": _("On-site repair record"), "head": record_fields(record)}
