"""The two outside channels: email through Flask-Mail, and the WeCom / DingTalk group robot."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from flask import current_app, has_request_context, render_template, request
from flask_mail import Mail, Message

from ..models.notifications import Delivery, Notification

mail = Mail()
WEBHOOK_TIMEOUT_SECONDS = 10


def init_app(app) -> None:
    mail.init_app(app)


def mail_configured() -> bool:
    """No MAIL_SERVER = no email (API.md)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def chat_configured() -> bool:
    return bool(current_app.config.get("NOTIFY_WEBHOOK_URL"))


def absolute(path: str | None) -> str | None:
    """A link someone can open from their mailbox or phone: APP_BASE_URL, else this request's host."""
    if not path:
        return None
    base = current_app.config.get("APP_BASE_URL") or (request.url_root if has_request_context() else "")
    return (base or "http://localhost:8080/").rstrip("/") + path


def render_email(notice: Notification, name: str) -> tuple[str, str, str]:
    """(subject, plain text, HTML) in the current (the recipient's) language."""
    context = dict(notice=notice, name=name, url=absolute(notice.link),
                   app_name=current_app.config.get("APP_NAME", ""))
    return (notice.title, render_template("notifications/email.txt", **context),
            render_template("notifications/email.html", **context))


def render_chat(notice: Notification, name: str) -> str:
    """One group-chat line: kind, whom it is for, title, body, link."""
    parts = [f"【{notice.kind.label}】{name}: {notice.title}"]
    if notice.body:
        parts.append(notice.body)
    if notice.link:
        parts.append(absolute(notice.link))
    return "\n".join(parts)


def send(delivery: Delivery) -> None:
    """Send one delivery; raises on any failure (the caller keeps the retry bookkeeping)."""
    if delivery.channel.value == "email":
        send_email(delivery.address, delivery.subject, delivery.text, delivery.html)
    else:
        send_chat(delivery.text)


def send_email(address: str, subject: str, text: str, html: str | None) -> None:
    if not mail_configured():
        raise RuntimeError("MAIL_SERVER is not set")
    message = Message(subject=subject, recipients=[address], body=text, html=html,
                      sender=current_app.config.get("MAIL_DEFAULT_SENDER"))
    # the settings as they are now (not as at start-up), so a changed MAIL_* takes effect at once
    current_app.extensions["mail"] = mail.init_mail(current_app.config, current_app.debug, current_app.testing)
    mail.send(message)


def send_chat(content: str) -> None:
    """POST a group-robot text message; a non-2xx answer or an errcode other than 0 is a failure."""
    url = current_app.config.get("NOTIFY_WEBHOOK_URL")
    if not url:
        raise RuntimeError("NOTIFY_WEBHOOK_URL is not set")
    payload = json.dumps({"msgtype": "text", "text": {"content": content}}, ensure_ascii=False).encode()
    req = urllib.request.Request(url, data=payload, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(req, timeout=WEBHOOK_TIMEOUT_SECONDS) as resp:  # noqa: S310 (configured URL)
            answer = resp.read(4096)
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"group chat answered HTTP {err.code}") from err
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        errcode = 0  # a receiver that answers 2xx without JSON took the message
    if errcode not in (0, None):
        raise RuntimeError(f"group chat refused the message: {answer[:300]!r}")
