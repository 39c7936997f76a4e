"""Configuration classes, read from the environment."""
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from flask_appbuilder.security.manager import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return [part.strip() for part in value.split(",") if part.strip()] if value else default


def _password_validator(password: str) -> None:
    """FAB_PASSWORD_COMPLEXITY_VALIDATOR, imported late (config loads before the app package)."""
    from app.security.passwords import fab_password_validator

    fab_password_validator(password)


# Hosts this app answers as (APP_HOSTS="desk.example.com,desk.example.com:8443").
APP_HOSTS = _env_list("APP_HOSTS", ["localhost", "localhost:*", "127.0.0.1", "127.0.0.1:*"])


REDIS_URL = os.environ.get("REDIS_URL") or None


def _dev_secret_key() -> str:
    """A random key kept in the instance folder, so sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class BaseConfig:
    """Settings shared by every environment."""

    # --- Deployment (docs/DEPLOY.md) -------------------------------------------------
    # Unset: the embedded default (jobs inline, exports streamed, limits in process).
    REDIS_URL = REDIS_URL
    # Exports with more rows than this run as a background job when Redis is configured.
    EXPORT_INLINE_MAX_ROWS = int(os.environ.get("EXPORT_INLINE_MAX_ROWS", "50000"))
    # Finished job files (exports, report workbooks) are deleted after this many hours.
    JOB_FILE_HOURS = float(os.environ.get("JOB_FILE_HOURS", "24"))
    JOB_TIMEOUT_SECONDS = int(os.environ.get("JOB_TIMEOUT_SECONDS", "3600"))
    # `make run` / `flask run`: the sweep runs in the serving process every this many seconds
    # (0 = never); with Redis the workers' scheduler runs it instead.
    SWEEP_EVERY_SECONDS = int(os.environ.get("SWEEP_EVERY_SECONDS", "60"))
    # An optional PostgreSQL read replica for the dashboard's charts, the KPI figures and the
    # report workbook (app/replica.py); unset = one database.
    DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL") or None
    SQLALCHEMY_BINDS = {"replica": DATABASE_REPLICA_URL} if DATABASE_REPLICA_URL else {}
    # Dashboard charts and KPI figures kept across requests (app/figures.py), in Redis when set;
    # never older than the last saved change; 0 = computed on every request.
    FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", "300"))
    # Logs: "text" (readable lines) or "json" (one JSON object per line); level name.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    SENTRY_DSN = os.environ.get("SENTRY_DSN") or None

    APP_NAME = "After-Sales Service Desk"
    APP_ICON = ""
    APP_THEME = ""
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'app.db'}"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Flask-AppBuilder
    AUTH_TYPE = AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False
    FAB_SECURITY_MANAGER_CLASS = "app.security.manager.ServiceSecurityManager"
    FAB_INDEX_VIEW = "app.views.home.HomeView"
    FAB_API_SWAGGER_UI = True
    # app/views/openapi.py registers the document (repaired) and Swagger UI instead of FAB
    FAB_ADD_OPENAPI_VIEWS = False
    FAB_API_MAX_PAGE_SIZE = 100
    FAB_UPDATE_PERMS = _env_bool("FAB_UPDATE_PERMS", True)
    FAB_CREATE_DB = _env_bool("FAB_CREATE_DB", True)
    FAB_ADD_SECURITY_API = False
    # Role policy lives in app/security/policy.py; the app factory fills FAB_ROLES from it.
    FAB_ROLES: dict = {}

    # CSRF (registered by the app factory; FAB does not do it).
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None

    # Languages: English, Simplified and Traditional Chinese.
    BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE", "en")
    # FAB prepends its own; then FAB's strings in Traditional (FAB ships none), then ours (docs/I18N.md).
    BABEL_TRANSLATION_DIRECTORIES = f"{BASE_DIR / 'translations' / 'fab'};{BASE_DIR / 'translations'}"
    LANGUAGES = {
        "en": {"flag": "gb", "name": "English"},
        "zh_Hans": {"flag": "cn", "name": "简体中文"},
        "zh_Hant": {"flag": "tw", "name": "繁體中文"},
    }

    # --- Security (docs/SECURITY.md) -------------------------------------------------
    # Sessions: idle and absolute timeouts enforced per request (app/security/auth.py).
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")))
    PERMANENT_SESSION_LIFETIME = SESSION_ABSOLUTE_TIMEOUT
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Login throttling: FAB's form login, and the API login (added by the security manager).
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    # Counters shared by every app server when Redis is configured (memory = per process).
    # None: REDIS_URL when set, else memory (filled in by the app factory).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or None
    AUTH_RATE_LIMITED = True
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute")
    # Timed holds after failed logins (app/security/throttle.py): per account after this many
    # in a row, per client address after AUTH_ADDRESS_THRESHOLD within the window; each hold
    # doubles per further failure, up to the maximum; an Admin can unlock at once.
    AUTH_LOCKOUT_THRESHOLD = int(os.environ.get("AUTH_LOCKOUT_THRESHOLD", "5"))
    AUTH_LOCKOUT_SECONDS = int(os.environ.get("AUTH_LOCKOUT_SECONDS", "60"))
    AUTH_LOCKOUT_MAX_SECONDS = int(os.environ.get("AUTH_LOCKOUT_MAX_SECONDS", "900"))
    AUTH_ADDRESS_THRESHOLD = int(os.environ.get("AUTH_ADDRESS_THRESHOLD", "10"))
    AUTH_ADDRESS_SECONDS = int(os.environ.get("AUTH_ADDRESS_SECONDS", "30"))
    AUTH_ADDRESS_WINDOW_SECONDS = int(os.environ.get("AUTH_ADDRESS_WINDOW_SECONDS", "900"))
    # Request bodies (app/security/api_edge.py): any body, and JSON bodies of the API (413
    # past them); JSON nested deeper than API_JSON_MAX_DEPTH is a 400.
    # (any body: the largest attachment plus room for the rest of its form)
    MAX_CONTENT_LENGTH = int((float(os.environ.get("MAX_CONTENT_MB") or 0)
                              or float(os.environ.get("ATTACHMENT_MAX_MB", "20")) + 5) * 1024 * 1024)
    API_JSON_MAX_BYTES = int(os.environ.get("API_JSON_MAX_KB", "1024")) * 1024
    API_JSON_MAX_DEPTH = 32
    # Password policy: length and a blocklist, no composition rules (ASVS 6.2).
    PASSWORD_MIN_LENGTH = 12
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    FAB_PASSWORD_COMPLEXITY_VALIDATOR = staticmethod(_password_validator)
    # Redirects after login only to these hosts, whatever Host header a request claims.
    FAB_SAFE_REDIRECT_HOSTS = APP_HOSTS
    SECURITY_HSTS = False

    # Time: stored as UTC, shown and typed in this zone (app/clock.py).
    APP_TIMEZONE = os.environ.get("APP_TIMEZONE", "Asia/Shanghai")
    BABEL_DEFAULT_TIMEZONE = APP_TIMEZONE

    # Attachments (docs/ATTACHMENTS.md): one folder, content-addressed; backups pack it whole.
    ATTACHMENT_DIR = os.environ.get("ATTACHMENT_DIR") or str(INSTANCE_DIR / "attachments")
    ATTACHMENT_MAX_MB = float(os.environ.get("ATTACHMENT_MAX_MB", "20"))

    # Service-desk settings
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD")

    # Notifications (docs/NOTIFICATIONS.md): Flask-Mail's settings; no MAIL_SERVER = no email.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "service-desk@localhost")
    MAIL_SUPPRESS_SEND = False  # Flask-Mail would not send while TESTING; the tests use a real local server
    # WeCom / DingTalk group robot: every notice is also posted there.
    NOTIFY_WEBHOOK_URL = os.environ.get("NOTIFY_WEBHOOK_URL") or None
    # Links in emails and chat messages sent outside a request (sweeps, workers).
    APP_BASE_URL = os.environ.get("APP_BASE_URL") or None
    SURVEY_LINK_DAYS = int(os.environ.get("SURVEY_LINK_DAYS", "14"))
    SURVEY_LOW_SCORE = 2  # a survey with any score at or below this also tells the Manager
    NOTIFY_DAYS_AHEAD = 3  # inspections and maintenance are announced this many days ahead
    PARTS_OWED_DAYS = 7  # a defective part not brought back after this many days reminds the keeper


class DevelopmentConfig(BaseConfig):
    """Local use: SQLite in the instance folder, a generated secret key."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or None  # filled lazily by init()

    @classmethod
    def init(cls) -> None:
        if not cls.SECRET_KEY:
            cls.SECRET_KEY = _dev_secret_key()


