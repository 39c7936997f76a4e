"""Mixed into every record screen: a view with `attachment_record = "<resource>"` shows the
record's photos and documents (gallery, camera upload, download) under its fields."""
from __future__ import annotations


class GalleryMixin:
    attachment_record: str | None = None  # the resource name attachments use for this screen's records

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        widgets = super()._get_show_widget(pk, item, widgets, actions, show_fieldsets)
        record = type(self).attachment_record
        if record is not None:
            from .attachments import gallery  # late: the attachments views build on the base views

            widgets["show"].template_args["gallery"] = gallery(record, pk)
        return widgets
