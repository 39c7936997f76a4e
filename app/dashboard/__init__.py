"""What the dashboard and the role home pages show: registries filled by each area's module.

An area adds a chart to the manager dashboard with `add_chart(Chart(...), section=...)`,
a server-rendered list with `add_table(...)`, and a home-page panel with `add_panel(...)`;
its module is then imported in `load()` below (docs/CHARTS.md).
"""
# ruff: noqa: I001 - areas load in page order
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from ..charts import Chart, register

# Who may see the manager dashboard may see the charts drawn only there.
DASHBOARD_PERMISSION = ("DashboardView", "can_list")

# Sections in page order; an area may add its own with add_section().
SECTIONS: dict[str, Any] = {
    "tickets": _l("Service requests"),
    "service_levels": _l("Service levels"),
    "faults": _l("Fault hot spots"),
    "customers": _l("Customers"),
}


@dataclass
class Widget:
    """One tile of the dashboard: a chart (drawn by the browser) or a table (rendered here)."""

    name: str
    title: Any
    section: str
    width: int = 6  # Bootstrap columns out of 12
    chart: Chart | None = None
    rows: Callable[[dict], Any] | None = None  # table: ctx -> rows
    template: str | None = None  # table: Jinja snippet receiving `rows`
    permission: tuple[str, str] | None = None


@dataclass
class Panel:
    """A home-page panel of some roles: a small query and the snippet that shows its rows."""

    name: str
    title: Any
    roles: set[str]
    rows: Callable[[dict], Any]
    template: str
    order: int = 100


WIDGETS: list[Widget] = []
PANELS: list[Panel] = []


def add_section(key: str, title) -> None:
    SECTIONS.setdefault(key, title)


def add_chart(chart: Chart, section: str, width: int = 6) -> Chart:
    """Register a chart and put it on the manager dashboard."""
    register(chart)
    WIDGETS.append(Widget(chart.name, chart.title, section, width, chart=chart))
    return chart


def add_table(name: str, title, section: str, rows: Callable[[dict], Any], template: str,
              width: int = 12, permission: tuple[str, str] | None = DASHBOARD_PERMISSION) -> None:
    """Put a server-rendered list on the manager dashboard."""
    WIDGETS.append(Widget(name, title, section, width, rows=rows, template=template,
                          permission=permission))


def add_panel(panel: Panel) -> None:
    """Add a panel to the home page of the panel's roles."""
    PANELS.append(panel)
    PANELS.sort(key=lambda p: p.order)


def link(endpoint: str, **values) -> str | None:
    """URL of a record's page, or None when that view is not registered."""
    from flask import current_app, url_for

    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def only(*relations) -> tuple:
    """Loader options: join just the relations a list shows, nothing of theirs, nothing else.

    The models' default eager joins (a plan's customer, equipment, engineer …) made PostgreSQL
    spend tens of milliseconds planning each list query.
    """
    from sqlalchemy import orm

    return tuple(orm.joinedload(rel).lazyload("*") for rel in relations) + (orm.lazyload("*"),)


def record_list(model, *where, order, cells: Callable[[Any], list], head: list,
                endpoint: str | None = None, more: str | None = None, limit: int = 10,
                options=(), deadline: Callable[[Any], Any] | None = None) -> dict:
    """A bounded list for panels/records.html: the first `limit` rows (2 SQL: count + rows).

    `deadline(row)` (a date or UTC datetime) marks the row overdue / due today (marks.due_mark).
    """
    from .marks import due_mark

    import sqlalchemy as sa

    from ..extensions import db

    total = db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
    rows = db.session.scalars(sa.select(model).options(*options).where(*where)
                              .order_by(*order).limit(limit)).unique().all()
    return {
        "head": head,
        "rows": [{"url": link(endpoint, pk=r.id) if endpoint else None, "cells": cells(r),
                  "mark": due_mark(deadline(r)) if deadline else None} for r in rows],
        "total": total,
        "more": link(more) if more else None,
    }


_loaded = False


def load() -> None:
    """Import every area's declarations once (called when the views are registered)."""
    global _loaded
    if _loaded:
        return
    from . import customers, tickets  # noqa: F401  (one line per area)
    from . import admin, approvals, complaints, parts, registers, ticket_work  # noqa: F401

    _loaded = True
