"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback.

One server per test session on its own database (SQLite file, or a sibling PostgreSQL
database of TEST_DATABASE_URL), migrated and seeded with the demo department once. Tests
type and click as people do; nothing is wiped between them, so each journey makes its own
records. Every page is watched: a JavaScript error or a request leaving the machine fails
the test. Screenshots go to $SCREENSHOT_DIR (default: a temporary folder).
"""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import flask_migrate
import pytest

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD, make_config, sibling_database_url

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

try:  # the whole folder is skipped, with the reason in the summary, when either is missing
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - make setup installs it
    sync_playwright = None

SKIP_REASON = None
if sync_playwright is None:
    SKIP_REASON = "browser tests skipped: Playwright is not installed (make setup installs it)"
elif not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
    SKIP_REASON = f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)"


def pytest_collection_modifyitems(config, items):
    if SKIP_REASON:
        marker = pytest.mark.skip(reason=SKIP_REASON)
        for item in items:
            if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
                item.add_marker(marker)


def pytest_terminal_summary(terminalreporter):
    if SKIP_REASON:
        terminalreporter.write_line(f"*** {SKIP_REASON} ***", yellow=True, bold=True)


@pytest.fixture(autouse=True)
def _clean_database():
    """Override the suite's per-test wipe: the browser server keeps its seeded department."""
    yield


def _browser_database_url(tmp_path_factory) -> str:
    return sibling_database_url(tmp_path_factory, "browser")


@dataclass
class LiveServer:
    url: str
    app: object
    screenshots: Path
    logins: dict[str, str] = field(default_factory=dict)

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app served on 127.0.0.1:<free port>, demo department seeded, admin = PASSWORD."""
    from werkzeug.serving import make_server

    url = _browser_database_url(tmp_path_factory)
    app = create_app(make_config(url, DEMO_PASSWORD=PASSWORD, WTF_CSRF_ENABLED=True))
    with app.app_context():
        flask_migrate.upgrade()
        sm = app.appbuilder.sm
        sm.sync_all()
        sm.add_user("admin", "Ada", "Admin", "admin@test.invalid", sm.find_role("Admin"), PASSWORD)
        from app.seed import seed_demo

        seed_demo()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    shots = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path_factory.mktemp("screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app, screenshots=shots)
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What a page did that a person would not want: JS errors, requests off the machine."""

    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in {"127.0.0.1", "localhost"}


@pytest.fixture
def open_page(browser, live_server, request):
    """`open_page("cs", locale="zh_Hans", width=1400)` → a logged-in Page (None = anonymous).

    At the end of the test no page may have thrown a JavaScript error or tried to reach
    anything beyond loopback.
    """
    contexts = []
    watch = Watch()

    def _open(username: str | None = None, locale: str = "en", width: int = 1400, height: int = 900,
              password: str = PASSWORD) -> Page:
        accept = {"en": "en-US", "zh_Hans": "zh-CN", "zh_Hant": "zh-TW"}[locale]
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=accept,
            extra_http_headers={"Accept-Language": accept}, accept_downloads=True,
        )
        context.set_default_timeout(15_000)

        def guard(route):
            if _is_local(route.request.url):
                route.continue_()
            else:
                watch.outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: watch.errors.append(f"{page.url}: {exc}"))
        if locale != "en":
            page.goto(live_server(f"/lang/{locale}"))
        if username:
            login_page(page, live_server, username, password)
        return page

    _open.watch = watch
    yield _open
    for context in contexts:
        context.close()
    assert not watch.errors, f"JavaScript errors: {watch.errors}"
    assert not watch.outside, f"requests that left the machine: {watch.outside}"


def login_page(page: Page, live_server: LiveServer, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person does."""
    page.goto(live_server("/login/"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login" not in page.url, f"login as {username} failed: still on {page.url}"


@pytest.fixture
def shot(live_server):
    """`shot(page, "ticket-new-en")` → saves a full-page PNG into the screenshot folder."""

    def _shot(page: Page, name: str, full_page: bool = True) -> Path:
        path = live_server.screenshots / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return _shot
