"""Settings come from environment variables; every default is safe on a laptop.

Production switches: DATABASE_URL=postgres://…, REDIS_URL=redis://… (cache, sessions, task
queue), SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL, HTTPS=1 (secure cookies, HSTS, redirect).
"""

import os
import tempfile
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# The default key is only good for a laptop; `check --deploy` rejects it (security.W009).
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local4action-development-key-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "local4action.core",
    "local4action.accounts",
    "local4action.initiatives",
    "local4action.calls",
    "local4action.monitoring",
    "local4action.surveys",
    "local4action.events",
    "local4action.network",
    "local4action.exchange",
    "local4action.workplan",
    "local4action.library",
    "local4action.portal",
    "local4action.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "local4action.core.apps.StaticFilesConfig",  # django.contrib.staticfiles, fewer files
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_countries",
    "django_htmx",
    "ninja",
    "django_tasks",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers compressed for slow connections (static files are compressed
    # beforehand by whitenoise; cached pages keep a compressed copy, core.pagecache).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "local4action.core.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "local4action.accounts.middleware.UserPreferencesMiddleware",
    # After the person's preferences: an explicit ?lang=xx wins for that request.
    "local4action.portal.middleware.LanguageParameterMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "local4action.api.etag.ApiConditionalGetMiddleware",
]

ROOT_URLCONF = "local4action.urls"
WSGI_APPLICATION = "local4action.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "local4action.core.context_processors.platform",
                "local4action.accounts.context_processors.roles",
            ],
        },
    },
]

# Database: SQLite on a laptop, PostgreSQL when DATABASE_URL says so.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions keep concurrent writers from failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
    # Tests use a file, not shared-cache memory: concurrent requests (the live server, the
    # concurrency tests) then wait for the lock as in production instead of failing at once.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"local4action-test-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when given, carries the cache, the sessions and the task queue.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "l4a",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": ["default"],
        }
    }
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    # Workers must run jobs through django-tasks' job class: `manage.py rqworker default`.
    # Jobs run in the worker process itself (SimpleWorker): rq's default forks a copy of the
    # process for every job, which cost 54 ms of CPU per notification email here against 8 ms
    # (`manage.py rqworker default --burst`, 200 emails). Our jobs are short and idempotent.
    RQ = {
        "JOB_CLASS": "django_tasks_rq.Job",
        "WORKER_CLASS": env("RQ_WORKER_CLASS", default="rq.worker.SimpleWorker"),
    }
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

# django-allauth: email is the login; it must be confirmed before the account is used.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Small teams need to be told plainly that an address is already registered.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_SIGNUP_FORM_CLASS = "local4action.accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "local4action.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", default="[Local4Action] ")
# Two-factor log-in (an authenticator app's codes, and recovery codes), optional for anyone
# and offered to staff and reviewers on their profile page.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("BRAND_NAME", default="Local4Action")
# Log-in and sign-up limits, counted in the shared cache: after 5 failed log-ins for one
# address in 5 minutes it is locked for the rest of them; 10 failures a minute per network
# address; 20 sign-ups a minute per address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind nginx (scripts/production.sh --two) the client's address is in X-Forwarded-For: the
# number of proxies in front of the app, so that limits count people, not the proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
NINJA_NUM_PROXIES = TRUSTED_PROXY_COUNT

# Email: console on a laptop; EMAIL_URL=smtp+tls://user:pass@host:587 in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Local4Action <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages and time: UI in three languages; times stored in UTC.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [str(env.path("LOCALE_DIR", default=str(PACKAGE_DIR / "locale")))]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files come from our folder and from npm packages installed at set-up.
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/cytoscape", BASE_DIR / "node_modules" / "cytoscape" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env.bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
# Source maps are for developers' tools and seldom fetched: compressing them (as large as
# the code itself) took half of collectstatic's minutes.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
FORMS_URLFIELD_ASSUME_HTTPS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security: HTTPS=1 turns on everything `check --deploy` asks for behind TLS.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Brand: the organization running the platform sets its own name, logo and colours.
BRAND = {
    "name": env("BRAND_NAME", default="Local4Action"),
    "tagline": env("BRAND_TAGLINE", default=""),
    "logo_url": env("BRAND_LOGO_URL", default=""),
    "primary": env("BRAND_PRIMARY_COLOR", default="#0b5394"),
    "primary_dark": env("BRAND_PRIMARY_DARK_COLOR", default="#073763"),
    "accent": env("BRAND_ACCENT_COLOR", default="#c2410c"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    # WeasyPrint (PDF reports) warns about every screen-only CSS rule it skips, at each build.
    "loggers": {"weasyprint": {"level": "ERROR"}},
}

# Map tiles: a tile server URL template ("https://tile.example.org/{z}/{x}/{y}.png") and the
# attribution its licence asks for. Empty: the map shows markers on a plain background.
MAP_TILES_URL = env("MAP_TILES_URL", default="")
MAP_TILES_ATTRIBUTION = env("MAP_TILES_ATTRIBUTION", default="")

# Content Security Policy (django-csp): scripts and style sheets only from this site, no
# inline script anywhere (our scripts live in static files, so cached pages need no nonce).
# Style attributes stay allowed: templates colour SDG tags with them, and they cannot run code.
_origin = lambda url: "/".join(url.split("/")[:3]) if url.startswith("http") else None  # noqa: E731
_IMAGE_SOURCES = [
    origin for origin in (_origin(MAP_TILES_URL), _origin(BRAND["logo_url"])) if origin
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Cytoscape (network picture) inserts one fixed rule as a <style>: allowed by its hash.
        "style-src": ["'self'", "'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_IMAGE_SOURCES],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features the platform never uses are turned off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Absolute links in emails and feeds.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Application attachments and other private uploads: never under MEDIA_URL.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media"))
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Above this many results, the map data carry places only; popups ask for their initiative.
MAP_DETAILS_LIMIT = env.int("MAP_DETAILS_LIMIT", default=5000)
LIBRARY_FILE_MAX_BYTES = env.int("LIBRARY_FILE_MAX_BYTES", default=50 * 1024 * 1024)
WORKPLAN_IMPORT_MAX_BYTES = env.int("WORKPLAN_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)

# Exchange space: posts (threads and replies) one person may send in a minute.
EXCHANGE_POSTS_PER_MINUTE = env.int("EXCHANGE_POSTS_PER_MINUTE", default=10)
REGISTRATIONS_PER_MINUTE = env.int("REGISTRATIONS_PER_MINUTE", default=20)
# API requests a minute: per network address without a token, per person with one.
API_REQUESTS_PER_MINUTE = env.int("API_REQUESTS_PER_MINUTE", default=600)
API_REQUESTS_PER_MINUTE_PERSON = env.int("API_REQUESTS_PER_MINUTE_PERSON", default=1200)
PARTICIPANT_DATA_RETENTION_DAYS = env.int("PARTICIPANT_DATA_RETENTION_DAYS", default=365)

# IATI export: the publisher's registered organisation identifier and type (IATI codelists).
# Set the real identifier before publishing the file to the IATI registry.
IATI_PUBLISHER_REF = env("IATI_PUBLISHER_REF", default="XM-DAC-00000")
IATI_PUBLISHER_TYPE = env("IATI_PUBLISHER_TYPE", default="90")
