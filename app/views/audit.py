"""The audit trail, browsed and filtered by the Manager and Admin; nobody can change it."""
from __future__ import annotations

import json

from ..models import AuditLog
from .base import ServiceModelView
from .interface import ServiceInterface
from .service_api import ServiceApi


def _as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


class AuditLogView(ServiceModelView):
    """Read-only: only list and show exist as permissions, so add / edit / delete answer 403."""

    datamodel = ServiceInterface(AuditLog)
    base_permissions = ["can_list", "can_show"]
    list_columns = ["at", "username", "action", "table_name", "record_id", "detail"]
    show_columns = ["at", "user_id", "username", "ip", "action", "table_name", "record_id", "changes", "detail"]
    search_columns = ["at", "username", "user_id", "action", "table_name", "record_id", "ip"]
    base_order = ("at", "desc")
    formatters_columns = {"changes": _as_json}
    page_size = 50


class AuditLogApi(ServiceApi):
    """GET list / item / _info / export.xlsx only; POST, PUT and DELETE do not exist (405)."""

    resource_name = "audit_log"
    datamodel = ServiceInterface(AuditLog)
    include_route_methods = {"get", "get_list", "info", "export_xlsx"}
    base_permissions = ["can_get", "can_info"]
    list_columns = ["id", "at", "user_id", "username", "action", "table_name", "record_id", "detail", "ip"]
    show_columns = list_columns + ["changes"]
    search_columns = ["at", "username", "user_id", "action", "table_name", "record_id", "ip"]
    order_columns = ["at", "username", "action", "table_name"]
    base_order = ("at", "desc")
    page_size = 50
