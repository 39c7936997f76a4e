"""After a screen's add or edit: the record's own page, with a message that names the record.

FAB flashes "Added Row" / "Changed Row" and goes back to the previous page (the list or home),
so whoever opened a ticket never saw its number. The datamodel remembers the row it just saved
(for this request only); FAB's success message then names the record, and the view opens its
show page, or keeps FAB's redirect where the view has no show page the user may see.
"""
from __future__ import annotations

from flask import g, has_request_context, redirect, url_for
from flask_babel import gettext

from .list_query import PagedInterface
from .record_names import record_name

SAVED_KEY = "_saved_record"
NAME_LIMIT = 80  # a long title would fill the message bar: cut it


class SavedRecordInterface(PagedInterface):
    """SQLAInterface that remembers the row the request's add / edit committed."""

    def add(self, item, commit: bool = True) -> None:
        super().add(item, commit=commit)
        _remember(item)

    def edit(self, item, commit: bool = True) -> None:
        super().edit(item, commit=commit)
        _remember(item)


def _remember(item) -> None:
    if has_request_context():
        setattr(g, SAVED_KEY, item)


def saved_message(view, item) -> str:
    """ "Ticket SR-2026-0012 … saved." / "工单 SR-2026-0012 … 已保存。" """
    try:
        name = str(item).strip()
    except Exception:  # a broken __str__ must not turn a saved record into a 500
        name = ""
    if len(name) > NAME_LIMIT:
        name = name[: NAME_LIMIT - 1] + "…"
    kind = record_name(view)
    if kind and name:
        return gettext("%(kind)s %(name)s saved.", kind=kind, name=name)
    if name:
        return gettext("“%(name)s” saved.", name=name)
    return gettext("Record saved.")


class SavedRecordRedirect:
    """ModelView mixin: after a successful add or edit, the record's page and a message naming it.

    `record_name` (a lazy string, singular: "Ticket") names the kind of record in the message;
    without it, the model's entry in record_names.RECORD_NAMES.
    """

    record_name = None

    # FAB flashes these right after the save: with a saved row noted, they name it
    @property
    def add_row_message(self):
        item = g.get(SAVED_KEY)
        return saved_message(self, item) if self._is_saved(item) else super().add_row_message

    @property
    def edit_row_message(self):
        item = g.get(SAVED_KEY)
        return saved_message(self, item) if self._is_saved(item) else super().edit_row_message

    def post_add_redirect(self):
        return self._saved_redirect() or super().post_add_redirect()

    def post_edit_redirect(self):
        return self._saved_redirect() or super().post_edit_redirect()

    def _is_saved(self, item) -> bool:
        return item is not None and isinstance(item, self.datamodel.obj)

    def _saved_redirect(self):
        item = g.pop(SAVED_KEY, None)
        if not self._is_saved(item):
            return None  # nothing saved (a refused form or a database error): FAB's way
        url = self._show_url(item)
        return redirect(url) if url else None

    def _show_url(self, item) -> str | None:
        """The record's show page, if the view has one this user may open and the row is in it."""
        if "can_show" not in (self.base_permissions or ()):
            return None
        if not self.appbuilder.sm.has_access("can_show", self.class_permission_name):
            return None
        pk = self.datamodel.get_pk_value(item)
        if pk is None or self.datamodel.get(pk, self._base_filters) is None:
            return None  # e.g. a work list whose filter the edited row no longer matches
        return url_for(f"{self.endpoint}.show", pk=pk)

