"""The one unit of work: a business action is one transaction, committed once at its end.

Services never commit; whoever runs an action — a screen's button, an API call, a CLI command, a
job, a test — wraps it in `unit_of_work()`: everything it wrote is committed together, or, on any
error, nothing is. A unique or foreign-key conflict met on the way (two clerks saving at once)
becomes a 409 DomainError with a sentence, not a 500.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models.base import DomainError


@contextlib.contextmanager
def unit_of_work() -> Iterator[None]:
    try:
        yield
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        raise DomainError(integrity_message(err), status=409) from err
    except BaseException:
        db.session.rollback()
        raise


def integrity_message(err: IntegrityError) -> str:
    """The sentence for a constraint the database refused (the kind of constraint, not its SQL)."""
    text = str(err.orig).lower()
    if "unique" in text or "duplicate" in text:
        return _("A record with the same unique value already exists.")
    if "foreign key" in text:
        return _("A referenced record does not exist or is still in use.")
    if "not null" in text or "null value" in text:
        return _("A required field is missing.")
    if "check" in text:
        return _("A value is out of the allowed range.")
    return _("The record conflicts with existing data.")
