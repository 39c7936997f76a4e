"""The customer's drawn signature on a repair record (002 §2.6 (5), (7)): a PNG, then the record is locked."""
from __future__ import annotations

import base64
import binascii

import sqlalchemy as sa
from flask_babel import gettext as _

from ..clock import now_utc
from ..extensions import db
from ..models import Attachment, AttachmentKind, RepairRecord
from ..models.base import DomainError
from . import storage
from .content import check_signature_png

MAX_SIGNATURE_BYTES = 512 * 1024
DATA_URL_PREFIX = "data:image/png;base64,"


def was_signed(record: RepairRecord) -> bool:
    """Whether the stored record (before the changes now in the session) carries a drawn signature.

    A typed name and time alone (a paper sign-off copied in) does not lock the record."""
    state = sa.inspect(record)
    if state.transient or state.pending:
        return False
    history = state.attrs.signature_id.history
    stored = history.deleted[0] if history.deleted else (history.unchanged[0] if history.unchanged else None)
    return stored is not None


def locked_error() -> DomainError:
    return DomainError({"": _("The repair record is signed by the customer and can no longer be changed.")}, 409)


def decode_png(data_url: str) -> bytes:
    """The PNG bytes of a `data:image/png;base64,…` URL."""
    if not isinstance(data_url, str) or not data_url.startswith(DATA_URL_PREFIX):
        raise DomainError({"image": _("Send the signature as data:image/png;base64,…")}, 422)
    encoded = data_url[len(DATA_URL_PREFIX):]
    if len(encoded) > (MAX_SIGNATURE_BYTES * 4) // 3 + 8:
        raise DomainError({"image": _("The signature image is larger than 512 KB.")}, 413)
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as err:
        raise DomainError({"image": _("The signature image is not valid base64.")}, 422) from err
    if len(data) > MAX_SIGNATURE_BYTES:
        raise DomainError({"image": _("The signature image is larger than 512 KB.")}, 413)
    return data


def sign(record: RepairRecord, signer: str, data_url: str) -> Attachment:
    """Keep the drawn signature with the record, name the signer, stamp the time (not committed)."""
    if record.signature_id is not None:
        raise DomainError({"": _("The repair record is already signed.")}, 409)
    signer = (signer or "").strip() if isinstance(signer, str) else ""
    if not signer:
        raise DomainError({"signer": _("Type the name of the customer who signs.")}, 422)
    if len(signer) > 100:
        raise DomainError({"signer": _("The name is longer than 100 characters.")}, 422)
    data = decode_png(data_url)
    width, height = check_signature_png(data)
    sha256 = storage.put(data)
    attachment = Attachment(
        record_type="repair_record", record_id=record.id, kind=AttachmentKind.signature,
        filename=f"signature-{record.id}.png", content_type="image/png", size=len(data), sha256=sha256,
        width=width, height=height, caption=signer,
    )
    db.session.add(attachment)
    db.session.flush()
    record.signature = attachment
    record.customer_signer = signer
    record.signed_at = now_utc()
    return attachment
