"""Background jobs on RQ (Redis): big list exports and the report workbook, with progress.

Why RQ: a plain queue on the Redis we already run, one worker process type, jobs are
ordinary functions (docs/DEPLOY.md). Without REDIS_URL there is no queue: exports stream
inline and the report is built in the request, as before.

A job belongs to the login that started it (only it may read the status or the file),
carries the id of the request that started it into its log lines, and writes its file
to `<instance>/jobs/<job id>.xlsx`, deleted after JOB_FILE_HOURS by the sweep.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from flask import current_app, has_app_context

from ..logs import current_request_id, job_request_id
from ..redis_conn import redis_client

log = logging.getLogger(__name__)
QUEUE = "service-desk"
# kind → function(params, path, progress) writing the file; registered by app/jobs/kinds.py
KINDS: dict[str, Callable] = {}
STATUS = {"queued": "queued", "deferred": "queued", "scheduled": "queued", "started": "running",
          "finished": "done", "failed": "failed", "stopped": "failed", "canceled": "failed"}


def kind(name: str):
    def register(fn):
        KINDS[name] = fn
        return fn

    return register


def enabled() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def queue():
    from rq import Queue

    return Queue(QUEUE, connection=redis_client())


def files_dir(app=None) -> Path:
    app = app or current_app
    folder = Path(app.instance_path) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_path(job_id: str, app=None) -> Path:
    return files_dir(app) / f"{job_id}.xlsx"


def start(job_kind: str, params: dict, owner_id: int, download_name: str):
    """Queue a job for the login `owner_id`; returns the RQ job."""
    keep = int(current_app.config["JOB_FILE_HOURS"] * 3600)
    job = queue().enqueue(
        run_job, job_kind, params,
        job_timeout=current_app.config["JOB_TIMEOUT_SECONDS"], result_ttl=keep, failure_ttl=keep,
        meta={"owner": owner_id, "request_id": current_request_id(), "progress": 0.0,
              "kind": job_kind, "download_name": download_name, "message": ""},
    )
    log.info("job %s (%s) queued for user %s", job.id, job_kind, owner_id)
    return job


def enqueue_task(fn: Callable, *args, timeout: int = 300):
    """Queue `fn(*args)` (a module-level function) to run in a worker inside the app, carrying
    this request's id into its log lines; kept an hour when done, a day when it failed."""
    return queue().enqueue(run_task, fn, *args, job_timeout=timeout, result_ttl=3600, failure_ttl=86400,
                           meta={"request_id": current_request_id()})


def run_task(fn: Callable, *args):
    """Executed by the worker for `enqueue_task`: the app context and the request id of its origin."""
    from rq import get_current_job

    job = get_current_job()
    token = job_request_id.set(job.meta.get("request_id") if job else None)
    try:
        if has_app_context():
            return fn(*args)
        with _app().app_context():
            return fn(*args)
    finally:
        job_request_id.reset(token)


def fetch(job_id: str, owner_id: int):
    """The job if it exists and belongs to `owner_id`, else None (others never learn it exists)."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(job_id, connection=redis_client())
    except (NoSuchJobError, ValueError):
        return None
    return job if job.meta.get("owner") == owner_id else None


def describe(job) -> dict:
    """The API shape: status, progress 0..1, message, download_url when done."""
    from flask import url_for

    status = STATUS.get(job.get_status(refresh=True).value if job.get_status() else "queued", "queued")
    meta = job.get_meta(refresh=True)
    body = {"status": status, "progress": 1.0 if status == "done" else round(float(meta.get("progress") or 0), 3),
            "message": meta.get("message") or ""}
    if status == "done":
        body["download_url"] = url_for("JobApi.download", job_id=job.id)
    if status == "failed" and not body["message"]:
        body["message"] = "The job stopped before it finished."
    return body


def _app():
    if has_app_context():
        return current_app._get_current_object()
    from app import create_app  # a plain `rq worker` process: build the app once

    global _WORKER_APP
    if _WORKER_APP is None:
        _WORKER_APP = create_app()
    return _WORKER_APP


_WORKER_APP = None


def run_job(job_kind: str, params: dict) -> str:
    """Executed by the worker: the kind's function writes the file; progress and failure in meta."""
    from rq import get_current_job

    job = get_current_job()
    token = job_request_id.set(job.meta.get("request_id"))
    app = _app()
    last = [0.0]

    def progress(fraction: float) -> None:
        # at most every 2 % (a Redis write each time)
        if fraction - last[0] >= 0.02 or fraction >= 1:
            last[0] = fraction
            job.meta["progress"] = min(max(fraction, 0.0), 1.0)
            job.save_meta()

    try:
        with app.app_context():
            log.info("job %s (%s) started", job.id, job_kind)
            began = time.monotonic()
            path = file_path(job.id, app)
            try:
                KINDS[job_kind](params, path, progress, job.meta["owner"])
            except Exception as exc:
                path.unlink(missing_ok=True)
                job.meta["message"] = _failure_message(exc)
                job.save_meta()
                log.exception("job %s (%s) failed", job.id, job_kind)
                raise
            log.info("job %s (%s) done in %.1f s", job.id, job_kind, time.monotonic() - began)
            return str(path)
    finally:
        job_request_id.reset(token)


def _failure_message(exc: Exception) -> str:
    from ..models.base import DomainError

    if isinstance(exc, DomainError):
        return str(exc.errors)
    from flask_babel import gettext

    return gettext("The file could not be made: %(reason)s", reason=f"{type(exc).__name__}: {exc}"[:300])


def remove_expired_files(now_ts: float) -> int:
    """Delete job files older than JOB_FILE_HOURS at `now_ts` (epoch seconds); returns how many."""
    limit = now_ts - current_app.config["JOB_FILE_HOURS"] * 3600
    removed = 0
    for path in files_dir().glob("*.xlsx"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
