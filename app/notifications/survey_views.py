"""The customer's survey page at /survey/<token>: no login, phone-sized, in the customer's language."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from ..clock import now_utc
from ..extensions import db
from ..models.base import DomainError
from ..models.ticket_work import SCORES
from . import survey

bp = Blueprint("survey", __name__)


def init_app(app) -> None:
    app.register_blueprint(bp)


def _page(template: str, status: int = 200, **context):
    languages = current_app.config["LANGUAGES"]
    return render_template(f"notifications/{template}", languages=languages, scores=SCORES, **context), status


@bp.route("/survey/<token>", methods=["GET", "POST"])
def answer(token: str):
    """GET: the form; POST: the answer (once). A forged token is 404, a used or expired one 410."""
    now = now_utc()
    try:
        link = survey.resolve(token, now)
    except LookupError:
        return _page("survey_gone.html", 404, reason="unknown")
    except survey.LinkGone:
        return _page("survey_gone.html", 410, reason="gone")
    ticket = link.ticket
    if request.method == "GET":
        return _page("survey.html", ticket=ticket, values={}, errors={})
    try:
        survey.answer(token, request.form, now)
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        return _page("survey.html", 422, ticket=ticket, values=request.form, errors=err.errors)
    except survey.LinkGone:
        db.session.rollback()
        return _page("survey_gone.html", 410, reason="gone")
    return _page("survey_thanks.html", ticket=ticket)
