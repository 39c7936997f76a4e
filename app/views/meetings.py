"""Screens and APIs of the weekly technical meeting minutes and their action items."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..models import ActionItem, Meeting
from .register_spec import Register, build

MEETING_FORM = ["held_on", "title", "location", "host", "attendees", "discussion", "decisions"]
ACTION_FORM = ["meeting", "description", "owner", "due_on", "done", "done_on"]


def _overdue(value) -> Markup | str:
    """The overdue flag on lists of action items."""
    if not value:
        return ""
    return Markup('<span class="label label-warning">%s</span>') % escape(str(_l("Overdue")))


ACTION_ITEM = Register(
    ActionItem, "action_item", form=ACTION_FORM, base_order=("due_on", "asc"),
    list=["description", "owner", "due_on", "done", "done_on", "overdue", "meeting"],
    search=["description", "owner_id", "due_on", "done", "meeting_id"],
    api_list=["id", "meeting.id", "meeting.held_on", "description", "owner.id", "owner.name", "due_on", "done",
              "done_on"],
    api_show=["created_at"], api_search=["meeting", "owner", "due_on", "done"], api_order=["due_on", "done"],
    screen={"label_columns": {"overdue": _l("Overdue")}, "formatters_columns": {"overdue": _overdue}},
)
ActionItemView, ActionItemApi = build(ACTION_ITEM)

MEETING = Register(
    Meeting, "meeting", form=MEETING_FORM, base_order=("held_on", "desc"),
    list=["held_on", "title", "host", "location"], show=MEETING_FORM + ["created_at"],
    search=["held_on", "title", "discussion", "decisions", "host_id"],
    api_list=["id", "held_on", "title", "location", "host.id", "host.name"],
    # attendees as ids and names: a second nested Staff schema would clash with `host` in the OpenAPI document
    api_show=["attendee_ids", "attendee_names", "discussion", "decisions", "created_at"],
    api_search=["held_on", "title", "discussion", "decisions", "host"], api_order=["held_on", "title"],
    screen={"related_views": [ActionItemView], "show_template": "appbuilder/general/model/show_cascade.html"},
)
MeetingView, MeetingApi = build(MEETING)
