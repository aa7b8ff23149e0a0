"""Fieldguide settings.

Everything that differs between machines comes from environment variables with safe
defaults: the embedded default is SQLite under ``var/`` and no other service.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FIELDGUIDE_VAR_DIR", BASE_DIR / "var"))

# Private files: var/ holds the database, the secret key, uploads and editions, so
# only the account that runs the site may open it or any file in it.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
VAR_DIR.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
if VAR_DIR.stat().st_uid == os.getuid():
    VAR_DIR.chmod(PRIVATE_DIR_MODE)


def private_file(path: Path) -> Path:
    """Create ``path`` if missing, readable and writable by its owner only."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))
    path.chmod(PRIVATE_FILE_MODE)
    return path


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Use SECRET_KEY from the environment, else one generated once and kept in var/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = private_file(VAR_DIR / "secret_key")
    if not key_file.read_text().strip():
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "fieldguide.core",
    "fieldguide.guide",
    "fieldguide.library",
    "fieldguide.search",
    "fieldguide.exports",
    "fieldguide.linkhealth",
    "fieldguide.editorial",
    "fieldguide.atlas",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fieldguide.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fieldguide.core.compression.CompressionMiddleware",
    "fieldguide.core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fieldguide.core.middleware.FieldguideCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "fieldguide.urls"
WSGI_APPLICATION = "fieldguide.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fieldguide" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "fieldguide.guide.context_processors.guide",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'fieldguide.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
    # Private files: SQLite gives its -wal and -shm files the database file's mode.
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    if str(_sqlite_file) != ":memory:" and _sqlite_file.parent.is_dir():
        private_file(_sqlite_file)
        for _suffix in ("-wal", "-shm", "-journal"):
            _companion = _sqlite_file.with_name(_sqlite_file.name + _suffix)
            if _companion.exists():
                _companion.chmod(PRIVATE_FILE_MODE)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),  # several sites, one Redis
        },
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Shared between processes: the database is the one shared store the
        # embedded default has.
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "fieldguide_cache",
        },
    }
# Anonymous readers' pages are cached until content changes (0 turns the cache off).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))

# --- Serving at scale (core.page_cache, core.front_cache, deploy/) ----------------------
# Shared reader pages say "public, max-age=BROWSER, s-maxage=SHARED": browsers re-check
# soon, a shared cache keeps them longer. Everything else is "private, no-store". With a
# front cache that Fieldguide purges (FRONT_CACHE_URL) the shared lifetime is long.
FRONT_CACHE_URL = os.environ.get("FRONT_CACHE_URL", "")
HTTP_CACHE_BROWSER_SECONDS = int(os.environ.get("HTTP_CACHE_BROWSER_SECONDS", "60"))
HTTP_CACHE_SHARED_SECONDS = int(
    os.environ.get("HTTP_CACHE_SHARED_SECONDS", "86400" if FRONT_CACHE_URL else "300")
)
# The front cache Fieldguide bans and purges (deploy/varnish/), e.g. http://127.0.0.1:6081.
if FRONT_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "fieldguide.core.front_cache.VarnishBackend",
            "LOCATION": FRONT_CACHE_URL,
        }
    }
# Purges one publish may send one by one; a longer list becomes a single ban.
FRONT_CACHE_MAX_PURGES = int(os.environ.get("FRONT_CACHE_MAX_PURGES", "50"))
# The Host readers use, for check_front_cache (default: WAGTAILADMIN_BASE_URL's).
FRONT_CACHE_HOST = os.environ.get("FRONT_CACHE_HOST", "")
# Background work (editions after publish, purge retries, link checks): TASKS_BACKEND=database
# queues it in the database for `manage.py db_worker` (django-tasks-db). The default,
# "immediate", runs it inline, so `make serve` needs no worker.
INSTALLED_APPS += ["django_tasks_db"]
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[os.environ.get("TASKS_BACKEND", "immediate")]
    }
}
# What a reader asking for an edition not built yet is told (503 with Retry-After).
EDITION_RETRY_AFTER_SECONDS = int(os.environ.get("EDITION_RETRY_AFTER_SECONDS", "15"))
# --- end serving at scale ---------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static-collected"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_PERMISSIONS = PRIVATE_FILE_MODE  # uploads and image renditions
FILE_UPLOAD_DIRECTORY_PERMISSIONS = PRIVATE_DIR_MODE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "fieldguide.core.storage.StaticStorage",
    },
}
WHITENOISE_MAX_AGE = 3600

