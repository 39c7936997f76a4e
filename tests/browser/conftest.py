"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback.

One server per test session (per worker under pytest-xdist) on its own copy of the suite's demo
department (a SQLite file, or a sibling PostgreSQL database of TEST_DATABASE_URL; seeded once
per run, see tests/conftest.py `demo_template`). Tests type and click as people do; nothing is
wiped between them, so each journey makes its own records. Every page is watched: a JavaScript
error, a server error (5xx) or a request leaving the machine fails the test. Each demo login
goes through the login form once per session and language; later tests of that person open a
tab in a kept browser context of that screen size (cookies set back to the login's, cache
kept), as a person keeps their browser. Screenshots are taken only when $SCREENSHOT_DIR names a
folder (`make screenshots` points it at docs/screenshots): a plain test run would paint ~60
full pages into a temporary folder nobody reads. The run prints how long the browser tests took
(the speed goal is under 3 minutes for all journeys on 2 cores).
"""
from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD, copy_database, make_config, serving

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

try:  # the whole folder is skipped, with the reason in the summary, when either is missing
    from playwright.sync_api import Browser, Page, expect, sync_playwright

    # a loaded 2-core machine may take seconds per page: wait as patiently for assertions as for actions
    expect.set_options(timeout=30_000)
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


_timing = {"tests": 0.0, "count": 0, "server": 0.0, "cpu": 0.0}


def _is_browser_test(nodeid: str) -> bool:
    return nodeid.replace(os.sep, "/").startswith("tests/browser/")


def pytest_runtest_logreport(report):
    """Adds up the time of every phase of the browser tests (set-up holds the server start)."""
    if _is_browser_test(report.nodeid) and not SKIP_REASON:
        _timing["tests"] += report.duration
        _timing["count"] += report.when == "call"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    started = time.process_time()
    yield
    if _is_browser_test(item.nodeid):
        _timing["cpu"] += time.process_time() - started


def pytest_terminal_summary(terminalreporter):
    if SKIP_REASON:
        terminalreporter.write_line(f"*** {SKIP_REASON} ***", yellow=True, bold=True)
    elif _timing["count"]:
        terminalreporter.write_line(
            f"browser tests: {_timing['count']} in {_timing['tests']:.0f} s "
            f"(of which live server, migrations and demo seed {_timing['server']:.0f} s); "
            f"CPU of the server and tests {_timing['cpu']:.0f} s (Chromium not counted)", bold=True)


@pytest.fixture(autouse=True)
def _clean_database():
    """Override the suite's per-test wipe: the browser server keeps its seeded department."""
    yield


@dataclass
class LiveServer:
    url: str
    app: object
    screenshots: Path | None  # None: no pictures asked for
    logins: dict[str, str] = field(default_factory=dict)

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(demo_template, tmp_path_factory) -> Iterator[LiveServer]:
    """The app served on 127.0.0.1:<free port>, demo department seeded, admin (周建华) = PASSWORD."""
    started = time.monotonic()
    # a copy of the suite's demo department (seeded once per run): the journeys change it freely
    url = copy_database(demo_template.url, tmp_path_factory, "browser")
    # Static files kept by the browser for the session, as a deployment's web server would have
    # them: Flask's default (no-cache) revalidates ~30 scripts and styles on every page, each one
    # a request through the app in this process. Pages themselves stay no-store.
    app = create_app(make_config(url, DEMO_PASSWORD=PASSWORD, WTF_CSRF_ENABLED=True,
                                 SEND_FILE_MAX_AGE_DEFAULT=3600))
    shots = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    with serving(app) as base_url:
        _timing["server"] = time.monotonic() - started
        yield LiveServer(url=base_url, app=app, screenshots=shots)


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


LOCALES = {"en": "en-US", "zh_Hans": "zh-CN", "zh_Hant": "zh-TW"}


@dataclass
class SignedIn:
    """A demo login's browser context, kept for the session: a new context costs Chromium a
    renderer process and a cold cache (about a CPU second on this machine); a tab in a kept one
    a fraction of that. `cookies` are those right after the login through the form: every test
    starts from them, whatever the one before did (language switched, logged out)."""

    context: object
    cookies: list


