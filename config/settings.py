"""Minutebook settings: every value comes from the environment (see README)."""

import datetime as dt
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str
from .observability import logging_config, start_sentry

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MINUTEBOOK_VAR_DIR", str(BASE_DIR / "var")))

# Off unless asked for: `make run` and the tests turn it on; a server left unset is safe.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (on a development machine, set DEBUG=true)."
        )
    SECRET_KEY = "django-insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "boards",
    "meetings",
    "actions",
    "funding",
    "demo",
    "security",
    "importer",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "search",
    "api",
]

MIDDLEWARE = [
    "config.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "security.middleware.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.RequireTwoFactorMiddleware",
    "security.middleware.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Refused forms get a page in the site's layout with a way back (not Django's bare one).
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
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
                "boards.context_processors.navigation",
                "actions.context_processors.nav_actions",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "minutebook.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Planner settings for the app's connections (variable, PostgreSQL's name, default,
    # what the value must be); an empty value keeps the server's.
    # - random_page_cost: a board record fits in memory (council scale is some hundreds of
    #   MB), so a random read costs little more than a sequential one, and PostgreSQL's
    #   manual suggests 1.1 for such storage. At its default of 4 the planner hashed all
    #   8,000 meetings to join the meeting screen's 20 decisions.
    # - max_parallel_workers_per_gather: a page reads tens of rows. Starting two workers
    #   took 8 of the API's last page's 8.5 ms at council scale (the rows, 0.6 ms), and
    #   search's ranking 47 ms against 16 without them.
    _PLANNER = [
        ("DATABASE_RANDOM_PAGE_COST", "random_page_cost", "1.1", (float, "a number")),
        ("DATABASE_PARALLEL_WORKERS", "max_parallel_workers_per_gather", "0", (int, "an integer")),
    ]
    _OPTIONS = []
    for _variable, _name, _default, (_kind, _kind_name) in _PLANNER:
        _value = env_str(_variable, _default).strip()
        if not _value:
            continue
        try:
            _kind(_value)
        except ValueError:
            raise ImproperlyConfigured(
                f"{_variable}={_value!r} is not {_kind_name}; leave it empty to keep the server's."
            ) from None
        _OPTIONS.append(f"-c {_name}={_value}")
    if _OPTIONS:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: its hook ends the person's API tokens whenever their password changes.
    {"NAME": "security.passwords.EndTokensOnPasswordChange"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
# django-axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock out one name from one address only, and only for a while: an attacker elsewhere
# cannot lock a member out, and nobody is ever locked out for good.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries during a lock-out are refused but not counted: the cool-off runs from the failure
# that caused it, so one guess every 14 minutes cannot keep a member locked out.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "security.views.locked_out"
# The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the
# address the outermost of ours saw (X-Forwarded-For entries before it are the client's
# own say, so changing them changes nothing). The API's throttles count by the same rule.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "security.signin.client_ip"
OTP_TOTP_ISSUER = "Minutebook"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
# Papers live outside static/ and are served only through a permission-checked view.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files the app writes (papers, imports, the PDF cache and pack progress) go through
# Django's storage API: a folder under MEDIA_ROOT on one server, or with a bucket set an
# S3-compatible object store shared by every web process and worker.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
AWS_LOCATION = env_str("AWS_LOCATION")  # a prefix inside the bucket
# Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment (boto3).
AWS_DEFAULT_ACL = None  # the bucket's own policy: private
AWS_QUERYSTRING_AUTH = True
if AWS_STORAGE_BUCKET_NAME:
    _FILES = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"file_overwrite": False}}
    _PDF_CACHE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"file_overwrite": True}}
else:
    _FILES = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _PDF_CACHE = {"BACKEND": "config.storage.ReplacingFileSystemStorage"}
