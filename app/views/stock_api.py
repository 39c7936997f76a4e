"""The stock posting API of ../shared/API.md "Stock": receive, issue, reverse, transfer, balance."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import BaseApi
from flask_babel import gettext as _

from ..extensions import db
from ..models.base import DomainError
from ..models.requisitions import Requisition
from ..models.tickets import Ticket
from ..services import parts as parts_service
from ..services import stock
from .actions import run_api
from .endpoints import api_action
from .parts_common import json_body


def _optional_ref(data: dict, key: str, model) -> int | None:
    """An optional foreign key in the body, checked to exist."""
    value = data.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, int) or isinstance(value, bool) or db.session.get(model, value) is None:
        raise DomainError({key: _("Unknown %(what)s.", what=key)})
    return value


def _posted(movements) -> dict:
    """The answer, built inside the unit of work (run_api), before its commit: the movements are still loaded
    (a commit expires them: one SELECT each to reload), and the first one's running balance is its
    part's balance in its warehouse, read under the row lock (no SUM query after the commit)."""
    first = movements[0]
    body = {"movement": stock.movement_dict(first),
            "balance": {"qty": first.balance_qty, "value": stock.money(first.balance_value)}}
    if len(movements) > 1:
        body["movements"] = [stock.movement_dict(m) for m in movements]
    return body


class StockApi(BaseApi):
    """Posting endpoints; every one runs the same service as the HTML forms."""

    resource_name = "stock"
    allow_browser_login = False
    openapi_spec_tag = "Stock"

    @api_action("/receive", "receive")
    def receive(self):
        """Post a purchase receipt (stock-in at the given unit cost)."""
        def run():
            data = json_body()
            mv = stock.receive(data.get("part"), data.get("warehouse"), data.get("qty"),
                               data.get("unit_cost"), data.get("reference"), note=data.get("note"))
            return _posted([mv])
        return run_api(self, run, 201)

    @api_action("/issue", "issue")
    def issue(self):
        """Issue parts FIFO; more than on hand → 409 and nothing written."""
        def run():
            data = json_body()
            ticket_id = _optional_ref(data, "ticket", Ticket)
            requisition_id = _optional_ref(data, "requisition", Requisition)
            if requisition_id is not None:
                mv = parts_service.issue_for_requisition(
                    requisition_id, data.get("part"), data.get("warehouse"), data.get("qty"),
                    data.get("reference"))
            else:
                mv = stock.issue(data.get("part"), data.get("warehouse"), data.get("qty"),
                                 data.get("reference"), ticket_id=ticket_id, note=data.get("note"))
            return _posted([mv])
        return run_api(self, run, 201)

    @api_action("/reverse/<int:pk>", "reverse")
    def reverse(self, pk):
        """Post the reversal of a movement (both legs of a transfer); twice → 409."""
        def run():
            data = request.get_json(silent=True) or {}
            reference = data.get("reference") if isinstance(data, dict) else None
            return _posted(parts_service.reverse_movement(pk, reference))
        return run_api(self, run, 201)

    @api_action("/transfer", "transfer")
    def transfer(self):
        """Move stock between two warehouses at its FIFO cost."""
        def run():
            data = json_body()
            out, inn = stock.transfer(data.get("part"), data.get("from_warehouse"),
                                      data.get("to_warehouse"), data.get("qty"), data.get("reference"))
            return _posted([out, inn])
        return run_api(self, run, 201)

    @api_action("/balance", "balance", methods=["GET"])
    def balance(self):
        """On hand of a part: one warehouse, or all when `warehouse` is omitted."""
        def run():
            part = request.args.get("part", type=int)
            warehouse = request.args.get("warehouse", type=int)
            stock.get_part(part)
            if "warehouse" in request.args:
                stock.get_warehouse(warehouse)
            qty, value = stock.balance(part, warehouse)
            return {"qty": qty, "value": stock.money(value)}
        return run_api(self, run)
