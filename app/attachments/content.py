"""What an uploaded file really is, judged by its bytes (filetype), and photos made safe (Pillow).

Photos are decoded and written again without their metadata: EXIF (GPS position, camera,
owner), XMP and comments are dropped, the orientation is applied to the pixels first so the
photo stays upright. Anything that is not a photo, a PDF or an Office document is refused.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import filetype
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..models.base import DomainError

PHOTO_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
DOCUMENT_TYPES = {
    "application/pdf",
    "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
EXTENSIONS = {kind.mime: kind.extension for kind in filetype.types}
MAX_PIXELS = 60_000_000  # a 60-megapixel photo; more is a decompression bomb, not a site photo
THUMB_SIZE = (320, 320)


@dataclass
class Checked:
    """An accepted file: its (cleaned) bytes, type, pixel size and thumbnail."""

    data: bytes
    content_type: str
    is_photo: bool
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None


def unsupported() -> DomainError:
    return DomainError({"file": _("Only photos (JPEG, PNG, WebP), PDF and Office documents can be attached.")},
                       415)


def sniff(data: bytes) -> str | None:
    """The MIME type the bytes show, or None."""
    kind = filetype.guess(data[:8192] if len(data) > 8192 else data)
    return kind.mime if kind else None


def check(data: bytes) -> Checked:
    """Accept a photo or document by its content; photos come back without metadata."""
    mime = sniff(data)
    if mime in PHOTO_TYPES:
        return _clean_photo(data, mime)
    if mime in DOCUMENT_TYPES:
        return Checked(data=data, content_type=mime, is_photo=False)
    raise unsupported()


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise DomainError({"file": _("The photo has too many pixels.")}, 413)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as err:
        if isinstance(err, DomainError):
            raise
        raise DomainError({"file": _("The photo cannot be read: the file is damaged.")}, 415) from err
    return image


def _clean_photo(data: bytes, mime: str) -> Checked:
    image = _open(data)
    if Image.MIME.get(image.format) != mime:  # the header says one thing, the decoder another
        raise unsupported()
    upright = ImageOps.exif_transpose(image)
    fmt = PHOTO_TYPES[mime]
    if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    # saved with no exif / icc / xmp arguments: Pillow then writes none of the original metadata
    options = {"JPEG": {"quality": 90, "optimize": True}, "PNG": {"optimize": True},
               "WEBP": {"quality": 90}}[fmt]
    upright.save(out, fmt, **options)
    return Checked(data=out.getvalue(), content_type=mime, is_photo=True, width=upright.width,
                   height=upright.height, thumbnail=thumbnail(upright))


def thumbnail(image: Image.Image) -> bytes:
    """A small JPEG for the gallery."""
    small = image.copy()
    small.thumbnail(THUMB_SIZE)
    if small.mode in ("RGBA", "LA", "P"):
        small = small.convert("RGBA")
        background = Image.new("RGB", small.size, "white")
        background.paste(small, mask=small.split()[-1])
        small = background
    elif small.mode != "RGB":
        small = small.convert("RGB")
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()


def check_signature_png(data: bytes) -> tuple[int, int]:
    """A drawn signature must be a real PNG; returns its pixel size."""
    if sniff(data) != "image/png":
        raise DomainError({"image": _("The signature must be a PNG image.")}, 415)
    image = _open(data)
    if image.format != "PNG":
        raise DomainError({"image": _("The signature must be a PNG image.")}, 415)
    return image.width, image.height
