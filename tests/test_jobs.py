"""Background jobs through a real worker on the machine's Redis: exports and the report workbook."""
from __future__ import annotations

import io
import logging

import openpyxl
import pytest

from app import jobs
from app.logs import REQUEST_ID_HEADER, ContextFilter
from tests.conftest import login
from tests.records import make_customer
from tests.redis_helpers import redis_url  # noqa: F401  (fixture)


@pytest.fixture
def queued(app, redis_url, monkeypatch):
    """The suite's app with a job queue and a tiny inline limit (2 rows)."""
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    monkeypatch.setitem(app.config, "EXPORT_INLINE_MAX_ROWS", 2)
    app.extensions.pop("redis", None)
    yield app
    app.extensions.pop("redis", None)


def drain(app) -> None:
    """A worker in burst mode: run what is queued, then return."""
    from app.jobs.worker import work

    with app.app_context():
        work(burst=True, in_thread=True)


def _customers(app, n=3):
    for i in range(1, n + 1):
        make_customer(app, i)


def test_big_export_runs_as_a_job_and_only_its_owner_gets_the_file(queued, client, api):
    _customers(queued)
    resp = client.get("/api/v1/customer/export.xlsx", headers={**api("manager"), REQUEST_ID_HEADER: "req-77"})
    assert resp.status_code == 202, resp.get_data(as_text=True)
    assert set(resp.json) == {"job", "status_url"}
    status_url = resp.json["status_url"]
    assert status_url == f"/api/v1/job/{resp.json['job']}"
    before = client.get(status_url, headers=api("manager")).json
    assert before["status"] == "queued" and before["progress"] == 0
    # another login (even one allowed to export customers) learns nothing about it
    assert client.get(status_url, headers=api("cs")).status_code == 404
    assert client.get(status_url).status_code == 401

    drain(queued)
    done = client.get(status_url, headers=api("manager")).json
    assert done["status"] == "done" and done["progress"] == 1.0, done
    assert done["download_url"].endswith(f"/api/v1/job/{resp.json['job']}/file")
    assert client.get(done["download_url"], headers=api("cs")).status_code == 404
    file = client.get(done["download_url"], headers=api("manager"))
    assert file.status_code == 200 and "customer-" in file.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(file.data)).active
    assert sheet.max_row == 4  # header + 3 customers
    with queued.app_context():
        job = jobs.fetch(resp.json["job"], queued.appbuilder.sm.find_user("manager").id)
        assert job.meta["request_id"] == "req-77"


def test_small_export_stays_inline(queued, client, api):
    _customers(queued, 2)
    resp = client.get("/api/v1/customer/export.xlsx", headers=api("manager"))
    assert resp.status_code == 200 and resp.mimetype.endswith("sheet")


def test_list_screen_export_goes_to_the_progress_page(queued, client):
    _customers(queued)
    assert login(client, "manager").status_code == 302
    resp = client.get("/customerview/export.xlsx")
    assert resp.status_code == 303 and "/jobs/" in resp.headers["Location"]
    page = client.get(resp.headers["Location"])
    assert page.status_code == 200 and "job-progress" in page.get_data(as_text=True)
    # the list page's script asks for JSON: 202 and the status address
    scripted = client.get("/customerview/export.xlsx", headers={"Accept": "application/json"})
    assert scripted.status_code == 202 and scripted.json["status_url"].startswith("/api/v1/job/")


def test_report_workbook_runs_as_a_job(queued, client, api):
    resp = client.get("/api/v1/report/after_sales.xlsx?period=month&date=2026-11-15", headers=api("manager"))
    assert resp.status_code == 202, resp.get_data(as_text=True)
    drain(queued)
    done = client.get(resp.json["status_url"], headers=api("manager")).json
    assert done["status"] == "done", done
    file = client.get(done["download_url"], headers=api("manager"))
    assert file.status_code == 200
    assert "after_sales_20261101_20261130" in file.headers["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(file.data)).sheetnames


def test_a_failed_job_says_why_and_logs_with_the_request_id(queued, client, api, caplog):
    caplog.handler.addFilter(ContextFilter())
    with queued.test_request_context("/", headers={REQUEST_ID_HEADER: "req-fail"}):
        from flask import g

        from app.logs import _take_request_id

        _take_request_id()
        owner = queued.appbuilder.sm.find_user("manager")
        g.user = owner
        job = jobs.start("export", {"view": "NoSuchListView", "url": "/"}, owner.id, "x.xlsx")
    with caplog.at_level(logging.INFO, logger="app.jobs"):
        drain(queued)
    failed = client.get(f"/api/v1/job/{job.id}", headers=api("manager")).json
    assert failed["status"] == "failed"
    assert "NoSuchListView" in failed["message"]
    assert "download_url" not in failed
    job_lines = [r for r in caplog.records if r.name == "app.jobs" and job.id in r.getMessage()]
    assert job_lines and all(r.request_id == "req-fail" for r in job_lines)


def test_expired_job_files_are_removed_by_the_sweep(queued):
    import os
    import time

    from app.sweep import run_sweep

    with queued.app_context():
        old, new = jobs.file_path("old-job"), jobs.file_path("new-job")
        old.write_bytes(b"x")
        new.write_bytes(b"x")
        hours = queued.config["JOB_FILE_HOURS"]
        os.utime(old, (time.time() - hours * 3600 - 60,) * 2)
        assert run_sweep(["job_files"])["job_files"]["job files removed"] == 1
        assert new.exists() and not old.exists()
        new.unlink()


def test_worker_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output
