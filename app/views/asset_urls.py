"""The layout's ~30 stylesheet and script links, made once per application root.

Every page's head and tail link the same vendored files; `url_for` built each of them again on
every page (~20 µs each). A static file's URL depends only on the endpoint, the file and the root
the application is served under, so each is made once per those three.
"""
from __future__ import annotations

from flask import Flask, request, url_for


def install(app: Flask) -> None:
    made: dict[tuple[str, str, str], str] = {}

    def asset_url(endpoint: str, filename: str) -> str:
        key = (request.script_root, endpoint, filename)
        url = made.get(key)
        if url is None:
            url = made[key] = url_for(endpoint, filename=filename)
        return url

    app.jinja_env.globals["asset_url"] = asset_url
