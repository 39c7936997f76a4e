"""system-written text as message codes

A ticket's first timeline line ("Received via Phone"), the title of a ticket opened from an
inspection finding or a callback, and a reorder's reason were stored in the words of whoever
triggered them (English, or Chinese). They are now stored as a message code with parameters
(``@t:{"m": code, "p": {...}}``, app/models/system_text.py) and said in the reader's language.
The upgrade recognises the texts already stored in English, 简体中文 and 繁體中文 (frozen here);
the downgrade writes them back in English. No column changes type.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 20:20:00

"""
import json

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

PREFIX = "@t:"
CHANNELS = {  # label as stored -> code
    "Phone": "phone", "Email": "email", "Online": "online", "Fax": "fax", "Instant message": "im",
    "On site": "onsite",
    "电话": "phone", "电子邮件": "email", "在线": "online", "传真": "fax", "即时通讯": "im", "现场": "onsite",
    "電話": "phone", "電子郵件": "email", "線上": "online", "傳真": "fax", "即時通訊": "im", "現場": "onsite",
}
EN_CHANNEL = {code: label for label, code in list(CHANNELS.items())[:6]}
RECEIVED = [("Received via ", ""), ("通过", "受理"), ("通過", "受理")]
TITLES = {
    "ticket.inspection_finding": ["Inspection finding: ", "巡检发现：", "巡檢發現："],
    "ticket.callback_follow_up": ["Callback follow-up: ", "回访跟进：", "回訪跟進："],
}
REORDER = ["Reorder: at or below reorder point", "补货：处于或低于再订货点", "補貨：處於或低於再訂貨點"]
ENGLISH = {
    "ticket.inspection_finding": "Inspection finding: %(text)s",
    "ticket.callback_follow_up": "Callback follow-up: %(text)s",
    "purchase.reorder": "Reorder: at or below reorder point",
}


def _stored(code, **params) -> str:
    return PREFIX + json.dumps({"m": code, "p": params}, ensure_ascii=False, separators=(",", ":"))


def _received(note):
    for head, tail in RECEIVED:
        if note.startswith(head) and note.endswith(tail):
            code = CHANNELS.get(note[len(head):len(note) - len(tail)] if tail else note[len(head):])
            if code:
                return _stored("ticket.received_via", channel={"enum": "Channel", "code": code})
    return None


def _title(title):
    for code, heads in TITLES.items():
        for head in heads:
            if title.startswith(head):
                return _stored(code, text=title[len(head):])
    return None


def _rewrite(conn, table, column, convert, patterns):
    """Rewrite the values that match one of the LIKE patterns (so a big table is not read whole)."""
    t = sa.table(table, sa.column("id"), sa.column(column))
    where = sa.or_(*(t.c[column].like(p) for p in patterns))
    for pk, value in conn.execute(sa.select(t.c.id, t.c[column]).where(where)).all():
        new = convert(value)
        if new is not None and new != value:
            conn.execute(sa.update(t).where(t.c.id == pk).values({column: new}))


def upgrade():
    conn = op.get_bind()
    _rewrite(conn, "ticket_event", "note", _received, [f"{head}%{tail}" for head, tail in RECEIVED])
    _rewrite(conn, "ticket", "title", _title, [f"{head}%" for heads in TITLES.values() for head in heads])
    _rewrite(conn, "purchase_request", "reason", lambda r: _stored("purchase.reorder") if r in REORDER else None,
             REORDER)


def _english(value):
    if not value.startswith(PREFIX):
        return None
    try:
        data = json.loads(value[len(PREFIX):])
    except ValueError:
        return None
    params = data.get("p", {})
    if data.get("m") == "ticket.received_via":
        return "Received via " + EN_CHANNEL.get(params.get("channel", {}).get("code"), "")
    message = ENGLISH.get(data.get("m"))
    return message % params if message else None


def downgrade():
    conn = op.get_bind()
    for table, column in (("ticket_event", "note"), ("ticket", "title"), ("purchase_request", "reason")):
        _rewrite(conn, table, column, _english, [PREFIX + "%"])
