"""FAB strings that FAB's own Chinese catalog leaves untranslated: listed so Babel extracts
them into our catalogs (ours override FAB's at run time), and the screen titles FAB builds
in English ("List Customer") replaced by translated ones."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

FAB_MISSING = (
    _l("Add"), _l("Edit"), _l("Show"), _l("Delete"), _l("Cancel"), _l("OK"),
    _l("Are you sure you want to delete this item?"), _l("Contains (insensitive)"),
    _l("Start with"), _l("In"), _l("Not In"), _l("Database Error"), _l("Groups"),
    _l("List Groups"), _l("Add Group"), _l("Edit Group"), _l("Show Group"),
    _l("Edit User Information"), _l("User information changed"),
    _l("Either select a role or a group"), _l("The user's password for authentication"),
    _l("Please use a good password policy,"), _l("User(s) exists in the group, cannot delete"),
    _l("User(s) exists in the role, cannot delete"),
    _l("It's not a good policy to remove a user, just make it inactive"),
)


def _menu_labels(items, found=None) -> dict:
    """View class name → the (translated) label of its menu item."""
    found = {} if found is None else found
    for item in items:
        if item.baseview is not None and item.label:
            found.setdefault(type(item.baseview).__name__, item.label)
        _menu_labels(item.childs, found)
    return found


def translate_titles(appbuilder) -> None:
    """Give ModelViews with FAB's English default titles translated ones from their menu label."""
    labels = _menu_labels(appbuilder.menu.get_list())
    for view in appbuilder.baseviews:
        label = labels.get(type(view).__name__)
        if label is None and hasattr(view, "list_title") and not str(view.list_title).startswith("List "):
            label = view.list_title  # a related view outside the menu, titled in its class
        if label is None or not hasattr(view, "list_title"):
            continue
        if str(view.list_title).startswith("List "):
            view.list_title = label
        if str(getattr(view, "title", "")).startswith("List "):
            view.title = label  # the tab title of a related view on its parent's page
        if str(getattr(view, "show_title", "")).startswith("Show "):
            view.show_title = _l("%(name)s: details", name=label)
        if str(getattr(view, "add_title", "")).startswith("Add "):
            view.add_title = _l("%(name)s: new record", name=label)
        if str(getattr(view, "edit_title", "")).startswith("Edit "):
            view.edit_title = _l("%(name)s: edit record", name=label)