@pytest.fixture(scope="session")
def _signed_in(browser) -> Iterator[dict]:
    """(username, locale, width, height) → the SignedIn context of that demo login."""
    kept: dict[tuple, SignedIn] = {}
    yield kept
    for signed in kept.values():
        signed.context.close()


@pytest.fixture
def open_page(browser, live_server, _signed_in):
    """`open_page("cs", locale="zh_Hans", width=1400)` → a logged-in Page (None = anonymous).

    A demo login (password PASSWORD) types into the login form the first time in a session and
    language; later tests get a new tab in a kept context of that screen size, its cookies set
    back to those of the login (a second page of one login in one test: a context of its own with
    those cookies). `fresh=True` or another password always logs in through the form, in a
    context of its own. At the end of the test no page may have thrown a JavaScript error,
    answered a server error or tried to reach anything beyond loopback.
    """
    contexts, pages, watched, in_use = [], [], [], set()
    watch = Watch()

    def on_request(request):
        _is_local(request.url) or watch.outside.append(request.url)

    def _new_context(locale: str, width: int, height: int):
        accept = LOCALES[locale]
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=accept, timezone_id="Asia/Shanghai",
            extra_http_headers={"Accept-Language": accept}, accept_downloads=True,
        )
        context.set_default_timeout(30_000)
        return context

    def _open(username: str | None = None, locale: str = "en", width: int = 1400, height: int = 900,
              password: str = PASSWORD, fresh: bool = False) -> Page:
        key = (username, locale, width, height)
        reusable = username is not None and password == PASSWORD and not fresh
        signed = _signed_in.get(key) if reusable and key not in in_use else None
        if signed is not None:  # a new tab in the kept context, cookies as right after the login
            context, cookies = signed.context, signed.cookies
            context.clear_cookies()
        else:
            context = _new_context(locale, width, height)
            # this login's cookies from another screen size or tab: no second login
            cookies = next((v.cookies for (u, lo, *_), v in _signed_in.items()
                            if reusable and (u, lo) == (username, locale)), None)
            if reusable and key not in _signed_in:
                if cookies is not None:
                    _signed_in[key] = SignedIn(context, cookies)
            else:
                contexts.append(context)  # closed at the end of this test
        if reusable:
            in_use.add(key)
        if cookies is not None:
            context.add_cookies(cookies)

        # Watched, not intercepted: routing every request through Playwright turns off the
        # browser's cache and sends each request through this process (a third of the run's CPU).
        # Nothing beyond loopback can answer here anyway; the test fails on the attempt.
        context.on("request", on_request)
        watched.append(context)
        page = context.new_page()
        pages.append(page)
        page.on("pageerror", lambda exc: watch.errors.append(f"{page.url}: {exc}"))
        page.on("response", lambda r: r.status >= 500 and watch.errors.append(f"{r.status} from {r.url}"))
        if cookies is not None:
            return page
        if locale != "en":
            page.goto(live_server(f"/lang/{locale}"))
        if username:
            login_page(page, live_server, username, password)
            if reusable and key not in _signed_in:
                _signed_in[key] = SignedIn(context, context.cookies())
        return page

    _open.watch = watch
    yield _open
    for page in pages:
        if not page.is_closed():
            page.close()
    for context in watched:
        context.remove_listener("request", on_request)
    for context in contexts:
        context.close()
    assert not watch.errors, f"JavaScript or server errors: {watch.errors}"
    assert not watch.outside, f"requests that left the machine: {watch.outside}"


def login_page(page: Page, live_server: LiveServer, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person does."""
    page.goto(live_server("/login/"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("input[type=submit], button[type=submit]")
    assert "/login" not in page.url, f"login as {username} failed: still on {page.url}"


@pytest.fixture
def shot(live_server):
    """`shot(page, "ticket-new-en")` → saves a full-page PNG into $SCREENSHOT_DIR, once the page's
    requests are done (charts drawn). Without SCREENSHOT_DIR nothing is painted: no test reads
    the pictures, they are for the docs."""

    def _shot(page: Page, name: str, full_page: bool = True) -> Path | None:
        if live_server.screenshots is None:
            return None
        page.wait_for_load_state("networkidle")
        path = live_server.screenshots / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return _shot
