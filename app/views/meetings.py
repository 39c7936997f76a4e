"""Screens and APIs of the weekly technical meeting minutes and their action items."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..models import ActionItem, Meeting
from .base import ServiceModelView
from .interface import ServiceInterface
from .service_api import ServiceApi

MEETING_FORM = ["held_on", "title", "location", "host", "attendees", "discussion", "decisions"]
ACTION_FORM = ["meeting", "description", "owner", "due_on", "done", "done_on"]


def _overdue(value) -> Markup | str:
    """The overdue flag on lists of action items."""
    if not value:
        return ""
    return Markup('<span class="label label-warning">%s</span>') % escape(str(_l("Overdue")))


class ActionItemView(ServiceModelView):
    datamodel = ServiceInterface(ActionItem)
    list_columns = ["description", "owner", "due_on", "done", "done_on", "overdue", "meeting"]
    label_columns = {"overdue": _l("Overdue")}
    formatters_columns = {"overdue": _overdue}
    add_columns = edit_columns = ACTION_FORM
    search_columns = ["description", "owner_id", "due_on", "done", "meeting_id"]
    base_order = ("due_on", "asc")


class MeetingView(ServiceModelView):
    datamodel = ServiceInterface(Meeting)
    list_columns = ["held_on", "title", "host", "location"]
    show_columns = MEETING_FORM + ["created_at"]
    add_columns = edit_columns = MEETING_FORM
    search_columns = ["held_on", "title", "discussion", "decisions", "host_id"]
    base_order = ("held_on", "desc")
    related_views = [ActionItemView]
    show_template = "appbuilder/general/model/show_cascade.html"


class MeetingApi(ServiceApi):
    resource_name = "meeting"
    datamodel = ServiceInterface(Meeting)
    list_columns = ["id", "held_on", "title", "location", "host.id", "host.name"]
    # attendees as ids and names: a second nested Staff schema would clash with `host` in the OpenAPI document
    show_columns = list_columns + ["attendee_ids", "attendee_names", "discussion", "decisions", "created_at"]
    add_columns = edit_columns = MEETING_FORM
    search_columns = ["held_on", "title", "discussion", "decisions", "host"]
    order_columns = ["held_on", "title"]
    base_order = ("held_on", "desc")


class ActionItemApi(ServiceApi):
    resource_name = "action_item"
    datamodel = ServiceInterface(ActionItem)
    list_columns = ["id", "meeting.id", "meeting.held_on", "description", "owner.id", "owner.name",
                    "due_on", "done", "done_on"]
    show_columns = list_columns + ["created_at"]
    add_columns = edit_columns = ACTION_FORM
    search_columns = ["meeting", "owner", "due_on", "done"]
    order_columns = ["due_on", "done"]
    base_order = ("due_on", "asc")
