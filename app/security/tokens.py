"""API tokens (Flask-JWT-Extended): a token version per login, and 401 JSON for every bad token.

Every access and refresh token carries the login's `token_version` (claim `tv`); the
blocklist check compares it with the stored one, so raising the version (password reset,
lockout, role change, deactivation: `revoke_tokens`) ends every token issued before.
A bad, tampered, expired or revoked token answers 401 `{"message": …}` (the library's
default is 422 `{"msg": …}`).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response, current_app, g, jsonify
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload

from ..extensions import db
from ..models.sessions import LoginGuard

CLAIM = "tv"


def token_version(user_id: int | str | None, session: Session | None = None) -> int:
    if user_id is None:
        return 0
    on = session or db.session
    value = on.scalar(sa.select(LoginGuard.token_version).where(LoginGuard.user_id == int(user_id)))
    return value or 0


def revoke_tokens(user_id: int, session: Session | None = None) -> None:
    """Every API token of the login issued until now stops working (flushed with the session)."""
    on = session or db.session
    guard = on.get(LoginGuard, user_id)
    if guard is None:
        on.add(LoginGuard(user_id=user_id, token_version=1))
    else:
        guard.token_version = (guard.token_version or 0) + 1


def _claims(identity: int | str | None) -> dict[str, int]:
    return {CLAIM: token_version(identity)}


def _revoked(jwt_header: dict[str, Any], jwt_payload: dict[str, Any]) -> bool:
    return bool(jwt_payload.get(CLAIM) != _version_loading_the_login(jwt_payload.get("sub")))


def _version_loading_the_login(sub: object) -> int:
    """The stored version, read by the statement that also loads the login with its roles and
    groups: the user lookup that follows the check finds it in the session (one statement per API
    call instead of two)."""
    try:
        user_id = int(str(sub))
    except ValueError:
        return 0
    model = current_app.appbuilder.sm.user_model  # type: ignore[attr-defined]
    row = db.session.execute(_login_statement(model), {"user": user_id}).unique().first()
    if row is None:
        return 0
    g.jwt_login = row[0]  # the session's identity map holds objects weakly: keep it for the lookup
    return row[1] or 0


_LOGIN_STATEMENTS: dict[type, Any] = {}


def _login_statement(model: type) -> Any:
    """Built once per user model, with a bind parameter: building it and its cache key on every API
    call cost a third of the statement's CPU."""
    stmt = _LOGIN_STATEMENTS.get(model)
    if stmt is None:
        stmt = _LOGIN_STATEMENTS[model] = (
            sa.select(model, LoginGuard.token_version)
            .outerjoin(LoginGuard, LoginGuard.user_id == model.id)  # type: ignore[attr-defined]
            .options(joinedload(model.roles), joinedload(model.groups))  # type: ignore[attr-defined]
            .where(model.id == sa.bindparam("user", type_=sa.Integer)))  # type: ignore[attr-defined]
    return stmt


def _answer(message: str) -> Response:
    response = jsonify(message=message)
    response.status_code = 401
    return response


def install(jwt_manager: Any) -> None:  # flask_jwt_extended's JWTManager
    """Register the version claim, the revocation check and the 401 answers."""
    jwt_manager.additional_claims_loader(_claims)
    jwt_manager.token_in_blocklist_loader(_revoked)
    jwt_manager.invalid_token_loader(lambda reason: _answer(_("The access token is not valid.")))
    jwt_manager.expired_token_loader(lambda header, payload: _answer(_("The access token has expired.")))
    jwt_manager.revoked_token_loader(lambda header, payload: _answer(
        _("The access token is no longer valid: log in again.")))
    jwt_manager.unauthorized_loader(lambda reason: _answer(_("An access token is required.")))
    jwt_manager.needs_fresh_token_loader(lambda header, payload: _answer(_("A fresh login is required.")))
    jwt_manager.user_lookup_error_loader(lambda header, payload: _answer(
        _("The access token is no longer valid: log in again.")))
    jwt_manager.token_verification_failed_loader(lambda header, payload: _answer(
        _("The access token is not valid.")))
