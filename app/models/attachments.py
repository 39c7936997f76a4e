"""Attachments: photos, scanned documents and drawn signatures kept with a record.

An attachment points at its record by resource name + id (a ticket, a repair record …), so
one table serves every record type; its bytes live in the content-addressed store under
ATTACHMENT_DIR (app/attachments/storage.py), named by their sha256.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import CodeEnum, current_user_id, enum_column, utcnow


class AttachmentKind(CodeEnum):
    photo = "photo", _l("Photo")
    document = "document", _l("Document")
    signature = "signature", _l("Signature")


# Record types that carry attachments: resource name → label.
RECORD_TYPES = {
    "ticket": _l("Ticket"),
    "repair_record": _l("On-site repair record"),
    "inspection_record": _l("Inspection record"),
    "complaint": _l("Complaint"),
    "defective_return": _l("Defective return"),
    "knowledge_article": _l("Knowledge article"),
}


class Attachment(db.Model):
    """One file kept with a record; the row is the audit trail's evidence of who added what."""

    __tablename__ = "attachment"
    __field_labels__ = {
        "record_type": _l("Record type"), "record_id": _l("Record"), "kind": _l("Kind"),
        "filename": _l("File name"), "content_type": _l("Content type"), "size": _l("Size (bytes)"),
        "sha256": _l("SHA-256"), "width": _l("Width"), "height": _l("Height"), "caption": _l("Caption"),
        "uploaded_at": _l("Uploaded at"), "uploaded_by": _l("Uploaded by"), "record_label": _l("Record"),
        "uploader_name": _l("Uploaded by"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(sa.String(32))
    record_id: Mapped[int] = mapped_column()
    kind: Mapped[AttachmentKind] = mapped_column(enum_column(AttachmentKind), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    width: Mapped[int | None] = mapped_column()
    height: Mapped[int | None] = mapped_column()
    caption: Mapped[str | None] = mapped_column(sa.String(300))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ab_user.id", ondelete="SET NULL"), default=current_user_id, index=True)

    uploaded_by: Mapped[User | None] = relationship(User)

    __table_args__ = (
        sa.Index("ix_attachment_record", "record_type", "record_id"),
        sa.CheckConstraint("size >= 0", name="size_not_negative"),
    )

    def __str__(self) -> str:
        return self.filename

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def record_label(self) -> str:
        return f"{RECORD_TYPES.get(self.record_type, self.record_type)} #{self.record_id}"

    @property
    def uploader_name(self) -> str:
        user = self.uploaded_by
        if user is None:
            return ""
        return user.get_full_name()  # in the order of the name's language (security/names.py)
