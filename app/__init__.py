"""After-sales service desk: the application factory."""
from __future__ import annotations

import logging

from flask import Flask
from flask_appbuilder import AppBuilder
from flask_wtf.csrf import CSRFProtect

from config import BaseConfig, config_from_env

from .extensions import db, migrate

log = logging.getLogger(__name__)


def create_app(config: type[BaseConfig] | None = None) -> Flask:
    """Build the Flask app for the given config class (default: from APP_CONFIG)."""
    config = config or config_from_env()
    if hasattr(config, "init"):
        config.init()
    app = Flask(__name__)
    app.config.from_object(config)
    # Flask-Limiter (FAB's login limit) counts in Redis when there is one: one limit for all servers.
    app.config["RATELIMIT_STORAGE_URI"] = (
        app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL") or "memory://")

    from .logs import init_logging

    init_logging(app)
    from .views.api_time import ZonedJSONProvider

    app.json = ZonedJSONProvider(app)

    from .security.policy import fab_roles

    app.config["FAB_ROLES"] = fab_roles()

    from . import models  # noqa: F401  (registers every table on db.metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    # CSRF protection of this app alone (app.extensions["csrf"], where FAB exempts each API's
    # blueprint): one shared by every app kept each app's blueprints, and through them its
    # views, for the life of the process (~56,000 objects per app, scanned by every full garbage
    # collection of a test run that builds dozens of apps)
    csrf = CSRFProtect(app)
    from . import figures

    figures.init_app(app)  # dashboard and KPI figures kept across requests, dropped on every save

    from .views.date_entry import init_app as init_date_entry

    init_date_entry(app)  # before AppBuilder builds any form, FAB's own views included
    with app.app_context():
        # AppBuilder is created per app: a module-level instance broke a second app (STACK_NOTES).
        # FAB's per-view permission sync is replaced by one diff at the end (app/security/sync.py)
        sync_permissions = _schema_ready() and app.config.get("FAB_UPDATE_PERMS", True)
        appbuilder = AppBuilder(update_perms=False)
        appbuilder.init_app(app, db.session)
        from .views import register_views

        register_views(appbuilder)
        from . import notifications

        notifications.init_app(app)
        from .services import knowledge

        knowledge.init_app(app)  # revision history on every save of an article
        from .services import kpi_figures

        kpi_figures.install()  # the KPI summary's hourly figures, computed again before each commit
        appbuilder.post_init()
        if sync_permissions:
            appbuilder.sm.sync_if_changed()

    from .i18n import init_i18n

    init_i18n(app)
    from . import clock

    # our templates show times as every list does: {{ t.received_at|local_datetime }}
    app.jinja_env.filters.update(local_datetime=clock.format_datetime, local_date=clock.format_date)
    from .cli import register_cli
    from .views.health import health_bp

    csrf.exempt(health_bp)
    app.register_blueprint(health_bp)
    from .views.favicon import favicon_bp

    app.register_blueprint(favicon_bp)
    register_cli(app)

    from .security.web import init_app as init_security  # audit trail, headers, security CLI
    from .views.errors import error_page

    init_security(app, error_page)
    from .jobs import enabled as jobs_enabled
    from .jobs import kinds as job_kinds  # noqa: F401  (what a job makes: the list export, the report)
    from .sweep.timer import install as install_sweep_timer

    app.jinja_env.globals["jobs_enabled"] = jobs_enabled
    from .views.table_export import init_app as init_table_export

    init_table_export(app)  # the "Export to Excel" button of the pages that are not model lists
    from .views.lookup_fields import init_app as init_lookup_boxes

    init_lookup_boxes(app)  # `lookup_box(...)`: the search boxes of the hand-made forms
    from .views.html_attributes import install as install_html_attributes

    install_html_attributes()  # WTForms' input attributes written without str.format, same text
    from .views.navbar import init_app as init_navbar
    from .views.rison_check import install as install_rison_check

    install_rison_check()  # FAB's `q` checks with a validator built once, not on every request

    init_navbar(app)  # the navbar's menu, drawn once per entries shown and language
    from .views.asset_urls import install as install_asset_urls

    install_asset_urls(app)  # the layout's stylesheet and script links, made once per root
    from .views.list_cursor import install as install_page_cursors

    install_page_cursors(app)  # the pager's links to deep pages say where each page starts

    install_sweep_timer(app)
    return app


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _schema_ready() -> bool:
    """True when the FAB tables exist (after `flask db upgrade`); permissions are synced then."""
    from sqlalchemy import inspect

    try:
        return inspect(db.engine).has_table("ab_permission_view")
    except Exception:  # an unreachable database must not stop `flask db …` from starting
        log.warning("database not reachable at start-up", exc_info=True)
        return False