class TestConfig(BaseConfig):
    """Tests: a throwaway database (TEST_DATABASE_URL, else SQLite in a temp folder)."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = True
    FAB_UPDATE_PERMS = True
    FAB_CREATE_DB = True
    RATELIMIT_ENABLED = False
    # Tests that need Redis set it themselves (tests/redis_helpers.py); none by default.
    REDIS_URL = None
    RATELIMIT_STORAGE_URI = None
    DATABASE_REPLICA_URL = None  # tests that need one set SQLALCHEMY_BINDS themselves
    SQLALCHEMY_BINDS: dict = {}
    SWEEP_EVERY_SECONDS = 0
    FAB_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing; tests only
    # a throwaway store per test run, never the instance folder
    ATTACHMENT_DIR = os.environ.get("TEST_ATTACHMENT_DIR") or tempfile.mkdtemp(prefix="attachments-test-")


class ProductionConfig(BaseConfig):
    """Production: refuses to start without SECRET_KEY, DATABASE_URL and APP_HOSTS."""

    DEBUG = False
    TESTING = False
    PREFERRED_URL_SCHEME = "https"
    SESSION_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, for this exact host, path /.
    SESSION_COOKIE_NAME = "__Host-session"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    SECURITY_HSTS = True
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    # Requests for any other Host than APP_HOSTS answer 400 (init()): a spoofed Host is never
    # echoed into the OpenAPI `servers` or absolute redirect URLs.
    TRUSTED_HOSTS = None

    @classmethod
    def init(cls) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "APP_HOSTS") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production configuration needs these environment variables: " + ", ".join(missing)
                + " (APP_HOSTS: the host names this desk is reached by, comma separated)"
            )
        cls.SECRET_KEY = os.environ["SECRET_KEY"]
        cls.SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
        hosts = _env_list("APP_HOSTS", [])
        trusted = sorted({h.split(":")[0] for h in hosts if "*" not in h.split(":")[0]})
        if not trusted:
            raise RuntimeError("APP_HOSTS must name at least one host without a wildcard")
        cls.FAB_SAFE_REDIRECT_HOSTS = hosts
        cls.TRUSTED_HOSTS = trusted


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[BaseConfig]:
    """The config class named by APP_CONFIG (default: development)."""
    name = os.environ.get("APP_CONFIG", "development").lower()
    if name not in CONFIGS:
        raise RuntimeError(f"APP_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
