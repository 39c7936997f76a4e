"""Error pages of the screens: inside the layout (menu, language, login), in the reader's language,
with a way back. The API answers JSON (security/api_edge.py); this is for people in a browser."""
from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# code → (title, what to do); any other code shows werkzeug's name with the 400 advice
TEXTS = {
    400: (_l("The request could not be understood"),
          _l("Something in what was sent did not make sense. Go back, check the form and try again.")),
    403: (_l("Not allowed"),
          _l("Your role does not give access to this page or record. Ask the administrator if you need it.")),
    404: (_l("Page not found"),
          _l("There is no such page or record: it may have been deleted, or the address is mistyped.")),
    405: (_l("Not allowed here"), _l("This page cannot be used that way. Go back and use the page's buttons.")),
    413: (_l("Too large"), _l("What was sent is larger than allowed. Send a smaller file or a shorter text.")),
    429: (_l("Too many tries"), _l("Too many requests in a short time. Wait a minute and try again.")),
    500: (_l("Something went wrong"),
          _l("The error has been logged. Try again; if it happens again, tell the administrator.")),
}


def error_page(exc: HTTPException):
    """The page for this error, or the bare exception when the layout itself cannot be drawn
    (e.g. the database behind the menu is down: the plain page is better than a second error)."""
    code = exc.code or 500
    title, advice = TEXTS.get(code, (exc.name, TEXTS[400][1]))
    detail = exc.description if code in (400, 413) and exc.description != type(exc).description else None
    try:
        appbuilder = current_app.appbuilder
        html = render_template("error.html", code=code, title=title, advice=advice, detail=detail,
                               appbuilder=appbuilder, base_template=appbuilder.base_template)
    except Exception:
        log.warning("error page %s could not be drawn", code, exc_info=True)
        return exc
    response = current_app.response_class(html, status=code, mimetype="text/html")
    for key, value in exc.get_headers():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response
