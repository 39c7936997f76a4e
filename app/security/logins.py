"""Changes to logins and roles: audited (who, when, before → after) and ending the login's tokens.

FAB's ab_user / ab_role rows are not domain records, so the record audit skips them; this
`before_flush` listener covers every path that changes them (users screen, roles screen, FAB's
CLI, the security manager): a login added, edited, deactivated, deleted, its roles changed; a
role's permissions changed. Password hashes never enter the trail (only "changed"), nor the
login counters FAB writes at every login. A password, role or active change raises the
login's token version (app/security/tokens.py), so its API tokens stop working.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import Role, User
from sqlalchemy.orm import Session, UOWTransaction

from ..models.audit import AuditAction, AuditLog
from ..models.base import utcnow
from . import audit, tokens

# Columns of ab_user the trail shows; the password only as "changed".
USER_FIELDS = ("username", "first_name", "last_name", "email", "active")
SECRET = "(changed)"
# What ends a login's tokens when it changes.
REVOKING = ("password", "active", "roles")


def _names(items: Iterable[object] | None) -> list[str]:
    return sorted(str(item) for item in items or ())


def _collection_change(obj: object, key: str) -> list[list[str]] | None:
    hist = sa.inspect(obj).attrs[key].history
    if not hist.has_changes():
        return None
    now = list(hist.unchanged or ()) + list(hist.added or ())
    before = list(hist.unchanged or ()) + list(hist.deleted or ())
    old, new = _names(before), _names(now)
    return [old, new] if old != new else None


def _column_change(obj: object, key: str) -> list[Any] | None:
    hist = sa.inspect(obj).attrs[key].history
    if not hist.has_changes():
        return None
    old = hist.deleted[0] if hist.deleted else None
    new = hist.added[0] if hist.added else None
    if old == new:
        return None
    if key == "password":
        return [None, SECRET]
    return [audit._plain(old), audit._plain(new)]


def _user_changes(user: User, action: AuditAction) -> dict[str, list[Any]]:
    if action is AuditAction.insert:
        out: dict[str, list[Any]] = {key: [None, audit._plain(getattr(user, key))] for key in USER_FIELDS}
        out["roles"] = [[], _names(user.roles)]
        if user.password:
            out["password"] = [None, "(set)"]
        return out
    if action is AuditAction.delete:
        return {key: [audit._plain(getattr(user, key)), None] for key in USER_FIELDS} | {
            "roles": [_names(user.roles), []]}
    out = {}
    for key in (*USER_FIELDS, "password"):
        change = _column_change(user, key)
        if change:
            out[key] = change
    change = _collection_change(user, "roles")
    if change:
        out["roles"] = change
    return out


def _role_changes(role: Role, action: AuditAction) -> dict[str, list[Any]]:
    if action is AuditAction.insert:
        return {"name": [None, role.name], "permissions": [[], _names(role.permissions)]}
    if action is AuditAction.delete:
        return {"name": [role.name, None], "permissions": [_names(role.permissions), []]}
    out: dict[str, list[Any]] = {}
    change = _column_change(role, "name")
    if change:
        out["name"] = change
    change = _collection_change(role, "permissions")
    if change:
        out["permissions"] = change
    return out


def _before_flush(session: Session, flush_context: UOWTransaction, instances: object) -> None:
    if session.info.get("audit_disabled"):
        return
    uid, username, ip = audit._who()
    rows = []
    for objs, action in ((session.new, AuditAction.insert), (session.dirty, AuditAction.update),
                         (session.deleted, AuditAction.delete)):
        for obj in list(objs):
            if isinstance(obj, User):
                changes, table = _user_changes(obj, action), "ab_user"
                if action is AuditAction.update and obj.id and any(k in changes for k in REVOKING):
                    tokens.revoke_tokens(obj.id, session)
            elif isinstance(obj, Role):
                changes, table = _role_changes(obj, action), "ab_role"
            else:
                continue
            if not changes:
                continue
            rows.append({"obj": obj, "action": action.value, "table_name": table, "changes": changes})
    if rows:
        session.info.setdefault("login_audit", []).extend(rows)
        session.info["login_audit_actor"] = (uid, username, ip)


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    rows = session.info.pop("login_audit", None)
    uid, username, ip = session.info.pop("login_audit_actor", (None, None, None))
    if not rows:
        return
    now = utcnow()
    session.connection().execute(sa.insert(AuditLog.__table__), [{
        "at": now, "user_id": uid, "username": username, "action": row["action"],
        "table_name": row["table_name"], "record_id": str(row["obj"].id or "")[:64] or None,
        "changes": row["changes"], "ip": ip,
        "detail": (f"login {row['obj'].username}" if row["table_name"] == "ab_user"
                   else f"role {row['obj'].name}")[:500],
    } for row in rows])


def install() -> None:
    """Listen on every Session (idempotent)."""
    if not sa.event.contains(Session, "before_flush", _before_flush):
        sa.event.listen(Session, "before_flush", _before_flush)
        sa.event.listen(Session, "after_flush", _after_flush)
