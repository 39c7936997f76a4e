"""The stock posting API of ../shared/API.md "Stock": receive, issue, reverse, transfer, balance."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import BaseApi, expose, safe
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _

from ..extensions import db
from ..models.base import DomainError
from ..models.requisitions import Requisition
from ..models.tickets import Ticket
from ..services import parts as parts_service
from ..services import stock


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError(_("Request body must be a JSON object"), status=400)
    return data


def _optional_ref(data: dict, key: str, model) -> int | None:
    """An optional foreign key in the body, checked to exist."""
    value = data.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, int) or isinstance(value, bool) or db.session.get(model, value) is None:
        raise DomainError({key: _("Unknown %(what)s.", what=key)})
    return value


def _posted(movements, part_id: int, warehouse_id: int, status: int = 201):
    qty, value = stock.balance(part_id, warehouse_id)
    body = {"movement": stock.movement_dict(movements[0]), "balance": {"qty": qty, "value": stock.money(value)}}
    if len(movements) > 1:
        body["movements"] = [stock.movement_dict(m) for m in movements]
    return body, status


class StockApi(BaseApi):
    """Posting endpoints; every one runs the same service as the HTML forms."""

    resource_name = "stock"
    allow_browser_login = False
    openapi_spec_tag = "Stock"

    def _run(self, fn):
        try:
            body, status = fn()
        except DomainError as err:
            db.session.rollback()
            return self.response(err.status, message=err.message)
        return self.response(status, **body)

    @expose("/receive", methods=["POST"])
    @protect()
    @safe
    @permission_name("receive")
    def receive(self):
        """Post a purchase receipt (stock-in at the given unit cost)."""
        def run():
            data = _body()
            with stock.atomic():
                mv = stock.receive(data.get("part"), data.get("warehouse"), data.get("qty"),
                                   data.get("unit_cost"), data.get("reference"), note=data.get("note"))
            return _posted([mv], mv.part_id, mv.warehouse_id)
        return self._run(run)

    @expose("/issue", methods=["POST"])
    @protect()
    @safe
    @permission_name("issue")
    def issue(self):
        """Issue parts FIFO; more than on hand → 409 and nothing written."""
        def run():
            data = _body()
            with stock.atomic():
                ticket_id = _optional_ref(data, "ticket", Ticket)
                requisition_id = _optional_ref(data, "requisition", Requisition)
                if requisition_id is not None:
                    mv = parts_service.issue_for_requisition(
                        requisition_id, data.get("part"), data.get("warehouse"), data.get("qty"),
                        data.get("reference"))
                else:
                    mv = stock.issue(data.get("part"), data.get("warehouse"), data.get("qty"),
                                     data.get("reference"), ticket_id=ticket_id, note=data.get("note"))
            return _posted([mv], mv.part_id, mv.warehouse_id)
        return self._run(run)

    @expose("/reverse/<int:pk>", methods=["POST"])
    @protect()
    @safe
    @permission_name("reverse")
    def reverse(self, pk):
        """Post the reversal of a movement (both legs of a transfer); twice → 409."""
        def run():
            data = request.get_json(silent=True) or {}
            reference = data.get("reference") if isinstance(data, dict) else None
            with stock.atomic():
                movements = parts_service.reverse_movement(pk, reference)
            first = movements[0]
            return _posted(movements, first.part_id, first.warehouse_id)
        return self._run(run)

    @expose("/transfer", methods=["POST"])
    @protect()
    @safe
    @permission_name("transfer")
    def transfer(self):
        """Move stock between two warehouses at its FIFO cost."""
        def run():
            data = _body()
            with stock.atomic():
                out, inn = stock.transfer(data.get("part"), data.get("from_warehouse"),
                                          data.get("to_warehouse"), data.get("qty"), data.get("reference"))
            return _posted([out, inn], out.part_id, out.warehouse_id)
        return self._run(run)

    @expose("/balance", methods=["GET"])
    @protect()
    @safe
    @permission_name("balance")
    def balance(self):
        """On hand of a part: one warehouse, or all when `warehouse` is omitted."""
        def run():
            part = request.args.get("part", type=int)
            warehouse = request.args.get("warehouse", type=int)
            stock.get_part(part)
            if "warehouse" in request.args:
                stock.get_warehouse(warehouse)
            qty, value = stock.balance(part, warehouse)
            return {"qty": qty, "value": stock.money(value)}, 200
        return self._run(run)
