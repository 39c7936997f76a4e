"""Status workflows as data: allowed moves and the roles that may make them."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..models.base import DomainError
from ..security.roles import ADMIN


@dataclass(frozen=True)
class Move:
    """One allowed status change and the roles that may make it."""

    source: str
    target: str
    roles: frozenset[str]


def find_move(moves: list[Move], source: str, target: str, roles: set[str] | None) -> Move:
    """The move from source to target, checked against the roles (None = no role check)."""
    for move in moves:
        if move.source == source and move.target == target:
            if roles is not None and ADMIN not in roles and not (roles & move.roles):
                raise DomainError(_("Your role may not make this change."), status=403)
            return move
    raise DomainError({"to": _("Cannot move from %(a)s to %(b)s.", a=source, b=target)}, status=409)


def targets(moves: list[Move], source: str, roles: set[str]) -> list[str]:
    """The statuses the given roles may move to from source (for the buttons)."""
    return [
        m.target for m in moves
        if m.source == source and (ADMIN in roles or roles & m.roles)
    ]
