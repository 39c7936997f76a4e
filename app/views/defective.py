"""Defective-part returns 坏件返回 (002 §2.6(6)): screens and API over app/services/parts.py."""
from __future__ import annotations

from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models.base import DomainError
from ..models.requisitions import DefectiveReturn, ReturnStatus
from ..security.rows import own_rows
from ..services import defective as svc
from ..services.export import INTEGER, Column
from .actions import run_api, run_html
from .endpoints import api_action, screen_action
from .parts_common import json_body, pk_or_404
from .register_spec import Register, build
from .table_export import Table, TableExport


class ReturnDesk:
    """Faulty parts owed back and their fate; an engineer sees their own."""

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        row = self.datamodel.get(pk_or_404(pk), self._base_filters) or abort(404)
        return self.render_template("parts/defective.html", row=row, title=_("Defective part"),
                                    can_handle=self.may("can_receive"), can_hand_back=self.may("can_hand_back"),
                                    outcomes=sorted(svc.CLOSED_RETURN, key=list(ReturnStatus).index))

    @screen_action("/hand_back/", "hand_back")
    def hand_back(self):
        """The engineer hands back the ticked units, each with its serial number and condition."""
        form = request.form
        back = form.get("next") or ""
        back = back if back.startswith("/") and not back.startswith("//") else url_for("DefectiveReturnView.list")

        def run():
            ids = [pk_or_404(v) for v in form.getlist("unit")]
            rows = svc.hand_back((pk, form.get(f"serial_{pk}"), form.get(f"condition_{pk}")) for pk in ids)
            return _("%(n)s faulty part(s) handed back: %(what)s.", n=len(rows), what=", ".join(map(str, rows)))
        return run_html(run, back)

    @screen_action("/receive/<int:pk>", "receive")
    def receive(self, pk):
        def run():
            svc.receive(pk, request.form.get("serial_number"), request.form.get("condition"))
            return _("Faulty part received.")
        return run_html(run, url_for("DefectiveReturnView.show", pk=pk))

    @screen_action("/close/<int:pk>", "close")
    def close(self, pk):
        def run():
            row = svc.close(pk, request.form.get("status"))
            return _("Closed as %(s)s.", s=row.status.label)
        return run_html(run, url_for("DefectiveReturnView.show", pk=pk))


class ReturnCalls:
    """Handing back, receiving and closing a unit owed back."""

    @api_action("/<int:pk>/hand_back", "hand_back")
    def hand_back(self, pk):
        """The engineer who owes the unit hands it back: {serial_number, condition}."""
        def run():
            data = json_body()
            if self.datamodel.get(pk, self._base_filters) is None:
                raise DomainError(_("Not found."), status=404)
            row = svc.hand_back([(pk, data.get("serial_number"), data.get("condition"))])[0]
            return {"result": {"id": row.id, "status": row.status.value}}
        return run_api(self, run)

    @api_action("/<int:pk>/receive", "receive")
    def receive(self, pk):
        """Log the faulty part coming back: {serial_number, condition}."""
        def run():
            data = json_body()
            row = svc.receive(pk, data.get("serial_number"), data.get("condition"))
            return {"result": {"id": row.id, "status": row.status.value}}
        return run_api(self, run)

    @api_action("/<int:pk>/close", "close")
    def close(self, pk):
        """{status: repaired | returned_to_vendor | scrapped}."""
        def run():
            row = svc.close(pk, json_body().get("status"))
            return {"result": {"id": row.id, "status": row.status.value}}
        return run_api(self, run)


RETURN = Register(
    DefectiveReturn, "defective_return", form=(), base_order=("created_at", "desc"),
    base_filters=[own_rows("engineer_id")],
    list=["created_at", "requisition", "engineer", "part", "serial_number", "status", "handed_back_at",
          "received_at"],
    show=["created_at", "requisition", "engineer", "part", "serial_number", "status", "handed_back_at",
          "received_at", "condition", "closed_at"],
    search=["status", "engineer_id", "part_id", "serial_number", "created_at"],
    order=["created_at", "status", "received_at"],
    api_list=["id", "requisition_id", "issue_movement_id", "engineer_id", "part_id", "qty", "status",
              "serial_number", "condition", "handed_back_at", "received_at", "closed_at", "created_at"],
    api_search=["status", "engineer_id", "part_id", "requisition_id", "serial_number"],
    api_order=["created_at", "status"],
    screen={"attachment_record": "defective_return", "list_title": _l("Defective-part returns"),
            "base_permissions": ["can_list", "can_show", "can_hand_back", "can_receive", "can_close"]},
    api={"include_route_methods": {"get", "get_list", "info", "export_xlsx", "hand_back", "receive", "close"}},
    screen_mixins=(ReturnDesk,), api_mixins=(ReturnCalls,),
)
DefectiveReturnView, DefectiveReturnApi = build(RETURN)


class OwedPartsView(TableExport, BaseView):
    """Faulty parts still owed back, per engineer (002 §2.6(6))."""

    def table(self, **_args) -> Table:
        columns = [Column(_("Engineer")), Column(_("Slips"), INTEGER), Column(_("Parts owed"), INTEGER)]
        rows = ((staff.name, slips, qty) for staff, slips, qty in svc.owed_by_engineer())
        return Table(_("Faulty parts owed back"), columns, rows, "parts_owed")

    route_base = "/owed_parts"
    default_view = "list"

    @screen_action("/list/", "list", methods=["GET"])
    def list(self):
        return self.render_template("parts/owed.html", rows=svc.owed_by_engineer(), title=_("Faulty parts owed back"))
