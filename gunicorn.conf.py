"""gunicorn settings for the app servers: `gunicorn -c gunicorn.conf.py` (docs/DEPLOY.md).

Every value can be changed from the environment without editing this file.
"""
import multiprocessing
import os

wsgi_app = "app:create_app()"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8080")

# Threaded workers: a slow request (an inline export, a report workbook) holds one thread,
# not a whole process, and the worker's heartbeat keeps running beside it.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# The longest request we serve inline is an export of EXPORT_INLINE_MAX_ROWS rows (bigger
# ones are background jobs when Redis is configured). Exports were measured at ~10,000 rows/s
# (bench/export.py); sized here at 1,000 rows/s, a tenth of that, for a loaded server:
# 50,000 rows → 60 s at least.
_inline_rows = int(os.environ.get("EXPORT_INLINE_MAX_ROWS", "50000"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or max(60, _inline_rows // 1000))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", str(timeout)))
keepalive = 5

# Recycle workers now and then (memory a library may hold on to stays bounded).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# Workers never write FAB permissions (they would race each other): `flask deploy` syncs the
# roles once per release, before the workers start.
raw_env = ["FAB_UPDATE_PERMS=0", "FAB_CREATE_DB=0"]
os.environ.setdefault("APP_CONFIG", "production")

# Access log on stdout with the request id the app echoes (X-Request-ID); app logs on stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn writes `Server: gunicorn` on every answer and has no setting to leave it out; a
# banner only tells a prober which server (and so which flaws) to try: drop it.
import gunicorn.http.wsgi as _wsgi  # noqa: E402

_default_headers = _wsgi.Response.default_headers


def _without_banner(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_wsgi.Response.default_headers = _without_banner
