"""Locale machinery: choose the language (session, Accept-Language, default) and switch it."""
from __future__ import annotations

from flask import Flask, current_app, flash, has_request_context, redirect, request, session, url_for
from flask_babel import get_locale, gettext, refresh
from flask_babel import lazy_gettext as _l

from . import i18n_lookup
from .actor import current_user
from .models.base import utcnow

# Role names are data in FAB's tables; their labels on screens come from here.
ROLE_LABELS = {
    "Admin": _l("Admin"), "Public": _l("Public"), "Manager": _l("Manager"),
    "Tech Engineer": _l("Tech Engineer"), "Field Engineer": _l("Field Engineer"),
    "Customer Service": _l("Customer Service"), "Parts Keeper": _l("Parts Keeper"),
}

# Chinese variants by region or script subtag: Traditional where it is written so.
TRADITIONAL_TAGS = {"hant", "tw", "hk", "mo"}


def languages() -> dict:
    return current_app.config["LANGUAGES"]


def match_language(tag: str, available) -> str | None:
    """The LANGUAGES key for one browser language tag: zh-TW → zh_Hant, zh-CN / zh → zh_Hans."""
    parts = tag.replace("_", "-").lower().split("-")
    if not parts or not parts[0] or parts[0] == "*":
        return None
    if parts[0] == "zh":
        code = "zh_Hant" if TRADITIONAL_TAGS & set(parts[1:]) else "zh_Hans"
        return code if code in available else ("zh" if "zh" in available else None)
    lowered = {key.lower().replace("_", "-"): key for key in available}
    full = "-".join(parts)
    return lowered.get(full) or lowered.get(parts[0])


def best_accept_language(accept, available) -> str | None:
    """The best LANGUAGES key for an Accept-Language header, by the browser's quality order."""
    for tag, quality in sorted(accept, key=lambda item: -item[1]):
        if quality <= 0:
            continue
        code = match_language(tag, available)
        if code:
            return code
    return None


def select_locale() -> str:
    """?_l_= (FAB's API convention), then the session's choice, then Accept-Language, then default."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    available = languages()
    asked = request.args.get("_l_")
    if asked in available:
        return asked
    chosen = session.get("locale")
    if chosen in available:
        return chosen
    return best_accept_language(request.accept_languages, available) or default


def current_locale_code() -> str:
    """The LANGUAGES key of the page's language (for the navbar switcher)."""
    locale = get_locale()
    code = str(locale) if locale else current_app.config["BABEL_DEFAULT_LOCALE"]
    return code if code in languages() else current_app.config["BABEL_DEFAULT_LOCALE"]


def switch_language(locale: str):
    """/lang/<code>: keep the choice in the session; an unknown code gets a message, not a 404."""
    if locale not in languages():
        names = ", ".join(f"{v['name']} ({k})" for k, v in languages().items())
        flash(gettext("Language “%(code)s” is not available. Choose one of: %(names)s.",
                      code=locale, names=names), "warning")
        return redirect(_back())
    session["locale"] = locale
    _remember_for_notices(locale)
    refresh()
    return redirect(_back())


def _remember_for_notices(locale: str) -> None:
    """A logged-in person's choice is also the language of what is sent to them."""
    from .extensions import db
    from .notifications.core import remember_language

    user = current_user()
    if user is not None:
        remember_language(user.id, locale)
        db.session.commit()


def _back() -> str:
    """Where to return after switching: the page the user came from, if it is ours."""
    ref = request.referrer or ""
    if ref.startswith(request.host_url) and "/lang/" not in ref:
        return ref
    return current_app.appbuilder.get_url_for_index


def role_label(name: str):
    """A role's translated label (its name when it is not one of ours)."""
    return ROLE_LABELS.get(name, name)


# Scripts whose names are written family name first, without a space: CJK ideographs (with
# extension A, compatibility ideographs and the supplementary planes), kana, Hangul.
_FAMILY_FIRST = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF), (0x3040, 0x30FF), (0xAC00, 0xD7AF))


def family_first_script(text: str) -> bool:
    """True when the text holds a character of a script written family name first (周, や, 김)."""
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _FAMILY_FIRST)


def person_name(first: str | None, last: str | None) -> str:
    """A person's name in the order of its language: 周建华 (family name first, no space) when
    either part is Chinese (or Japanese / Korean), in every UI language; "Jianhua Zhou" /
    "Ada Lovelace" (given name first) for a Latin-script name, in every UI language too."""
    first, last = str(first or "").strip(), str(last or "").strip()
    if family_first_script(first + last):
        return last + first
    return " ".join(part for part in (first, last) if part)


def ticket_url(pk) -> str | None:
    """Link to a ticket's page once the ticket screens exist."""
    if "TicketView.show" in current_app.view_functions:
        return url_for("TicketView.show", pk=pk)
    return None


def init_i18n(app: Flask) -> None:
    """Install the locale selector, the switcher and the template helpers (after AppBuilder)."""
    app.extensions["babel"].locale_selector = select_locale
    i18n_lookup.install(app)
    # FAB's LocaleView answers a bare 404 for an unknown code: replace its function.
    app.view_functions["LocaleView.index"] = switch_language
    app.jinja_env.globals.update(
        current_locale_code=current_locale_code, ticket_url=ticket_url, now_utc=utcnow,
        role_label=role_label, person_name=person_name,
    )
    from .dashboard.marks import due_mark

    app.jinja_env.globals["due_mark"] = due_mark
    from .i18n_fab import translate_titles

    translate_titles(app.appbuilder)
    app.before_request(_wtforms_traditional)


def _wtforms_traditional() -> None:
    """WTForms' own messages in Traditional: Flask-WTF looks up `zh_Hant`, falls back to Simplified `zh`."""
    if current_locale_code() == "zh_Hant":
        from babel.support import Translations
        from wtforms.i18n import messages_path

        request.wtforms_translations = Translations.load(messages_path(), ["zh_TW"], domain="wtforms")

