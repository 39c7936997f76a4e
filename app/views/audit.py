"""The audit trail, browsed and filtered by the Manager and Admin; nobody can change it."""
from __future__ import annotations

import json

from ..models import AuditLog
from .register_spec import Register, build


def _as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


# Read-only: the screen has only list and show as permissions, so add / edit / delete answer 403; the
# API routes GET list / item / _info / export.xlsx only, POST, PUT and DELETE do not exist (405).
AUDIT = Register(
    AuditLog, "audit_log", form=(), base_order=("at", "desc"),
    list=["at", "username", "action", "table_name", "record_id", "detail"],
    show=["at", "user_id", "username", "ip", "action", "table_name", "record_id", "changes", "detail"],
    search=["at", "username", "user_id", "action", "table_name", "record_id", "ip"],
    api_list=["id", "at", "user_id", "username", "action", "table_name", "record_id", "detail", "ip"],
    api_show=["changes"], api_search=["at", "username", "user_id", "action", "table_name", "record_id", "ip"],
    api_order=["at", "username", "action", "table_name"],
    screen={"base_permissions": ["can_list", "can_show"], "formatters_columns": {"changes": _as_json},
            "page_size": 50},
    api={"include_route_methods": {"get", "get_list", "info", "export_xlsx"},
         "base_permissions": ["can_get", "can_info"], "page_size": 50},
)
AuditLogView, AuditLogApi = build(AUDIT)
