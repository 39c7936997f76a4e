"""A big export and the report workbook as background jobs: a progress bar, then the download."""
from __future__ import annotations

import threading

import pytest

from tests.redis_helpers import redis_url  # noqa: F401  (fixture)


@pytest.fixture
def queued_server(live_server, redis_url, monkeypatch):
    """The live server with a job queue and an inline limit below the demo's customer count."""
    app = live_server.app
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    monkeypatch.setitem(app.config, "EXPORT_INLINE_MAX_ROWS", 5)
    app.extensions.pop("redis", None)
    yield live_server
    app.extensions.pop("redis", None)


def _job_queued(page):
    """Wait for the server's 202 (job queued): the progress bar shows before the request
    returns, and a burst worker started earlier finds an empty queue and quits."""
    return page.expect_response(lambda response: response.status == 202, timeout=30_000)


def _worker_in_burst(app) -> threading.Thread:
    from app.jobs.worker import work

    def run():
        with app.app_context():
            work(burst=True, in_thread=True)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_big_list_export_shows_progress_then_downloads(queued_server, open_page, shot):
    page = open_page("manager")
    page.goto(queued_server("/customerview/list/"))
    with _job_queued(page):
        page.click("a.export-xlsx")
    page.wait_for_selector(".job-status .progress-bar")
    assert "Preparing" in page.inner_text(".job-status")
    shot(page, "export-job-progress")
    with page.expect_download(timeout=60_000) as info:
        _worker_in_burst(queued_server.app).join(timeout=60)
    download = info.value
    assert download.suggested_filename.startswith("customer-") and download.suggested_filename.endswith(".xlsx")
    page.wait_for_selector("a.job-download")
    shot(page, "export-job-done")


def test_report_workbook_as_a_job(queued_server, open_page, shot):
    page = open_page("manager", locale="zh_Hans")
    page.goto(queued_server("/report/after_sales/"))
    with _job_queued(page):
        page.click("form.report-period button[type=submit]")
    page.wait_for_selector(".job-status .progress-bar")
    with page.expect_download(timeout=60_000) as info:
        _worker_in_burst(queued_server.app).join(timeout=60)
    assert info.value.suggested_filename.startswith("after_sales_")
    shot(page, "report-job-done-zh")
