"""Spare parts, stock and tools: manager charts and the parts keeper's / engineer's panels."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..charts import Chart
from ..clock import format_date, format_datetime
from ..models import (
    DefectiveReturn,
    MovementKind,
    Requisition,
    RequisitionStatus,
    ReturnStatus,
    StockBalance,
    StockMovement,
    Stocktake,
    StocktakeStatus,
    ToolLoan,
)
from ..security.roles import FIELD, KEEPER, MANAGER
from ..services.purchasing import reorder_list
from . import DASHBOARD_PERMISSION, Panel, add_chart, add_panel, add_section, add_table, link, only, record_list

TOP_N = 10
# net consumption: issues out minus unused parts brought back (both signed in the ledger)
CONSUMED = (MovementKind.issue, MovementKind.return_unused)


def consumed():
    return StockMovement.kind.in_(CONSUMED)


def reorder_rows(limit: int = 10) -> dict:
    """Parts at or below their reorder point, key parts first (purchasing.reorder_list)."""
    rows = reorder_list(limit=limit + 1)  # one more tells whether the list goes on
    return {
        "head": [_l("Part no."), _l("Name"), _l("Key part"), _l("On hand"), _l("Reorder point"),
                 _l("Suggested")],
        "rows": [{"url": link("PartView.show", pk=r.part.id),
                  "cells": [r.part.code, r.part.name, _l("Yes") if r.part.is_key else "", r.on_hand,
                            r.part.reorder_point, r.suggested]} for r in rows[:limit]],
        "total": len(rows) if len(rows) <= limit else limit + 1,
        "more": link("ReorderView.list"),
    }


def requisitions_to_issue(limit: int = 10) -> dict:
    """Approved requisitions not fully issued yet, oldest first."""
    return record_list(
        Requisition, Requisition.status.in_([RequisitionStatus.approved, RequisitionStatus.partially_issued]),
        order=[Requisition.approved_at.asc().nulls_last(), Requisition.id],
        cells=lambda r: [r.number, r.engineer, r.warehouse, r.status.label,
                         format_datetime(r.approved_at) or None],
        head=[_l("Requisition no."), _l("Engineer"), _l("Warehouse"), _l("Status"), _l("Approved at")],
        endpoint="RequisitionView.show", more="RequisitionView.list", limit=limit,
        options=only(Requisition.engineer, Requisition.warehouse))


def tool_loans(*where, limit: int = 10) -> dict:
    """Open tool loans matching `where`, by due date."""
    return record_list(
        ToolLoan, ToolLoan.returned_at.is_(None), *where, order=[ToolLoan.due_on, ToolLoan.id],
        cells=lambda t: [t.tool, t.borrower, format_date(t.due_on)],
        head=[_l("Tool"), _l("Borrower"), _l("Due on")], endpoint="ToolLoanView.show", limit=limit,
        deadline=lambda t: t.due_on,
        options=only(ToolLoan.tool, ToolLoan.borrower))


def running_stocktakes(limit: int = 10) -> dict:
    """Stocktakes being counted or waiting for approval."""
    return record_list(
        Stocktake, Stocktake.status.in_([StocktakeStatus.counting, StocktakeStatus.submitted]),
        order=[Stocktake.started_at, Stocktake.id],
        cells=lambda s: [s.number, s.warehouse, s.status.label, format_datetime(s.started_at)],
        head=[_l("Stocktake no."), _l("Warehouse"), _l("Status"), _l("Started at")],
        endpoint="StocktakeView.show", more="StocktakeView.list", limit=limit,
        options=only(Stocktake.warehouse))


def parts_owed(my_ids=None, limit: int = 10) -> dict:
    """Faulty parts not yet back in the store: the engineer's own still to hand back, or (the keeper)
    everyone's, handed back or still owed, one row per unit."""
    mine = [DefectiveReturn.engineer_id.in_(my_ids)] if my_ids is not None else []
    waiting = [ReturnStatus.owed] if mine else [ReturnStatus.owed, ReturnStatus.handed_back]
    return record_list(
        DefectiveReturn, DefectiveReturn.status.in_(waiting), *mine,
        order=[DefectiveReturn.id],
        cells=lambda d: [d.part, d.requisition.number] + ([] if mine else [d.engineer, d.status.label]),
        head=[_l("Part"), _l("Requisition no.")] + ([] if mine else [_l("Engineer"), _l("Status")]),
        endpoint="DefectiveReturnView.show", more=None if mine else "DefectiveReturnView.list", limit=limit,
        options=only(DefectiveReturn.part, DefectiveReturn.requisition,
                     *([] if mine else [DefectiveReturn.engineer])))


add_section("parts", _l("Spare parts and stock"))
add_chart(Chart("parts_consumption_qty", StockMovement, _l("Parts consumption, top 10 by quantity"),
                dimension="part.name", measure="sum", value_column=lambda: -StockMovement.qty,
                where=consumed, period_column="posted_at", kind="hbar", limit=TOP_N,
                unit_label=_l("Quantity"), permission=DASHBOARD_PERMISSION), section="parts", width=4)
add_chart(Chart("parts_consumption_value", StockMovement, _l("Parts consumption, top 10 by value"),
                dimension="part.name", measure="sum", value_column=lambda: -StockMovement.value,
                where=consumed, period_column="posted_at", kind="hbar", limit=TOP_N,
                unit_label=_l("Value"), permission=DASHBOARD_PERMISSION), section="parts", width=4)
add_chart(Chart("stock_value_by_warehouse", StockBalance, _l("Stock value by warehouse"),
                dimension="warehouse.name", measure="sum", value_column="value", kind="pie",
                unit_label=_l("Value"), permission=DASHBOARD_PERMISSION), section="parts", width=4)
add_table("reorder", _l("Parts below reorder point (key parts first)"), "parts",
          rows=lambda ctx: reorder_rows(), template="panels/records.html", width=12)

add_panel(Panel("requisitions_to_issue", _l("Requisitions to issue"), {KEEPER}, order=10,
                rows=lambda ctx: requisitions_to_issue(), template="panels/records.html"))
add_panel(Panel("reorder", _l("Parts at or below reorder point"), {KEEPER, MANAGER}, order=20,
                rows=lambda ctx: reorder_rows(), template="panels/records.html"))
add_panel(Panel("overdue_tool_loans", _l("Overdue tool loans"), {KEEPER}, order=30,
                rows=lambda ctx: tool_loans(ToolLoan.due_on < ctx["today"]),
                template="panels/records.html"))
add_panel(Panel("running_stocktakes", _l("Running stocktakes"), {KEEPER}, order=40,
                rows=lambda ctx: running_stocktakes(), template="panels/records.html"))
add_panel(Panel("parts_owed", _l("Parts I owe back (defective returns)"), {FIELD}, order=30,
                rows=lambda ctx: parts_owed(ctx["my_staff_ids"]), template="panels/records.html"))
add_panel(Panel("faulty_parts_owed", _l("Faulty parts owed to the store"), {KEEPER}, order=15,
                rows=lambda ctx: parts_owed(), template="panels/records.html"))
add_panel(Panel("tools_held", _l("Tools I hold"), {FIELD}, order=40,
                rows=lambda ctx: tool_loans(ToolLoan.borrower_id.in_(ctx["my_staff_ids"])),
                template="panels/records.html"))
