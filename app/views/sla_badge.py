"""The service level of a ticket as the lists and the ticket page show it: a coloured badge."""
from __future__ import annotations

from markupsafe import Markup

from ..models.sla import SlaState

_BADGE_CLASS = {SlaState.overdue: "label-danger", SlaState.due_soon: "label-warning"}


def sla_badge(state: str | None) -> Markup | str:
    """Formatter of the `sla_flag` column: FAB hands over the state's code ("" when on time)."""
    if not state:
        return ""
    code = SlaState(state)
    return Markup('<span class="label %s">%s</span>') % (_BADGE_CLASS[code], code.label)
