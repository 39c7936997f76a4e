"""The current request's translations, found once per request and language instead of on every string.

Flask-Babel looks up the request's context, its locale and the catalog cache again for every
string it translates: nine context-local lookups and a locale formatted as text, ~12 µs. A list
page translates ~1 600 strings (each row's buttons, every menu entry, labels), so that alone was
~20 ms of a 40 ms ticket list. Here the catalog found for a request is kept beside Flask-Babel's
own per-request locale and reused while that locale object and domain are the ones in force: a
`force_locale` (a notification in its recipient's language) or `refresh` sets a new locale
object and the next string looks the catalog up again.
"""
from __future__ import annotations

from typing import Any

import flask_babel
from babel import support
from flask import Flask, g


class RequestCachedDomain(flask_babel.Domain):
    """Flask-Babel's domain whose catalog lookup is remembered for the request's current locale."""

    def get_translations(self) -> support.NullTranslations:
        memo = _memo()
        if memo is not None:
            return memo
        translations = super().get_translations()
        namespace = _babel_namespace()
        if namespace is not None and "babel_locale" in vars(namespace):
            namespace.request_translations = (namespace.babel_locale, self, translations)
        return translations


def current_translations() -> support.NullTranslations:
    """The catalog for this request's language (Flask-Babel's own lookup the first time)."""
    return _memo() or flask_babel.get_translations()


def install(app: Flask) -> None:
    """Use the remembered catalog for Python strings (the default domain) and in templates."""
    config = app.extensions["babel"]
    config.instance.domain_instance = RequestCachedDomain(domain=config.default_domain)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def _babel_namespace() -> Any:
    try:
        return vars(g._get_current_object()).get("_flask_babel")
    except RuntimeError:  # no application context: Flask-Babel answers with no translations
        return None


def _memo() -> support.NullTranslations | None:
    namespace = _babel_namespace()
    if namespace is None:
        return None
    state = vars(namespace)
    memo = state.get("request_translations")
    if memo is None or memo[0] is not state.get("babel_locale") or memo[1] is not state.get("babel_domain"):
        return None
    return memo[2]