STORAGES = {
    "default": _FILES,
    "pdf_cache": _PDF_CACHE,
    # Hashed, compressed copies made by collectstatic, served by WhiteNoise as immutable
    # (a changed file gets a new name). The development server and tests read the
    # source folders as they are.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.storage.StaticFilesStorage"
    },
}
MAX_PAPER_BYTES = env_int("MAX_PAPER_BYTES", 20 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: files in var/mail/ unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Minutebook <minutebook@localhost>")

# Celery: with no REDIS_URL, tasks run inline so one machine needs no broker.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Rate-limit counters live in the cache: shared through Redis by every process when it is set.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        # Per process: room for a busy reader's rows ("my actions" caches each row's
        # block, and Django's default of 300 keeps none of a 480-action owner's).
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    )
}
# Sessions: with Redis read from the shared cache, written through to the database (so a
# cache restart signs nobody out); without it, the database alone.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# A task is acknowledged only once done, so a killed worker's task runs again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Beat only triggers the reminder pass; the Reminder outbox holds what is left to send.
CELERY_BEAT_SCHEDULE: dict = {
    "reminder-pass": {
        "task": "actions.tasks.run_reminder_pass",
        "schedule": crontab(minute="*/15"),
    },
    # Housekeeping, at night: expired sessions and API tokens, PDFs nobody asked for lately.
    "clear-expired-sign-ins": {
        "task": "security.tasks.clear_expired_sign_ins",
        "schedule": crontab(hour=3, minute=10),
    },
    "prune-pdf-cache": {
        "task": "meetings.tasks.prune_pdf_cache",
        "schedule": crontab(hour=3, minute=40),
    },
}
# Beat's own record of when each entry last ran: under var/, never in the checkout.
CELERY_BEAT_SCHEDULE_FILENAME = env_str(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(VAR_DIR / "celerybeat-schedule")
)
# Cached PDFs (minutes, agenda packs) not written for this many days are removed; one still
# wanted is rendered again on its next download.
PDF_CACHE_DAYS = env_int("PDF_CACHE_DAYS", 30)
# Seconds after which a reminder claimed by a sender that never finished may be taken again.
REMINDER_CLAIM_TIMEOUT = env_int("REMINDER_CLAIM_TIMEOUT", 600)

# Security: strict by default once DEBUG is off; SSL redirect can be left to a proxy.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts or styles anywhere: JS lives in static/js, htmx's indicator styles are
# turned off in base.html and shipped as a file (security/static/security/htmx.css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
# Expiry counts from the last request (inactivity), renewed at most this often by
# security.middleware.SlidingSessionMiddleware rather than by a write on every request.
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)

# Logs: time, level, logger and request (or task) id on each line; JSON for a log
# collector with LOG_FORMAT=json. ADMINS ("Name <address>, ...") get 500s by e-mail.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = logging_config(level=env_str("LOG_LEVEL", "WARNING"), json=LOG_FORMAT == "json")
ADMINS = [parseaddr(entry) for entry in env_list("ADMINS", [])]
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Workers log through LOGGING too, not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    start_sentry(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT"))

MINUTEBOOK_REQUIRE_2FA = env_bool("MINUTEBOOK_REQUIRE_2FA", False)

# Read API: token or session, the same board permissions as the pages, paginated.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "60/min"),
        "user": env_str("API_USER_RATE", "600/min"),
        "token": env_str("API_TOKEN_RATE", "10/min"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Page rate limits (security.ratelimit), counted per client address in the cache.
PASSWORD_RESET_RATE = env_str("PASSWORD_RESET_RATE", "5/hour")
CALENDAR_FEED_RATE = env_str("CALENDAR_FEED_RATE", "60/hour")
# API tokens (django-rest-knox): stored hashed, each expires API_TOKEN_DAYS after issue.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be 1 or more.")
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
}
# DEBUG's error page lists settings and the environment: hide URLs that carry passwords.
DEFAULT_EXCEPTION_REPORTER_FILTER = "security.debug.CredentialHidingFilter"
SPECTACULAR_SETTINGS = {
    "TITLE": "Minutebook API",
    "DESCRIPTION": "Read access to boards, meetings, items, decisions, actions and funds.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}
