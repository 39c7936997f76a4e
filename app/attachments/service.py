"""Adding, finding and removing attachments; the record's own row rules decide who sees them.

A record type's screen (TicketView, RepairRecordView …) is the one place its row rules live
(`base_filters`, e.g. a field engineer's own tickets). Attachments reuse exactly those: a user
sees an attachment when they may open its record's page and that page would show the record.
"""
from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..models import Attachment, AttachmentKind
from ..models.attachments import RECORD_TYPES
from ..models.base import DomainError
from . import storage
from .content import EXTENSIONS, check

# record type → the screen whose row rules and show permission apply to its attachments
RECORD_VIEWS = {
    "ticket": "TicketView",
    "repair_record": "RepairRecordView",
    "inspection_record": "InspectionRecordView",
    "complaint": "ComplaintView",
    "defective_return": "DefectiveReturnView",
    "knowledge_article": "KnowledgeArticleView",
}
assert set(RECORD_VIEWS) == set(RECORD_TYPES)


def max_bytes() -> int:
    return int(float(current_app.config.get("ATTACHMENT_MAX_MB", 20)) * 1024 * 1024)


def too_large() -> DomainError:
    return DomainError({"file": _("The file is larger than %(mb)s MB.",
                                  mb=current_app.config.get("ATTACHMENT_MAX_MB", 20))}, 413)


def _view(record_type: str):
    name = RECORD_VIEWS.get(record_type)
    if name is None:
        return None
    cache = current_app.extensions.setdefault("attachment_views", {})
    if name not in cache:
        cache[name] = next((v for v in current_app.appbuilder.baseviews if type(v).__name__ == name), None)
    return cache[name]


def _may_open(record_type: str) -> bool:
    return _view(record_type) is not None and current_app.appbuilder.sm.has_access(
        "can_show", RECORD_VIEWS[record_type])


def find_record(record_type: str, record_id):
    """The record, when the current user may see it (its page's permission and row rules), else None."""
    if record_type not in RECORD_VIEWS or not _may_open(record_type):
        return None
    try:
        pk = int(record_id)
    except (TypeError, ValueError):
        return None
    view = _view(record_type)
    return view.datamodel.get(pk, view._base_filters)


def visible_clause():
    """SQL condition: the attachments whose records the current user may see."""
    parts = []
    for record_type in RECORD_VIEWS:
        if not _may_open(record_type):
            continue
        view = _view(record_type)
        model = view.datamodel.obj
        query = view._base_filters.apply_all(db.session.query(model.id))
        condition = Attachment.record_type == record_type
        if query.whereclause is not None:  # a row rule is in force for this user
            condition = condition & Attachment.record_id.in_(query.statement)
        parts.append(condition)
    return sa.or_(*parts) if parts else sa.false()


def attachments_of(record_type: str, record_id: int, include_signatures: bool = False) -> list[Attachment]:
    """A record's attachments, newest first (the caller has checked the record is visible)."""
    stmt = (sa.select(Attachment).where(Attachment.record_type == record_type, Attachment.record_id == record_id)
            .order_by(Attachment.uploaded_at.desc(), Attachment.id.desc()))
    if not include_signatures:
        stmt = stmt.where(Attachment.kind != AttachmentKind.signature)
    return list(db.session.scalars(stmt))


def clean_filename(name: str | None, content_type: str) -> str:
    """The uploaded name without folders or control characters, ending in the real type's extension."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", name).strip(" .") or "file"
    stem, dot, ext = name.rpartition(".")
    real = EXTENSIONS.get(content_type, "bin")
    aliases = {"jpg": {"jpg", "jpeg"}, "tif": {"tif", "tiff"}}.get(real, {real})
    if not dot or ext.lower() not in aliases:
        stem = name if not dot else stem
        name = f"{stem}.{real}"
    return name[-255:]


def add(record_type: str, record_id, filename: str | None, data: bytes, caption: str | None = None,
        kind: AttachmentKind | None = None) -> Attachment:
    """Check and store a file for a record the user may see; the row joins the session (not committed)."""
    if record_type not in RECORD_VIEWS:
        raise DomainError({"record": _("Attachments can be kept with: %(types)s.",
                                       types=", ".join(RECORD_VIEWS))}, 422)
    record = find_record(record_type, record_id)
    if record is None:
        raise DomainError({"record_id": _("No such record, or it is not yours to see.")}, 404)
    if len(data) > max_bytes():
        raise too_large()
    if not data:
        raise DomainError({"file": _("The file is empty.")}, 422)
    checked = check(data)
    sha256 = storage.put(checked.data, checked.thumbnail)
    item = Attachment(
        record_type=record_type, record_id=record.id,
        kind=kind or (AttachmentKind.photo if checked.is_photo else AttachmentKind.document),
        filename=clean_filename(filename, checked.content_type), content_type=checked.content_type,
        size=len(checked.data), sha256=sha256, width=checked.width, height=checked.height,
        caption=(caption or "").strip()[:300] or None,
    )
    db.session.add(item)
    return item


def check_removal(item: Attachment) -> None:
    """A customer's signature stays with its signed record."""
    if item.kind is AttachmentKind.signature:
        raise DomainError({"": _("A customer's signature cannot be removed from a signed record.")}, 409)


def discard_unused(sha256: str) -> None:
    """After a removal is committed: drop the file when no other attachment has the same bytes."""
    still_used = db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)
                                   .where(Attachment.sha256 == sha256))
    if not still_used:
        storage.discard(sha256)
