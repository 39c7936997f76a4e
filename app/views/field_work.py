"""The engineers' phone screens: my work today, record the repair with photos, the customer's signature."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView
from flask_babel import gettext as _

from .. import clock
from ..attachments import service as attachments
from ..extensions import db
from ..models import RepairRecord, RepairResult, Ticket, TicketStatus
from ..models.base import DomainError
from ..security.rows import my_staff_ids
from ..services import sla, ticket_forms
from ..services import tickets as ticket_service
from ..services.tickets import staff_of
from ..unit_of_work import unit_of_work
from .actions import run_html
from .attachments import _files, _limit_request, _read
from .date_entry import parse_local_datetime
from .endpoints import screen_action


def my_open_tickets() -> list[Ticket]:
    """Open tickets assigned to the engineer logged in, the nearest deadline first."""
    stmt = (sa.select(Ticket).where(Ticket.assignee_id.in_(my_staff_ids()), Ticket.status.in_(sla.OPEN_STATUSES))
            .order_by(Ticket.resolve_by.is_(None), Ticket.resolve_by, Ticket.received_at))
    return list(db.session.scalars(stmt).unique())


def _parse_local(text: str | None, field: str, errors: dict, required: bool) -> datetime | None:
    """A date-time typed the project's way (YYYY-MM-DD HH:mm in APP_TIMEZONE) → naive UTC."""
    text = (text or "").strip()
    if not text:
        if required:
            errors[field] = _("This field is required.")
        return None
    try:
        return parse_local_datetime(text)
    except ValueError:
        errors[field] = _("Not a valid date and time.")
        return None


class FieldWorkView(BaseView):
    """Phone-sized pages for engineers on site (375 px wide and up)."""

    route_base = "/field"
    default_view = "today"

    def _ticket(self, pk: int) -> Ticket:
        return attachments.find_record("ticket", pk) or abort(404)

    @screen_action("/today", "list", methods=["GET"])
    def today(self):
        now = clock.now_utc()
        tickets = my_open_tickets()
        records = {}
        if tickets:
            stmt = (sa.select(RepairRecord).where(RepairRecord.ticket_id.in_([t.id for t in tickets]))
                    .order_by(RepairRecord.arrived_at))
            for record in db.session.scalars(stmt).unique():
                records.setdefault(record.ticket_id, []).append(record)
        return self.render_template(
            "field/today.html", tickets=tickets, records=records, now=now, statuses=TicketStatus,
            fmt=clock.format_datetime, today=clock.format_date(now), title=_("My work today"),
            can_parts=self.appbuilder.sm.has_access("can_add", "RequisitionView"))

    @screen_action("/start/<int:pk>", "list")
    def start(self, pk):
        """Start work on site: assigned → in progress (the first response time is stamped)."""
        ticket = self._ticket(pk)

        def begin():
            ticket_service.transition(ticket, TicketStatus.in_progress, g.user, handling_mode="onsite",
                                      note=_("Started on site"))
            return _("Ticket %(number)s is now: %(status)s", number=ticket.number, status=ticket.status.label)

        return run_html(begin, url_for("FieldWorkView.today") + f"#ticket-{pk}", code=303)

    @screen_action("/repair/<int:pk>", "list", methods=["GET", "POST"])
    def repair(self, pk):
        """Record the visit with its photos; then the customer signs."""
        ticket = self._ticket(pk)
        form = dict(request.form) if request.method == "POST" else {
            "arrived_at": clock.format_datetime(clock.now_utc()), "result": RepairResult.fixed.value}
        errors: dict[str, str] = {}
        if request.method == "POST":
            record = self._save_repair(ticket, form, errors)
            if record is not None:
                return redirect(url_for("FieldWorkView.sign", pk=record.id), code=303)
        return self.render_template("field/repair.html", ticket=ticket, form=form, errors=errors,
                                    results=RepairResult, title=_("Record the repair")), 422 if errors else 200

    def _save_repair(self, ticket: Ticket, form: dict, errors: dict) -> RepairRecord | None:
        arrived = _parse_local(form.get("arrived_at"), "arrived_at", errors, required=True)
        departed = _parse_local(form.get("departed_at"), "departed_at", errors, required=False)
        work_done = (form.get("work_done") or "").strip()
        if not work_done:
            errors["work_done"] = _("This field is required.")
        try:
            result = RepairResult(form.get("result"))
        except ValueError:
            errors["result"] = _("Choose the result.")
            result = None
        if errors:
            return None
        me = staff_of(g.user)
        record = RepairRecord(ticket=ticket, arrived_at=arrived, departed_at=departed, work_done=work_done,
                              parts_replaced=(form.get("parts_replaced") or "").strip() or None, result=result,
                              engineers=[me] if me else [])
        try:
            with unit_of_work():
                ticket_forms.record_repair(record, g.user)
                problems = record.validation_errors()
                if problems:
                    raise DomainError(problems)
                db.session.add(record)
                db.session.flush()
                _limit_request()
                photos = _files()
                for upload in photos:
                    attachments.add("repair_record", record.id, upload.filename, _read(upload))
        except DomainError as err:
            errors.update({key or "": str(msg) for key, msg in err.errors.items()})
            if "file" in errors:
                errors["file"] += " " + _("Choose the photos again.")
            return None
        flash(_("Repair recorded with %(n)s photo(s). Now the customer signs.", n=len(photos)), "success")
        return record

    @screen_action("/sign/<int:pk>", "list", methods=["GET", "POST"])
    def sign(self, pk):
        """The customer draws the signature with a finger (or the mouse) and the name is typed beside it."""
        record = attachments.find_record("repair_record", pk) or abort(404)
        errors: dict[str, str] = {}
        if request.method == "POST":
            try:
                with unit_of_work():
                    ticket_forms.sign_repair(record, request.form.get("signer"), request.form.get("image"), g.user)
                flash(_("Signed by %(name)s.", name=record.customer_signer), "success")
                return redirect(url_for("FieldWorkView.today") + f"#ticket-{record.ticket_id}", code=303)
            except DomainError as err:
                errors = {key or "": str(msg) for key, msg in err.errors.items()}
        photos = attachments.attachments_of("repair_record", record.id)
        return self.render_template("field/sign.html", record=record, errors=errors, photos=photos,
                                    signer=request.form.get("signer", record.ticket.contact.name
                                                            if record.ticket.contact else ""),
                                    fmt=clock.format_datetime, title=_("Customer signature")), 422 if errors else 200