# Compressed responses (core.compression, core.page_cache): Brotli or gzip for text the
# reader's request can carry no secret into. Cached pages are compressed once, harder.
COMPRESSION_TYPES = {
    "text/html", "text/plain", "text/csv", "text/xml", "application/xml",
    "application/json", "image/svg+xml",
}  # fmt: skip
COMPRESSION_MIN_BYTES = 512
COMPRESSION_LEVELS = {"cached": {"br": 11, "gzip": 9}, "live": {"br": 5, "gzip": 6}}

# Security: the reader site sets no cookies for anonymous readers (sessions and CSRF
# cookies are only created when a form or the admin needs them).
HTTPS = env_bool("HTTPS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

READER_CSP = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "manifest-src": ["'self'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": READER_CSP}
# The Wagtail admin ships inline <script> blocks and previews pages in a same-origin
# iframe, so its URLs get their own, looser policy (see core.middleware).
ADMIN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'self'"],
    "object-src": ["'none'"],
}
ADMIN_URL_PREFIXES = ("/admin/",)

# CSP violation reports: both policies report to one endpoint, which keeps only
# daily counts per (directive, blocked origin or keyword, page path); see core.csp_reports.
CSP_REPORT_PATH = "/csp-report/"
CSP_REPORT_GROUP = "csp"
CSP_REPORT_MAX_BYTES = 16 * 1024
CSP_REPORT_RATE = os.environ.get("CSP_REPORT_RATE", "60/m")  # for the whole site, not per sender
CSP_REPORT_DAYS = 30
CSP_REPORT_MAX_KINDS_PER_DAY = 500
for _policy in (READER_CSP, ADMIN_CSP):
    _policy["report-uri"] = [CSP_REPORT_PATH]
    _policy["report-to"] = [CSP_REPORT_GROUP]
# Only features Chromium recognizes: an unknown name (ambient-light-sensor, the retired
# interest-cohort) makes it log a warning on every page (tests/browser/test_reader_journey.py).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)

# Outgoing mail: only through a configured server. EMAIL_HOST alone selects SMTP;
# with neither EMAIL_BACKEND nor EMAIL_HOST nothing is sent and the log says only how
# many messages were not sent (core.mail). The console and file backends, which write
# whole emails out, are refused when HTTPS=true (core.checks).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "fieldguide.core.mail.UnconfiguredEmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fieldguide@localhost")
# Where contact messages go; empty means every active superuser with an email.
FIELDGUIDE_EDITOR_EMAILS = env_list("FIELDGUIDE_EDITOR_EMAILS", "")
# Where the quick-exit button sends a reader: a neutral site.
FIELDGUIDE_QUICK_EXIT_URL = os.environ.get("FIELDGUIDE_QUICK_EXIT_URL", "https://www.weather.gov/")

