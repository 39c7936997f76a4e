"""Stock Flask-AppBuilder on the project's tables: what FAB gives out of the box, for bench/pages.py.

Plain `ModelView` / `ModelRestApi` over `SQLAInterface`, FAB's own security manager, index view,
templates and settings, built with FAB's normal flow (`AppBuilder(app, session)`, which creates
its roles and syncs its permissions). The views keep the project's view names, so both apps
answer the same URLs with the same query arguments (`page_TicketView`, `_oc_StockMovementView`),
and the project's column lists (list, search, sort, default order), so both show the same thing.

The models are the project's (same tables, same `lazy="joined"` many-to-ones), read through a
plain SQLAlchemy session (none of the project's session class). FAB's security tables (roles,
permissions, its admin login) live in an SQLite file of their own: in the shared ab_* tables
FAB's start-up permission sync and the project's would delete each other's rows. Stock
ModelRestApi cannot list a bare foreign-key column (`ticket_id`: KeyError in its schema), so
its movement API lists the project's columns less those, `posted_by_id` as `posted_by.id`.
"""
from __future__ import annotations

import secrets
import tempfile

import sqlalchemy as sa
from flask import Flask
from flask_appbuilder import AppBuilder, ModelView
from flask_appbuilder.api import ModelRestApi
from flask_appbuilder.models.sqla import Model
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from sqlalchemy.sql.util import find_tables

STOCK_ADMIN = "stockadmin"


def _views():
    """Classes built on call: importing app.views (for its column lists) needs the models first."""
    from app.models import StockMovement, Ticket
    from app.views.stock import StockMovementApi as OurMovementApi
    from app.views.stock import StockMovementView as OurMovementView
    from app.views.tickets import TicketApi as OurTicketApi
    from app.views.tickets import TicketView as OurTicketView

    def same_columns(ours) -> dict:
        return {name: getattr(ours, name) for name in ("list_columns", "search_columns", "order_columns",
                                                       "base_order")}

    ticket_view = type("TicketView", (ModelView,), {"datamodel": SQLAInterface(Ticket), **same_columns(OurTicketView)})
    movement_view = type("StockMovementView", (ModelView,), {
        "datamodel": SQLAInterface(StockMovement), "base_permissions": ["can_list", "can_show"],
        **same_columns(OurMovementView)})
    ticket_api = type("TicketApi", (ModelRestApi,), {
        "datamodel": SQLAInterface(Ticket), "resource_name": "ticket", **same_columns(OurTicketApi)})
    movement_columns = same_columns(OurMovementApi)
    movement_columns["list_columns"] = [
        "posted_by.id" if c == "posted_by_id" else c for c in movement_columns["list_columns"]
        if c == "posted_by_id" or not c.endswith("_id")]
    movement_api = type("StockMovementApi", (ModelRestApi,), {
        "datamodel": SQLAInterface(StockMovement), "resource_name": "stock_movement",
        "base_permissions": ["can_get", "can_info"], **movement_columns})
    return ticket_view, movement_view, ticket_api, movement_api


class _SecurityApart(Session):
    """Plain SQLAlchemy session; a statement on FAB's security models alone goes to their own file."""

    main: sa.engine.Engine
    security: sa.engine.Engine

    def get_bind(self, mapper=None, clause=None, **_kw):
        if mapper is not None:
            tables = [sa.inspect(mapper).local_table]
        else:
            tables = find_tables(clause) if clause is not None else []
        if tables and all(t.name.startswith("ab_") for t in tables):
            return self.security
        return self.main


def _session(url: str):
    """The data from `url`; FAB's security tables in a fresh SQLite file (created as FAB creates them)."""
    security = sa.create_engine(f"sqlite:///{tempfile.mkdtemp()}/stock_fab_security.db")
    Model.metadata.create_all(security, tables=[t for n, t in Model.metadata.tables.items() if n.startswith("ab_")])
    session_class = type("StockSession", (_SecurityApart,), {"main": sa.create_engine(url), "security": security})
    return scoped_session(sessionmaker(class_=session_class))


def create_stock_app(url: str, password: str) -> Flask:
    """A stock FAB app on the database at `url`, with an admin login `stockadmin` / `password`."""
    app = Flask("stock_fab")
    app.config.update(SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=secrets.token_hex(16))
    from app.extensions import db

    db.init_app(app)  # only for model properties that read (Ticket.sla_flag reads the SLA policies)
    session = _session(url)
    app.teardown_appcontext(lambda _exc: session.remove())
    with app.app_context():
        appbuilder = AppBuilder(app, session)
        ticket_view, movement_view, ticket_api, movement_api = _views()
        appbuilder.add_view(ticket_view, "Tickets", category="Service")
        appbuilder.add_view(movement_view, "Stock ledger", category="Parts")
        appbuilder.add_api(ticket_api)
        appbuilder.add_api(movement_api)
        sm = appbuilder.sm
        sm.add_user(STOCK_ADMIN, "Stock", "Admin", "stockadmin@bench.invalid", sm.find_role("Admin"), password)
    return app
