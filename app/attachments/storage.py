"""Content-addressed file store under ATTACHMENT_DIR: a file is named by the sha256 of its bytes.

Layout: `<ATTACHMENT_DIR>/<aa>/<sha256>` for the files and `<ATTACHMENT_DIR>/thumbs/<aa>/<sha256>.jpg`
for photo thumbnails. The same bytes uploaded twice are stored once. Backups pack the whole
ATTACHMENT_DIR, so nothing lives anywhere else.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app


def root() -> Path:
    """The store's folder (ATTACHMENT_DIR, default: the instance folder's attachments/)."""
    path = Path(current_app.config.get("ATTACHMENT_DIR") or Path(current_app.instance_path) / "attachments")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _checked(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a sha256 hex digest")
    return sha256


def path_of(sha256: str) -> Path:
    sha256 = _checked(sha256)
    return root() / sha256[:2] / sha256


def thumb_path_of(sha256: str) -> Path:
    sha256 = _checked(sha256)
    return root() / "thumbs" / sha256[:2] / f"{sha256}.jpg"


def _write_atomic(target: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder: a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def put(data: bytes, thumbnail: bytes | None = None) -> str:
    """Store the bytes (and their thumbnail); returns their sha256."""
    sha256 = hashlib.sha256(data).hexdigest()
    target = path_of(sha256)
    if not target.exists():
        _write_atomic(target, data)
    if thumbnail is not None and not thumb_path_of(sha256).exists():
        _write_atomic(thumb_path_of(sha256), thumbnail)
    return sha256


def read(sha256: str) -> bytes:
    return path_of(sha256).read_bytes()


def discard(sha256: str) -> None:
    """Remove a file and its thumbnail (the caller checks that no attachment still uses it)."""
    path_of(sha256).unlink(missing_ok=True)
    thumb_path_of(sha256).unlink(missing_ok=True)