# Rate limits and sign-in (core.ratelimit, core.auth). Counters live in Redis when
# REDIS_URL is set, else in the database (core.RateCounter); keys are keyed hashes.
# Who the client is: X-Forwarded-For is read only from these proxies (addresses, CIDR
# networks, "unix" for a unix-socket proxy) or, given a number, through that many hops.
TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", "")
# SQLite: begin every transaction with the write lock (BEGIN IMMEDIATE), so a writer
# waits out the busy timeout instead of failing at once with "database is locked" when
# another connection wrote first (concurrent posts; Wagtail's reference-index task).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
# Accepted contact messages and suggestions per address (forms with errors do not count).
CONTACT_RATE = os.environ.get("CONTACT_RATE", "5/h")
SUGGEST_RATE = os.environ.get("SUGGEST_RATE", "5/h")
# Link health (docs/linkhealth.md): days between two broken checks before readers are
# told, and Internet Archive Save Page Now for new links (off unless asked for).
LINKHEALTH_CONFIRM_BROKEN_DAYS = float(os.environ.get("LINKHEALTH_CONFIRM_BROKEN_DAYS", "3"))
LINKHEALTH_ARCHIVE_NEW_LINKS = env_bool("LINKHEALTH_ARCHIVE_NEW_LINKS", False)
LINKHEALTH_ARCHIVE_ACCESS_KEY = os.environ.get("LINKHEALTH_ARCHIVE_ACCESS_KEY", "")
LINKHEALTH_ARCHIVE_SECRET_KEY = os.environ.get("LINKHEALTH_ARCHIVE_SECRET_KEY", "")
# Failed sign-ins per address, and per account name from one address.
LOGIN_RATE = os.environ.get("LOGIN_RATE", "10/m")
LOGIN_ACCOUNT_RATE = os.environ.get("LOGIN_ACCOUNT_RATE", "5/15m")
# Password-reset requests per address, and per email address asked for.
PASSWORD_RESET_RATE = os.environ.get("PASSWORD_RESET_RATE", "5/h")
PASSWORD_RESET_EMAIL_RATE = os.environ.get("PASSWORD_RESET_EMAIL_RATE", "3/h")
# Two-step sign-in (TOTP, django-otp) for staff; required for superusers when this is on.
FIELDGUIDE_REQUIRE_2FA_SUPERUSERS = env_bool("FIELDGUIDE_REQUIRE_2FA_SUPERUSERS", False)
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "fieldguide.core.two_factor.TwoFactorMiddleware",
)


def _totp_issuer(device: object) -> str:
    return WAGTAIL_SITE_NAME


OTP_TOTP_ISSUER = _totp_issuer

WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Fieldguide")
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", os.environ.get("SITE_URL", "http://127.0.0.1:8000")
)
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "english",
    }
}
CROSSREF_API_URL = os.environ.get("CROSSREF_API_URL", "https://api.crossref.org")
CROSSREF_MAILTO = os.environ.get("CROSSREF_MAILTO", "")

# --- Outbound fetches (fieldguide.core.outbound) ---------------------------------------
# Every fetch (link checks, suggestions, Crossref, bill and legislator imports) refuses
# addresses that are not public. Exact host:port pairs let through anyway, e.g.
# "127.0.0.1:8000,[::1]:8000" (tests, benches, a mirror you trust); empty by default.
FIELDGUIDE_OUTBOUND_ALLOW = env_list("FIELDGUIDE_OUTBOUND_ALLOW", "")
FIELDGUIDE_OUTBOUND_MAX_REDIRECTS = int(os.environ.get("FIELDGUIDE_OUTBOUND_MAX_REDIRECTS", "5"))
FIELDGUIDE_OUTBOUND_MAX_BYTES = int(os.environ.get("FIELDGUIDE_OUTBOUND_MAX_BYTES", "20971520"))
FIELDGUIDE_OUTBOUND_TIMEOUT = float(os.environ.get("FIELDGUIDE_OUTBOUND_TIMEOUT", "30"))

# Library import limits: the one source for the admin import's checks
# and help text. Entries are counted before a file is parsed, so an oversized file
# is refused at once instead of holding a worker while it is read.
LIBRARY_IMPORT_LIMITS = {
    "max_bytes": int(os.environ.get("LIBRARY_IMPORT_MAX_BYTES", 5 * 1024 * 1024)),
    "max_entries": int(os.environ.get("LIBRARY_IMPORT_MAX_ENTRIES", 1000)),
}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# No avatars from Gravatar: the admin makes no request to any other host.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {
            "features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
        },
    }
}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_FINDERS: list = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
