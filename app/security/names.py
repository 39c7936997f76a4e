"""One hook for every place a login's name is shown: FAB's User.get_full_name / str / repr.

FAB writes "first last" (明 李); select boxes of users, "Posted by", the user list, notices and
the navbar all go through get_full_name or repr, so they all follow `app.i18n.person_name`.
"""
from __future__ import annotations

from typing import Any

from ..i18n import person_name


def full_name(user: Any) -> str:
    """The login's name in the order of its language (周建华, Ada Lovelace), else its login name."""
    return person_name(getattr(user, "first_name", None), getattr(user, "last_name", None)) \
        or str(getattr(user, "username", None) or "")


def install_person_names(user_model: Any) -> None:  # FAB's User class (untyped)
    """Make the security manager's user model name people through `full_name`."""
    user_model.get_full_name = full_name
    user_model.__repr__ = full_name
    user_model.__str__ = full_name
    user_model.full_name = property(full_name)  # a column of the user list
