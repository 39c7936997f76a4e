"""Status workflows as data: allowed moves and the roles that may make them.

Every status machine of the department — tickets, complaints, upgrade requests, the registers'
WorkflowView — is a `Workflow`: the moves as a table (source, target, roles), checked and offered
the same way. Admin may make every move.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ..models.base import DomainError
from ..security.roles import ADMIN


@dataclass(frozen=True)
class Move:
    """One allowed status change and the roles that may make it."""

    source: str
    target: str
    roles: frozenset[str]


def _label(status: str) -> str:
    return str(getattr(status, "label", status))


@dataclass(frozen=True)
class Workflow:
    """The moves of one status machine. `illegal` / `forbidden` are the sentences (with %(a)s, %(b)s:
    the labels of the two statuses; also %(frm)s, %(to)s) for a move that does not exist (409) and one the role may not
    make (403); `field` is the form field an illegal move is reported on ("" = the whole record)."""

    moves: tuple[Move, ...]
    illegal: object = field(default=_l("Cannot move from %(a)s to %(b)s."))
    forbidden: object = field(default=_l("Your role may not make this change."))
    field: str = "to"

    def find(self, source: str, target: str, roles: set[str] | None) -> Move:
        """The move from source to target, checked against the roles (None = no role check)."""
        labels = {"a": _label(source), "b": _label(target)}
        labels.update(frm=labels["a"], to=labels["b"])
        for move in self.moves:
            if move.source == source and move.target == target:
                if roles is not None and ADMIN not in roles and not (roles & move.roles):
                    raise DomainError(str(self.forbidden) % labels, status=403)
                return move
        raise DomainError({self.field: str(self.illegal) % labels}, status=409)

    def targets(self, source: str, roles: set[str]) -> list[str]:
        """The statuses the given roles may move to from source (for the buttons), in table order."""
        return [m.target for m in self.moves if m.source == source and (ADMIN in roles or roles & m.roles)]

