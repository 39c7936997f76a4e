"""Defective-part returns 坏件返回 (002 §2.6(6)): screens and API over app/services/parts.py."""
from __future__ import annotations

from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import expose as api_expose
from flask_appbuilder.api import safe
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models.requisitions import DefectiveReturn, ReturnStatus
from ..security.rows import own_rows
from ..services import parts as svc
from .base import ServiceApi, ServiceInterface, ServiceModelView
from .parts_common import pk_or_404, api_action, html_action, json_body
from .table_export import Table, TableExport
from ..services.export import INTEGER, Column


class DefectiveReturnView(ServiceModelView):
    """Faulty parts owed back and their fate; an engineer sees their own."""

    attachment_record = "defective_return"
    datamodel = ServiceInterface(DefectiveReturn)
    base_permissions = ["can_list", "can_show", "can_receive", "can_close"]
    base_filters = [own_rows("engineer_id")]
    list_title = _l("Defective-part returns")
    list_columns = ["created_at", "requisition", "engineer", "part", "qty", "status", "serial_number", "received_at"]
    show_columns = list_columns + ["condition", "closed_at"]
    search_columns = ["status", "engineer_id", "part_id", "serial_number", "created_at"]
    order_columns = ["created_at", "status", "received_at"]
    base_order = ("created_at", "desc")

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        row = self.datamodel.get(pk_or_404(pk), self._base_filters) or abort(404)
        return self.render_template("parts/defective.html", row=row, title=_("Defective part"),
                                    can_handle=self.appbuilder.sm.has_access("can_receive", "DefectiveReturnView"),
                                    outcomes=[s for s in ReturnStatus if s not in (ReturnStatus.owed, ReturnStatus.received)])

    @expose("/receive/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("receive")
    def receive(self, pk):
        def run():
            svc.receive_defective(pk, request.form.get("serial_number"), request.form.get("condition"))
            return _("Faulty part received.")
        return html_action(run, url_for("DefectiveReturnView.show", pk=pk))

    @expose("/close/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("close")
    def close(self, pk):
        def run():
            row = svc.close_defective(pk, request.form.get("status"))
            return _("Closed as %(s)s.", s=row.status.label)
        return html_action(run, url_for("DefectiveReturnView.show", pk=pk))


class DefectiveReturnApi(ServiceApi):
    resource_name = "defective_return"
    datamodel = ServiceInterface(DefectiveReturn)
    include_route_methods = {"get", "get_list", "info", "export_xlsx", "receive", "close"}
    base_filters = [own_rows("engineer_id")]
    list_columns = ["id", "requisition_id", "issue_movement_id", "engineer_id", "part_id", "qty", "status",
                    "serial_number", "condition", "received_at", "closed_at", "created_at"]
    show_columns = list_columns
    search_columns = ["status", "engineer_id", "part_id", "requisition_id", "serial_number"]
    order_columns = ["created_at", "status"]
    base_order = ("created_at", "desc")

    @api_expose("/<int:pk>/receive", methods=["POST"])
    @protect()
    @safe
    @permission_name("receive")
    def receive(self, pk):
        """Log the faulty part coming back: {serial_number, condition}."""
        def run():
            data = json_body()
            row = svc.receive_defective(pk, data.get("serial_number"), data.get("condition"))
            return {"result": {"id": row.id, "status": row.status.value}}
        return api_action(self, run)

    @api_expose("/<int:pk>/close", methods=["POST"])
    @protect()
    @safe
    @permission_name("close")
    def close(self, pk):
        """{status: repaired | returned_to_vendor | scrapped}."""
        def run():
            row = svc.close_defective(pk, json_body().get("status"))
            return {"result": {"id": row.id, "status": row.status.value}}
        return api_action(self, run)


class OwedPartsView(TableExport, BaseView):
    """Faulty parts still owed back, per engineer (002 §2.6(6))."""

    def table(self, **_args) -> Table:
        columns = [Column(_("Engineer")), Column(_("Slips"), INTEGER), Column(_("Parts owed"), INTEGER)]
        rows = ((staff.name, slips, qty) for staff, slips, qty in svc.owed_by_engineer())
        return Table(_("Faulty parts owed back"), columns, rows, "parts_owed")

    route_base = "/owed_parts"
    default_view = "list"

    @expose("/list/")
    @has_access
    @permission_name("list")
    def list(self):
        return self.render_template("parts/owed.html", rows=svc.owed_by_engineer(), title=_("Faulty parts owed back"))
