"""Settings for the SSDC Portal, all read from the environment (see the README's table).

With no DATABASE_URL an embedded PostgreSQL is started under ``.data/``; with no
CELERY_BROKER_URL Celery tasks run eagerly in the calling process.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

# Runtime data (embedded database, uploads) lives outside the code, under DATA_DIR.
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / ".data")))

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when DEBUG is off. "
            "For local development set DEBUG=True (make run does)."
        )
    SECRET_KEY = "development-only-key-never-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address absolute links start with (e-mails, exports, permanent links); empty: the
# address each request was sent to (see ssdc_portal/links.py).
SITE_URL = env.str("SITE_URL", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "django_htmx",
    "corsheaders",
    "csp",
    "axes",
    "reversion",
    "reversion_compare",
    "reference",
    "organisations",
    "accounts",
    "initiatives",
    "funding",
    "principles",
    "learning",
    "reports",
    "opendata",
    # The project itself, for its operators' commands (backup, restore).
    "ssdc_portal",
]
# The development tools (devtools/: load_demo, generate_synthetic, benchmark and the
# benchmark's /bench/ views) are installed with DEBUG on or DEVTOOLS=True, never in production.
DEVTOOLS = DEBUG or env.bool("DEVTOOLS", default=False)
if DEVTOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    # First, so that its access line times everything and every answer carries the ID.
    "ssdc_portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Instead of Django's LocaleMiddleware: the language is in each page's address.
    "ssdc_portal.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After CommonMiddleware, which refuses hosts not in ALLOWED_HOSTS.
    "ssdc_portal.links.SiteUrlMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers that depend on who asks are private (Cache-Control) and say so in Vary.
    "ssdc_portal.middleware.PrivateAnswersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it can turn any sign-in refused for too many failures into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ssdc_portal.urls"
WSGI_APPLICATION = "ssdc_portal.wsgi.application"
# The benchmark's baseline views under /bench/ (see devtools/); the benchmark's own server
# turns them on. They need the development tools, so production never has them.
BENCHMARK_VIEWS = env.bool("BENCHMARK_VIEWS", default=False)
if BENCHMARK_VIEWS and not DEVTOOLS:
    raise ImproperlyConfigured(
        "BENCHMARK_VIEWS needs the development tools: set DEVTOOLS=True (never in production)."
    )

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
                "ssdc_portal.context_processors.frontend",
            ],
        },
    },
]

# Database: DATABASE_URL if given, else the embedded PostgreSQL under DATA_DIR.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    from ssdc_portal.embedded_postgres import database_settings

    DATABASES = {"default": database_settings(DATA_DIR / "pg")}
# A web process keeps its connection between requests (checked before reuse): a new one costs
# PostgreSQL a backend to start and catalog caches to fill, a large share of a fast page.
# Not while developing: the development server answers each request in a thread of its own.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses every sign-in attempt of a locked-out client before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt-br", _("Brazilian Portuguese")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers on pages, PDFs and e-mails are written for the language (see
# ssdc_portal/formats/); exports and the API stay machine-readable. No thousand separator
# by default, so that years and ids print as they are: amounts and counts ask for one.
FORMAT_MODULE_PATH = ["ssdc_portal.formats"]
# The language cookie holds a visitor's choice from the language switcher (see
# ssdc_portal/languages.py); it is kept for a year, and no script reads it.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# The largest evidence document an editor may upload, in megabytes.
MAX_DOCUMENT_MB = env.int("MAX_DOCUMENT_MB", default=10)
# Backups (manage.py backup / restore): where they are written, and where to find pg_dump and
# pg_restore when the right version is neither on the PATH nor in the pgserver wheel.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(DATA_DIR / "backups")))
PG_BIN_DIR = env.str("PG_BIN_DIR", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SSDC Portal <noreply@localhost>")

# Celery: a real broker when CELERY_BROKER_URL is set, otherwise tasks run in-process.
CELERY_TASK_ALWAYS_EAGER = not env.str("CELERY_BROKER_URL", default="")
# In-process mode still names a broker; the in-memory one never leaves the process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A running report outlives a lost broker connection: it finishes, and a copy of its message
# delivered again later finds it done. Cancelling it (Celery 6's default) would leave it
# running until the sweeper when a restarted broker has lost the message.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died is handed to another worker after the visibility timeout; it
# must be longer than the longest task, or a slow report would be run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int(
        "CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 5 * 60
    )
}
CELERY_BEAT_SCHEDULE = {
    "fail-stuck-reports": {"task": "reports.tasks.sweep_reports", "schedule": 60.0},
    "delete-expired-reports": {"task": "reports.tasks.delete_expired_reports", "schedule": 3600.0},
    "prune-public-changes": {"task": "initiatives.tasks.prune_public_changes", "schedule": 3600.0},
    "remind-expiring-listings": {
        "task": "learning.exchange.relay.listing_expiry_reminders",
        "schedule": 24 * 3600.0,
    },
}

# Generated reports (see reports/): how long files are kept, how long an identical request
# reuses a finished report, and when a report that shows no progress counts as stuck.
REPORT_RETENTION = env.int("REPORT_RETENTION_HOURS", default=7 * 24) * 3600
REPORT_REUSE_WINDOW = env.int("REPORT_REUSE_MINUTES", default=10) * 60
REPORT_STUCK_AFTER = env.int(
    "REPORT_STUCK_AFTER_SECONDS",
    default=CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + 60,
)
REPORT_QUEUED_LIMIT = env.int("REPORT_QUEUED_LIMIT_HOURS", default=6) * 3600
# A report whose database or file store is unreachable is tried again this many times, the
# first pause lasting REPORT_RETRY_DELAY seconds and each next one twice as long.
REPORT_RETRY_DELAY = env.int("REPORT_RETRY_DELAY_SECONDS", default=10)
REPORT_MAX_RETRIES = env.int("REPORT_MAX_RETRIES", default=5)
# IATI exports: the portal publishes as a secondary reporter of its members' activities. The
# default is plainly a demo value; `check --deploy` fails on it (opendata/checks.py).
IATI_REPORTING_ORG_REF = env.str("IATI_REPORTING_ORG_REF", default="XM-DAC-ZZZ-DEMO")
IATI_REPORTING_ORG_TYPE = env.int("IATI_REPORTING_ORG_TYPE", default=90)
IATI_REPORTING_ORG_NAME = env.str("IATI_REPORTING_ORG_NAME", default="SSDC Portal")
DATA_LICENCE = env.str("DATA_LICENCE", default="CC BY 4.0")
# The public IATI files are rebuilt this many seconds after published data changes (changes
# in between are built together).
IATI_FILES_BUILD_DELAY = env.int("IATI_FILES_BUILD_DELAY_SECONDS", default=120)
CELERY_BEAT_SCHEDULE["refresh-stale-iati-files"] = {
    "task": "opendata.iati.tasks.refresh_stale_iati_files",
    "schedule": 3600.0,
}

# Security: with DEBUG off the portal is served over HTTPS only, and says so to browsers.
# ALLOW_PLAIN_HTTP=True is the explicit way to serve plain HTTP with DEBUG off (tests,
# benchmarks, a local docker compose): no redirect to HTTPS and cookies without the Secure
# flag. Each setting below can still be set on its own.
ALLOW_PLAIN_HTTP = env.bool("ALLOW_PLAIN_HTTP", default=DEBUG)
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# How many proxies append to X-Forwarded-For; the address before them is the client's.
# Without a proxy the header is the client's own words and is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not ALLOW_PLAIN_HTTP)
# Load balancers and container health checks probe over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Browsers send HSTS only after an HTTPS response, so the default never hurts plain HTTP.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Asking browsers to preload HSTS commits the whole registered domain, often an
# organisation's own, for years: the domain's owner decides that (SECURE_HSTS_PRELOAD), so
# the deploy check's reminder about it stays quiet.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not ALLOW_PLAIN_HTTP)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not ALLOW_PLAIN_HTTP)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Pages hand the CSRF token to scripts in the page itself; no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy: scripts, styles, images and fonts come only from the portal's
# own files (no inline code, no CDN), no plugins, forms post only here, and no other site
# may frame a page. The API documentation pages relax what their bundled viewers need
# (ssdc_portal/api/urls.py); nothing else does.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sign-in brute force (django-axes): after LOGIN_FAILURE_LIMIT failed attempts for one
# account from one address, that pair is refused for LOGIN_COOLOFF_MINUTES, counted from
# the latest attempt. Failures are kept in the database, shared by all web processes.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_USERNAME_CALLABLE = "accounts.lockout.account_of_identifier"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Password-reset links (accounts.lockout.password_reset_allowed): at most this many
# requests for one e-mail address, and from one client address, per period
# ("<number>/<second|minute|hour|day>"). Beyond it the page says the same, but no e-mail
# goes out. Counted in the cache, shared by all web processes when CACHE_URL is shared.
PASSWORD_RESET_RATE = env.str("PASSWORD_RESET_RATE", default="5/hour")
PASSWORD_RESET_CLIENT_RATE = env.str("PASSWORD_RESET_CLIENT_RATE", default="20/hour")
# An invitation to join an organisation's team can be accepted for this many days.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
# Researchers' own accounts (accounts.signup): the link confirming the address works for
# this many hours; signing up and asking for a new link count together against the
# client's address (beyond SIGNUP_CLIENT_RATE the page says to wait, HTTP 429), and new
# links for one address are limited quietly, like password resets.
SIGNUP_LINK_VALID_HOURS = env.int("SIGNUP_LINK_VALID_HOURS", default=72)
SIGNUP_CLIENT_RATE = env.str("SIGNUP_CLIENT_RATE", default="20/hour")
SIGNUP_EMAIL_RATE = env.str("SIGNUP_EMAIL_RATE", default="5/hour")

# The most messages one person may send to other organisations through the exchange in 24 hours.
CONTACT_MESSAGES_PER_DAY = env.int("CONTACT_MESSAGES_PER_DAY", default=10)

# The largest request body the API reads (JSON or form), in KB; larger ones answer 413.
API_MAX_BODY_KB = env.int("API_MAX_BODY_KB", default=1024)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "ssdc_portal.api.schema.PortalAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # The format of an answer, and its language (``?lang=``, else Accept-Language).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "ssdc_portal.api.negotiation.LanguageNegotiation",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "ssdc_portal.api.permissions.KnownMethod",
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "DEFAULT_PAGINATION_CLASS": "ssdc_portal.api.pagination.StableCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "ssdc_portal.api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "ssdc_portal.api.parsers.JSONParser",
        "ssdc_portal.api.parsers.FormParser",
        "ssdc_portal.api.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "ssdc_portal.api.throttling.AnonymousRateThrottle",
        "ssdc_portal.api.throttling.SignedInRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="60/minute"),
        "user": env.str("API_USER_RATE", default="600/minute"),
        "reports": env.str("API_REPORT_RATE", default="30/hour"),
    },
    # Anonymous clients are counted by address; a forged X-Forwarded-For must not make a
    # new client of every request.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "ssdc_portal.api.errors.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
from ssdc_portal.api.schema_tags import API_TAGS  # noqa: E402

SPECTACULAR_SETTINGS = {
    "TITLE": "SSDC Portal API",
    "DESCRIPTION": (
        "Published records of civil-society-led South-South development cooperation: "
        "initiatives, organisations, countries, funding models and evidence that the Busan "
        "effectiveness principles were practised. Reading needs no account: operations "
        "without a padlock answer anyone. A personal token (`Authorization: Token ssdc_…`) "
        "raises the rate limit on every operation, and lets editors see and change their "
        "organisations' records; reports need one. Researchers create an account at "
        "/accounts/signup/ and their tokens at /my/tokens/."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "TAGS": API_TAGS,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Without deep links Swagger UI puts no link inside its operations' buttons, which screen
    # readers cannot tell apart (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "persistAuthorization": False},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The document lists vocabularies read from the database, and `check --deploy` must run
    # where there is none (image builds, CI); the test suite generates and validates it.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ssdc_portal.api.schema.forbid_nul_in_query_strings",
    ],
    "ENUM_NAME_OVERRIDES": {
        "GovernmentInvolvementEnum": "initiatives.models.Initiative.GovernmentInvolvement",
        "CooperationTypeEnum": "initiatives.models.Initiative.CooperationType",
        "ActorTypeEnum": "organisations.models.OrganisationType",
        "NonMonetaryKindEnum": "initiatives.models.NonMonetaryContribution.Kind",
        "DialogueMechanismKindEnum": "reference.models.DialogueMechanism.Kind",
        "StanceEnum": "principles.models.PrincipleEvidence.Stance",
        "StrengthEnum": "principles.models.PrincipleEvidence.Strength",
        "InitiativeStateEnum": "initiatives.models.Initiative.State",
        "ReportKindEnum": "reports.models.Report.Kind",
        "ReportStateEnum": "reports.models.Report.State",
        "ContentLanguageEnum": "initiatives.models.ContentLanguage",
        "LanguageEnum": "reference.iati.language_choices",
        "ListingKindEnum": "learning.models.Listing.Kind",
        "ListingStateEnum": "learning.models.Listing.State",
    },
}

# Cross-origin reads of the API only, and only from the origins listed (none by default).
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/(v1|schema)/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False

# Logs go to stderr, as JSON lines (LOG_FORMAT=json, the default without DEBUG) or as text,
# every line with the ID of the request it belongs to. ssdc_portal.requests writes one line
# per request (ssdc_portal/middleware.py), which replaces Django's own request lines.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ssdc_portal.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "ssdc_portal.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
        "discard": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Replaces Django's defaults, which print its records twice when DEBUG is on and fix
        # its level at INFO: here it follows LOG_LEVEL.
        "django": {"level": "NOTSET"},
        # The access line already says "404"; keep Django's lines for server errors, which
        # carry the traceback.
        "django.request": {"level": "ERROR"},
        # runserver's request lines hold the query string and the client's address.
        "django.server": {"handlers": ["discard"], "propagate": False},
        # SQL with its parameters: session keys, password hashes, e-mail addresses.
        "django.db.backends": {"level": "INFO"},
        "pgserver": {"level": "WARNING"},
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
