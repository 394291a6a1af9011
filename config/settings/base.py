"""Settings shared by every environment; values come from the environment (django-environ)."""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab

from config.embedded_db import embedded_database_urls
from core.db_roles import database_settings
from core.web.site import DEFAULT_IDENTIFIER_LINKS, DEFAULT_SYSTEM_USE_NOTICE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "config.admin_apps.RegistryAdminConfig",  # the admin for the admin role only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "core",  # shared machinery: history, roles, API and web bases (docs/architecture.md)
    "partners",
    "agreements",
    "safeguards",  # technology safeguards: releases, end-use checks, transfers, violations
    "conditions",
    "notifications",  # Congress's review: notifications and waiting periods
    "registry",  # the site on top: dashboard, reports, import, demo, change feed, webhooks
    "axes",  # login lockout (docs/decisions/0013)
    "csp",
    "mozilla_django_oidc",  # agency sign-in (docs/decisions/0027)
    "django_otp",  # passkeys as a second factor for local accounts (docs/decisions/0027)
    "django_otp_webauthn",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "core.security.RequestBodyLimitMiddleware",  # 413 before any body is read
    "core.security.RefuseNulMiddleware",  # 400: PostgreSQL cannot hold NUL
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.security.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.web.sessions.IdleSessionRefreshMiddleware",  # idle expiry without a write per read
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified() (passkeys)
    "core.auth.second_factor.SecondFactorMiddleware",  # REQUIRE_SECOND_FACTOR_FOR
    "core.history.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.security.AuditReadMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.roles.role_context",
                "conditions.context_processors.ledger_alert_context",
                "core.web.site.site_context",
            ],
        },
    },
]

# Two roles (docs/decisions/0017): `default` is the runtime role the application uses,
# `owner` the schema owner that `migrate` uses (DATABASE_URL, or the embedded server).
DATABASES = database_settings(env, embedded_database_urls)
DATABASE_RUNTIME_ROLE = DATABASES["default"]["USER"]
DATABASE_RUNTIME_PASSWORD = DATABASES["default"].get("PASSWORD") or ""
# Ledger anchors (docs/decisions/0017): each passed ledger check is signed (Ed25519) with a key
# the database never sees and appended to a log outside PostgreSQL, one per database.
LEDGER_ANCHOR_LOG = env(
    "LEDGER_ANCHOR_LOG",
    default=str(BASE_DIR / "var" / "ledger-anchors" / f"{DATABASES['default']['NAME']}.jsonl"),
)
LEDGER_ANCHOR_KEY = env("LEDGER_ANCHOR_KEY", default="")  # base64 of the raw private key
LEDGER_ANCHOR_KEY_FILE = env(
    "LEDGER_ANCHOR_KEY_FILE", default=str(BASE_DIR / "var" / "ledger-anchor.pem")
)
LEDGER_ANCHOR_KEY_CREATE = True  # a missing key file is made (never in production)
# Also send each signed line to a remote syslog: "host:port" (UDP) or a socket path; "" none.
LEDGER_ANCHOR_SYSLOG = env("LEDGER_ANCHOR_SYSLOG", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "core.security.LockoutBackend",  # django-axes first: refuses locked-out usernames
    "core.auth.backends.LocalPasswordBackend",  # passwords, unless LOCAL_LOGIN is false
    "core.auth.oidc.AgencyOIDCBackend",  # agency sign-in (OIDC_ISSUER)
]

