"""The one action runner: a button or an API call runs a service in one unit of work.

HTML: the outcome is flashed (a message, and a warning when the service returns one) and the
browser goes back to the record; a rule's messages are flashed instead, nothing is written.
API: the body the action returns with its status, or the rule's status (400/404/409/422) with
`message`. Every register, parts and ticket action goes through here, so the transaction rule is
written once (app/unit_of_work.py).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect

from ..models.base import DomainError
from ..unit_of_work import unit_of_work
from .base import flash_errors

# What an HTML action returns: its success message, or (message, warning); None flashes nothing.
Outcome = str | tuple[object, object] | None


def run_html(run: Callable[[], object], back_url: str, shown=(), code: int = 302):
    """POST handler body: run the service atomically, flash the outcome, go back to `back_url`."""
    try:
        with unit_of_work():
            outcome = run()
    except DomainError as err:
        flash_errors(err, shown)
    else:
        message, warning = outcome if isinstance(outcome, tuple) else (outcome, None)
        if message:
            flash(str(message), "success")
        if warning:
            flash(str(warning), "warning")
    return redirect(back_url, code=code)


def run_api(api, run: Callable[[], dict], status: int = 200):
    """API handler body: run the service atomically; the body it returns with `status`, or the
    DomainError's status with its `message`."""
    try:
        with unit_of_work():
            body = run()
    except DomainError as err:
        return api.response(err.status, message=err.message)
    return api.response(status, **body)

