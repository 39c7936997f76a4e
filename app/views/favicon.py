"""/favicon.ico for browsers and tools that ask for it at the root, whatever page linked it; no login."""
from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory

favicon_bp = Blueprint("favicon", __name__)


@favicon_bp.get("/favicon.ico")
def favicon():
    # a day in the cache: every page would otherwise ask again
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=86400)