# Security (docs/decisions/0013): lockout, sessions, headers, Content Security Policy.
AXES_FAILURE_LIMIT = 3
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 wants the address in the lockout too; locking a whole address would lock every
# colleague behind the same proxy after three typos (docs/decisions/0013).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # a row per failed attempt, beside AccessLog
AXES_SENSITIVE_PARAMETERS: list = []  # the security log names user and address
AXES_LOCKOUT_TEMPLATE = "403.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]  # behind a proxy: set X-Forwarded-For
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)  # idle expiry
# The expiry moves forward at most once a minute, not with a write on every read
# (core/web/sessions.py); a session idle for SESSION_COOKIE_AGE still ends.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # USWDS and Swagger UI draw icons from data: URIs
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Ledger and history reads are logged on `registry.audit` (core.security.AuditReadMiddleware).
AUDITED_READ_PATHS = [
    r"^/api/v1/waivers/",
    r"^/api/v1/conditions/\d+/waiver-history/",
    r"^/api/v1/history/",
    r"^/api/v1/changes/",  # the change feed shows who changed what
    r"^/waivers/",
    r"^/conditions/\d+/waivers/",
    r"^/history/",
]
# Throttle counters, shared by every worker: the database cache unless CACHE_URL names Redis
# (`migrate` creates its table, UNLOGGED, core/caching.py; docs/decisions/0018 and 0032).
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://registry_cache")}
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    # One upsert per write (core/caching.py), and room for the counters of 10,000 users and
    # addresses (this minute's and the last's: core.security.RequestRateThrottle).
    CACHES["default"]["BACKEND"] = "core.caching.RegistryDatabaseCache"
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)
# Request bodies: 413 above these sizes (core.security.RequestBodyLimitMiddleware).
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_UPLOAD_MAX_BYTES = env.int("IMPORT_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# Web imports with more records than this run as a Celery task with a progress bar.
IMPORT_INLINE_MAX_ROWS = env.int("IMPORT_INLINE_MAX_ROWS", default=300)
REQUEST_BODY_UPLOAD_PATHS = ["/import/"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

from config.settings.signin import *  # noqa: E402, F403 (the sign-in block: OIDC, passkeys)
from config.settings.signin import OIDC_ISSUER  # noqa: E402

if OIDC_ISSUER:
    # The sign-in and sign-out forms end at the provider (a redirect after a POST).
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        "{0.scheme}://{0.netloc}".format(urlsplit(OIDC_ISSUER))
    )

# Federal-site conventions (docs/decisions/0019): the system-use notice people accept before
# signing in (NIST SP 800-53 AC-8), and the agency the identifier under every page names.
SYSTEM_USE_NOTICE = env("SYSTEM_USE_NOTICE", default=DEFAULT_SYSTEM_USE_NOTICE)
SITE_AGENCY_NAME = env("SITE_AGENCY_NAME", default="U.S. Department of Defense")
SITE_AGENCY_URL = env("SITE_AGENCY_URL", default="https://www.defense.gov/")
SITE_DOMAIN = env("SITE_DOMAIN", default="")  # empty: the host the request came to
SITE_IDENTIFIER_LINKS = env.list("SITE_IDENTIFIER_LINKS", default=DEFAULT_IDENTIFIER_LINKS)

LANGUAGE_CODE = "en-us"
# Dates read "Dec 7, 2026" wherever a template prints one (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
# The registry day (every "today") is the date here; timestamps stay UTC (config/registry_day).
REGISTRY_TIME_ZONE = env("REGISTRY_TIME_ZONE", default="America/New_York")

# Where a waiver's classified justification is kept: this registry holds only an unclassified
# summary of it (docs/decisions/0028-cui-markings.md). Shown on the condition page.
CLASSIFIED_RECORDS_LOCATION = env(
    "CLASSIFIED_RECORDS_LOCATION",
    default="The classified record is kept on the classified network by the office that "
    "recorded the waiver; ask its responsible office for the reference.",
)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"

from config.settings.api import *  # noqa: E402, F403 (REST framework, tokens, OpenAPI)

# Celery: the embedded default is kombu's filesystem transport under var/ (no broker server).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
BROKER_FOLDER = Path(env("CELERY_BROKER_FOLDER", default=str(BASE_DIR / "var" / "broker")))
# A broker that is down must not hold up a web request (docs/decisions/0014): connecting
# and publishing give up within seconds, and the notification outbox keeps the message.
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_FOLDER / "queue"),
        "data_folder_out": str(BROKER_FOLDER / "queue"),
        "processed_folder": str(BROKER_FOLDER / "processed"),
        "control_folder": str(BROKER_FOLDER / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis", "rediss")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_IMPORTS = ["registry.importing.tasks"]  # tasks outside an app's tasks.py
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
# Beat keeps the registry's clock, so the daily scan runs just after the registry day begins.
CELERY_TIMEZONE = REGISTRY_TIME_ZONE
# Daily scan at 00:05 registry time and the hourly digests (docs/decisions/0010, 0011).
# A missed run is caught up by the next one: the scan works with windows, the outbox keeps
# unsent rows.
# SCAN_EVERY_SECONDS replaces the daily time with an interval (integration tests, demos).
_SCAN_EVERY = env.float("SCAN_EVERY_SECONDS", default=None)
CELERY_BEAT_SCHEDULE: dict = {
    "scan-conditions-daily": {
        "task": "conditions.tasks.scan_conditions",
        "schedule": _SCAN_EVERY or crontab(hour=0, minute=5),
        "options": {"expires": 60 * 60 * 12},
    },
    "send-notification-digests-hourly": {
        "task": "conditions.tasks.send_notification_digests",
        "schedule": _SCAN_EVERY or crontab(minute=15),
        "options": {"expires": 60 * 50},
    },
    "verify-ledger-daily": {"task": "conditions.tasks.verify_ledger", "schedule": 60 * 60 * 24},
    # Webhooks (docs/decisions/0021): queue a delivery run for each subscription with work due.
    "dispatch-webhooks": {
        "task": "registry.tasks.dispatch_webhooks",
        "schedule": env.float("WEBHOOK_DISPATCH_EVERY_SECONDS", default=5.0),
        "options": {"expires": 60},
    },
}
# Webhook secrets are encrypted with the first of these Fernet keys (any of them decrypts);
# none: a key derived from SECRET_KEY. Attempts time out, back off and pause (decision 0021).
WEBHOOK_ENCRYPTION_KEYS = env.list("WEBHOOK_ENCRYPTION_KEYS", default=[])
WEBHOOK_CONNECT_TIMEOUT_SECONDS = env.float("WEBHOOK_CONNECT_TIMEOUT_SECONDS", default=3.0)
WEBHOOK_READ_TIMEOUT_SECONDS = env.float("WEBHOOK_READ_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_BACKOFF_BASE_SECONDS = env.float("WEBHOOK_BACKOFF_BASE_SECONDS", default=10.0)
WEBHOOK_BACKOFF_CAP_SECONDS = env.float("WEBHOOK_BACKOFF_CAP_SECONDS", default=3600.0)
WEBHOOK_PAUSE_AFTER_SECONDS = env.float("WEBHOOK_PAUSE_AFTER_SECONDS", default=24 * 3600.0)
# Receivers on loopback, over http too: for tests only (registry/webhooks/targets.py).
WEBHOOK_ALLOW_LOOPBACK = False

# Who hears of agreements not yet reported to Congress under the Case Act (flag digests).
CASE_ACT_OFFICE = env("CASE_ACT_OFFICE", default="Office of Treaty Affairs (L/T)")
CASE_ACT_EMAIL = env("CASE_ACT_EMAIL", default="")
# Agreements signed or in force before this day are not flagged: the monthly reporting of
# Pub. L. 117-263 section 5947 applies from then on (check the date against the statute).
CASE_ACT_FLAGS_FROM = datetime.date.fromisoformat(env("CASE_ACT_FLAGS_FROM", default="2023-09-01"))

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="registry@localhost")
# Where flag digests go for a condition with no responsible_email (empty: they wait).
NOTIFICATIONS_FALLBACK_EMAIL = env("NOTIFICATIONS_FALLBACK_EMAIL", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "timed": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "timed"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Who read the ledger or history, and every login attempt (axes), always at INFO.
        "registry.audit": {"level": "INFO"},
        "axes": {"level": "INFO"},
    },
}

# Change history (docs/decisions/0003): triggers record every insert, update and delete,
# and the event tables are append-only in the database.
import pghistory  # noqa: E402

from core.history.context import AppendOnlyGuard  # noqa: E402

PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    AppendOnlyGuard(),  # event tables refuse UPDATE, DELETE, TRUNCATE (decisions 0008, 0017)
)
PGHISTORY_APPEND_ONLY = False  # pghistory's own guard honours pgtrigger.ignore; see above
