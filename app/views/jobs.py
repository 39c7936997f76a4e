"""Background jobs seen by their owner: GET /api/v1/job/<id>, its file, and a progress page."""
from __future__ import annotations

from flask import abort, g, send_file
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi

from .. import jobs
from .endpoints import api_action
from .export import XLSX


def _own_job(job_id: str):
    if not jobs.enabled():
        return None
    return jobs.fetch(job_id, g.user.id)


class JobApi(BaseApi):
    """Status and file of a job; another login's job is 404 (its existence is not revealed)."""

    resource_name = "job"
    openapi_spec_tag = "Jobs"
    allow_browser_login = True  # the screens' progress bar polls with the session cookie

    @api_action("/<job_id>", "get", methods=["GET"])
    def status(self, job_id: str):
        """Status of a background job started by the caller.
        ---
        get:
          responses:
            200:
              description: '{"status": "queued|running|done|failed", "progress": 0..1, "message", "download_url"}'
            404: {$ref: '#/components/responses/404'}
        """
        job = _own_job(job_id)
        if job is None:
            return self.response_404()
        return self.response(200, **jobs.describe(job))

    @api_action("/<job_id>/file", "get", methods=["GET"])
    def download(self, job_id: str):
        """The finished job's file (xlsx); 404 when unknown, not the caller's, not done or expired.
        ---
        get:
          responses:
            200: {description: the workbook}
            404: {$ref: '#/components/responses/404'}
        """
        job = _own_job(job_id)
        path = jobs.file_path(job_id) if job is not None else None
        if job is None or jobs.describe(job)["status"] != "done" or not path.is_file():
            return self.response_404()
        return send_file(path, mimetype=XLSX, as_attachment=True,
                         download_name=job.meta.get("download_name") or path.name)


class JobView(BaseView):
    """The page a browser without the page script lands on: a progress bar, then the download."""

    route_base = "/jobs"
    class_permission_name = "JobApi"
    method_permission_name = {"show": "get"}

    @expose("/<job_id>")
    @has_access
    def show(self, job_id: str):
        if _own_job(job_id) is None:
            abort(404)
        return self.render_template("jobs/progress.html", job_id=job_id)
