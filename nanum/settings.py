"""Nanum settings: one module, every knob from the environment, SQLite by default.

Environment variables (all optional for a local demo):

NANUM_DEBUG             "1" for development (default "0").
NANUM_SECRET_KEY        required in production (the process refuses to start without it).
NANUM_PRODUCTION        "1"/"0"; default: on when NANUM_DEBUG is off and DATABASE_URL is
                        set. In production NANUM_SECRET_KEY and NANUM_FIELD_KEYS are
                        required.
NANUM_ALLOWED_HOSTS     comma-separated host names (default "127.0.0.1,localhost").
NANUM_FIELD_KEYS        comma-separated Fernet keys for encrypted fields; first one encrypts.
DATABASE_URL            e.g. postgres://user:pass@host:5432/nanum (default: SQLite file).
NANUM_PG_PREPARE        N: PostgreSQL binds parameters server-side and psycopg prepares a
                        statement after N uses (off by default: a pooler in between must
                        keep them: PgBouncer session mode, or 1.21+ max_prepared_statements).
NANUM_DATA_DIR          where SQLite, uploaded private files and artefacts live (./var).
NANUM_EMAIL_URL         "console" (default) or "smtp://user:pass@host:port".
NANUM_SITE_URL          the public address, for links in e-mails (http://127.0.0.1:8000).
NANUM_DEFAULT_FROM_EMAIL
NANUM_SMS_URL, NANUM_KAKAO_URL
                        "console" (default: printed, for the demo and tests) or the
                        https address of an SMS / KakaoTalk 알림톡 gateway that takes a JSON
                        POST (docs/operations.md); NANUM_SMS_TOKEN, NANUM_KAKAO_TOKEN and
                        NANUM_KAKAO_TEMPLATE go with them.
NANUM_TASKS_IMMEDIATE   "1" runs background tasks inline (tests, tiny set-ups).
NANUM_TASK_LEASE_SECONDS  re-queue a task RUNNING longer than this (default 600; ml: 6 h).
NANUM_TRUSTED_PROXIES   comma-separated proxy IPs/CIDRs whose X-Forwarded-For is believed.
NANUM_LOGIN_MAX_FAILURES, NANUM_LOGIN_FIRST_WAIT, NANUM_LOGIN_WINDOW, NANUM_LOGIN_QUIET,
NANUM_LOGIN_ADDRESS_MAX_FAILURES
                        sign-in throttle (5 per account and address, then waits of 60 s
                        doubling to 900 s, forgotten after 86400 s; 100 per address).
NANUM_SECURE            "1" behind HTTPS: secure cookies, HSTS, SSL redirect.
NANUM_LOG_LEVEL         default INFO.
NANUM_ZEUS_BASE_URL, NANUM_ZEUS_API_KEY, NANUM_ZEUS_TIMEOUT, NANUM_ZEUS_PAGE_SIZE,
NANUM_ZEUS_RETRIES      the ZEUS Open API (research equipment; docs/lending.md).
NANUM_ZEUS_WITHDRAW_MAX_SHARE
                        a sync that would withdraw more than this share of the active
                        ZEUS items (default 0.2) withdraws nothing until forced.
NANUM_ZEUS_WITHDRAW_MIN_HOLD
                        withdrawals of at most this many items (default 5) are never
                        held back by the share above.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = env_bool("NANUM_DEBUG", False)
DATA_DIR = Path(os.environ.get("NANUM_DATA_DIR", REPO_DIR / "var")).resolve()

_DEV_SECRET = "nanum-insecure-development-key-change-me-0123456789abcdef"  # noqa: S105
SECRET_KEY = os.environ.get("NANUM_SECRET_KEY", "")
if not SECRET_KEY:
    # A fixed development key only makes sense on a developer's machine; production
    # sets NANUM_SECRET_KEY and `manage.py check --deploy` verifies its strength.
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env_list("NANUM_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("NANUM_CSRF_TRUSTED_ORIGINS")


def _field_keys() -> list[bytes]:
    keys = [k.encode() for k in env_list("NANUM_FIELD_KEYS")]
    if keys:
        return keys
    digest = hashlib.sha256(("nanum-field-key:" + SECRET_KEY).encode()).digest()
    return [base64.urlsafe_b64encode(digest)]


FIELD_ENCRYPTION_KEYS = _field_keys()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "ninja",
    "nanum.core",
    "nanum.lending",
    "nanum.programs",
    "nanum.learning",
    "nanum.mentoring",
    "nanum.learner_model",
    "nanum.insights",
    "nanum",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known: a NUL character in a request is refused whole.
    "nanum.core.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "nanum.core.middleware.SecurityHeadersMiddleware",
    "nanum.core.middleware.DomainErrorMiddleware",
    # Last: turns a refused sign-in (any login form, the admin's too) into the page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nanum.urls"
WSGI_APPLICATION = "nanum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nanum.core.context_processors.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=int(os.environ.get("NANUM_CONN_MAX_AGE", "60"))
        )
    }
    if (
        os.environ.get("NANUM_PG_PREPARE")
        and "postgresql" in DATABASES["default"]["ENGINE"]
    ):
        # Skips parsing and planning of repeated statements: half of PostgreSQL's CPU
        # per booking in bench/lending_throughput.py (docs/lending.md).
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True,
            prepare_threshold=int(os.environ["NANUM_PG_PREPARE"]),
        )
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get(
                "NANUM_SQLITE_PATH", str(DATA_DIR / "nanum.sqlite3")
            ),
            "OPTIONS": {
                # Every write transaction takes the write lock at BEGIN: two requests
                # can never both read "free" and then both write (no double booking).
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": os.environ.get("NANUM_SQLITE_TEST_PATH") or None},
        }
    }
for _db in DATABASES.values():
    # A connection kept between requests is checked before reuse: after a database
    # restart the first request on each worker thread reconnects instead of failing.
    _db["CONN_HEALTH_CHECKS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# --- Secrets in production ---------------------------------------------------
# Production (DEBUG off on a real database, or NANUM_PRODUCTION=1) refuses to start
# with the public development key or with field keys derived from the secret key:
# signed links and the data encrypted at rest would be readable by anyone.
# `make demo` (SQLite) and the test suite (explicit test keys) are not production.
PRODUCTION = env_bool("NANUM_PRODUCTION", not DEBUG and bool(DATABASE_URL))
if PRODUCTION:
    _missing = [
        name
        for name in ("NANUM_SECRET_KEY", "NANUM_FIELD_KEYS")
        if not os.environ.get(name, "").strip()
    ]
    if _missing:
        raise ImproperlyConfigured(
            f"{' and '.join(_missing)} must be set in production (DEBUG is off and "
            "DATABASE_URL or NANUM_PRODUCTION=1 is set). Generate them with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))' and "
            "python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'."
        )
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "NANUM_SECRET_KEY must be a random value of at least 32 characters, not "
            "the development key."
        )
    for _key in FIELD_ENCRYPTION_KEYS:
        try:
            Fernet(_key)
        except ValueError as _exc:
            raise ImproperlyConfigured(
                "NANUM_FIELD_KEYS must be comma-separated Fernet keys "
                "(32 url-safe base64-encoded bytes each)."
            ) from _exc
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
if env_bool("NANUM_FAST_HASHER"):
    # Tests and benchmarks only: creating thousands of users must not take minutes.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes), for every login form including /admin/login/.
# Failures count per (account, client address) pair: after LOGIN_THROTTLE_MAX_FAILURES
# that pair waits LOGIN_THROTTLE_FIRST_WAIT_SECONDS; each failure after a wait doubles
# it, up to LOGIN_THROTTLE_WINDOW_SECONDS; a success, or LOGIN_THROTTLE_QUIET_SECONDS
# without a failure, starts the pair over. The same account from another address,
# and other accounts from the same address, are never held back. One address that
# fails NANUM_LOGIN_ADDRESS_MAX_FAILURES times (any names) within the window is held
# back only for names that have not signed in from it before
# (nanum.core.services.signin).
LOGIN_THROTTLE_MAX_FAILURES = int(os.environ.get("NANUM_LOGIN_MAX_FAILURES", "5"))
LOGIN_THROTTLE_FIRST_WAIT_SECONDS = int(os.environ.get("NANUM_LOGIN_FIRST_WAIT", "60"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("NANUM_LOGIN_WINDOW", "900"))
LOGIN_THROTTLE_QUIET_SECONDS = int(os.environ.get("NANUM_LOGIN_QUIET", "86400"))
LOGIN_THROTTLE_ADDRESS_MAX_FAILURES = int(
    os.environ.get("NANUM_LOGIN_ADDRESS_MAX_FAILURES", "100")
)
# Proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDRs); without
# them the client address is REMOTE_ADDR and X-Forwarded-For is ignored.
NANUM_TRUSTED_PROXIES = env_list("NANUM_TRUSTED_PROXIES")
for _proxy in NANUM_TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a typo stops the start, not sign-ins
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "nanum.core.services.signin.login_failure_limit"
AXES_COOLOFF_TIME = "nanum.core.services.signin.login_cool_off"
AXES_USERNAME_CALLABLE = "nanum.core.services.signin.login_username"
AXES_CLIENT_IP_CALLABLE = "nanum.core.services.signin.client_address"
AXES_LOCKOUT_CALLABLE = "nanum.core.views.public.signin_refused"
AXES_RESET_ON_SUCCESS = True
# Each counted failure is logged, so an address's failures in the window can be counted.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Tries during the wait are refused without being counted, so they cannot extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
SESSION_COOKIE_AGE = int(os.environ.get("NANUM_SESSION_AGE", str(60 * 60 * 8)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "nanum_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# One date and time format per language (nanum/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["nanum.formats"]

# --- Static and private files ------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("NANUM_STATIC_ROOT", REPO_DIR / "staticfiles"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Uploaded documents are private: they live outside the web root and are only
        # streamed by views that check permissions and write the access log.
        "OPTIONS": {"location": str(DATA_DIR / "private"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("NANUM_MANIFEST_STATIC", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not env_bool("NANUM_MANIFEST_STATIC", True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- E-mail ----------------------------------------------------------------
_email_url = os.environ.get("NANUM_EMAIL_URL", "console")
if _email_url == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email_url == "memory":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    _parsed = urlparse(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _parsed.hostname or "localhost"
    EMAIL_PORT = _parsed.port or 587
    EMAIL_HOST_USER = unquote(_parsed.username or "")
    EMAIL_HOST_PASSWORD = unquote(_parsed.password or "")
    EMAIL_USE_TLS = _parsed.scheme in {"smtp+tls", "submission"}
DEFAULT_FROM_EMAIL = os.environ.get(
    "NANUM_DEFAULT_FROM_EMAIL", "나눔 <no-reply@nanum.local>"
)

# --- ZEUS (national research equipment portal) ------------------------------
# The Open API's base URL and the institution's key (docs/lending.md, operations.md).
ZEUS_BASE_URL = os.environ.get("NANUM_ZEUS_BASE_URL", "https://www.zeus.go.kr/openapi")
ZEUS_API_KEY = os.environ.get("NANUM_ZEUS_API_KEY", "")
ZEUS_TIMEOUT = float(os.environ.get("NANUM_ZEUS_TIMEOUT", "10"))
ZEUS_PAGE_SIZE = int(os.environ.get("NANUM_ZEUS_PAGE_SIZE", "500"))
ZEUS_RETRIES = int(os.environ.get("NANUM_ZEUS_RETRIES", "3"))
ZEUS_WITHDRAW_MAX_SHARE = float(os.environ.get("NANUM_ZEUS_WITHDRAW_MAX_SHARE", "0.2"))
ZEUS_WITHDRAW_MIN_HOLD = int(os.environ.get("NANUM_ZEUS_WITHDRAW_MIN_HOLD", "5"))

# --- Background tasks ------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("NANUM_TASKS_IMMEDIATE")
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "mail", "ml"],
    }
}
# A task RUNNING longer than this (seconds) is taken for a dead worker's and re-queued
# (the ``ml`` queue gets six hours at least): ``nanum.core.services.tasks_requeue_stale``.
NANUM_TASK_LEASE_SECONDS = int(os.environ.get("NANUM_TASK_LEASE_SECONDS", "600"))

# --- Security --------------------------------------------------------------
SECURE = env_bool("NANUM_SECURE", not DEBUG and bool(DATABASE_URL))
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("NANUM_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# --- Nanum ----------------------------------------------------------------
NANUM_HOME_CACHE_SECONDS = int(os.environ.get("NANUM_HOME_CACHE_SECONDS", "60"))
_cache_url = os.environ.get("NANUM_CACHE", "")
if _cache_url == "database":
    # Shared by every web process (run `nanum createcachetable` once).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "nanum_cache",
        }
    }
NANUM_SITE_NAME = os.environ.get("NANUM_SITE_NAME", "나눔")
# Where people open Nanum: links in e-mails are absolute on this address.
NANUM_SITE_URL = os.environ.get("NANUM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Text channels (nanum.core.services.channels): "console" or a gateway's https address.
NANUM_SMS_URL = os.environ.get("NANUM_SMS_URL", "console")
NANUM_SMS_TOKEN = os.environ.get("NANUM_SMS_TOKEN", "")
NANUM_KAKAO_URL = os.environ.get("NANUM_KAKAO_URL", "console")
NANUM_KAKAO_TOKEN = os.environ.get("NANUM_KAKAO_TOKEN", "")
NANUM_KAKAO_TEMPLATE = os.environ.get("NANUM_KAKAO_TEMPLATE", "nanum_notice")
# Phone codes: per number 1 per 60 s and 5 per 3600 s; per client address 20 an hour.
NANUM_PHONE_CODE_LIMITS = (1, 60, 5, 3600, 20)
NANUM_TOKEN_PREFIX = "nanum_"  # noqa: S105 - a prefix, not a secret
NANUM_ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("NANUM_ACCESS_LOG_DAYS", "730"))
NANUM_KT_DATA = os.environ.get(
    "NANUM_KT_DATA", str(REPO_DIR.parent / "shared" / "data" / "kt")
)
NANUM_ARTIFACT_DIR = Path(os.environ.get("NANUM_ARTIFACT_DIR", DATA_DIR / "artifacts"))

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("NANUM_LOG_LEVEL", "INFO"),
    },
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # Each task's RUNNING/SUCCESSFUL line is noise in the web log; `nanum worker`
        # sets its own level from --verbosity.
        "django_tasks": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "nanum.core.views.csrf_failure"
