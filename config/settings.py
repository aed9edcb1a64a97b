"""Settings for the tracker, every knob read once from the environment (or a `.env` file).

The defaults give the embedded setup: SQLite under var/, Celery tasks run eagerly in-process and a
local-memory cache. Setting DATABASE_URL and REDIS_URL switches to the production stack.
.env.example and the README list every variable.
"""

from pathlib import Path

import environ
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
# Serving needs a real key: without one and with DEBUG off, the WSGI/ASGI entry points and the system
# checks (runserver, migrate, check) refuse to start, naming the variable. Offline commands that sign
# nothing (`manage.py extract`) run with a throwaway key, so the extractor works on a bare checkout.
SECRET_KEY_MISSING = not SECRET_KEY
if SECRET_KEY_MISSING:
    SECRET_KEY = "django-insecure-" + get_random_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "investments",
    "ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come compressed already), above every middleware that may mark a
    # response as made for one session, which it then leaves uncompressed (BREACH; see the module).
    "config.compression.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.login_throttle.AdminLoginThrottleMiddleware",
    # Innermost, so that their 400 and 503 still get the security headers of the middleware above.
    "config.middleware.NulByteMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for a concurrent writer (ingest while the site serves) instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        # SQLite creates its file but not the folder: var/ is not in git, so a fresh clone has none.
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    # psycopg prepares no statement unless this is set (Django sets None). Django's own cursors bind
    # client-side and never prepare, so only the cursors that ask for it are affected: the list
    # statements of investments.api.compiled, planned once per connection. 5 is psycopg's default.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
    # Plan those statements once (their generic plan), not again at every execution: see
    # investments.api.compiled.PreparedCursor. Session-wide from the connection's start, so that no
    # rolled-back transaction undoes it; it changes nothing for statements that are not prepared.
    # No JIT compilation: the totals' queries carry correlated subqueries (what counts, what is firm)
    # that the planner costs far above jit_above_cost, so PostgreSQL compiled each into machine code at
    # every request, 1.4 s of CPU for a query that then ran in 0.1 s (stats by country at 1,000,000
    # records: docs/benchmarks.md). No query here runs long enough to repay compiling it.
    # One process per query: the site runs more workers than cores (config/gunicorn.py), so the cores
    # are shared between requests already, and a parallel plan's helper processes only compete with
    # the other requests for them, at a cost of their own. Cold totals by country at 1,000,000 records
    # under 8 clients: 2.8 a second instead of 1.5 (a lone one takes 0.9 s instead of 0.6).
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", "-c plan_cache_mode=force_generic_plan -c jit=off -c max_parallel_workers_per_gather=0"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# The cache's Redis, apart from the broker's: eviction is per Redis instance, and the cache's evicts
# (maxmemory, allkeys-lru) while the broker's must never drop a message. Unset: the same Redis serves both.
CACHE_REDIS_URL = env.str("CACHE_REDIS_URL", default="") or REDIS_URL

# Seconds to wait for Redis to connect or answer before carrying on without it (config/cache_backend.py):
# short, so that a Redis that drops packets costs little.
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=1.0)

if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            # An unreachable Redis is a cache miss, not an error.
            "BACKEND": "config.cache_backend.FailSoftRedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": "tracker",
            "TIMEOUT": env.int("CACHE_TIMEOUT", default=3600),
            "OPTIONS": {
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": env.int("CACHE_TIMEOUT", default=3600),
        }
    }

# --- Celery -------------------------------------------------------------------------------------

# Without a broker the tasks run in-process, so `make run` needs nothing but Python.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for the next worker
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=1800)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=1500)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message taken by a worker that died unacknowledged goes back to the queue after this many seconds;
# longer than the hard time limit, so that a task still running is never handed to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # A Redis that drops packets fails an enqueue in seconds, not at the kernel's connect timeout.
    "socket_connect_timeout": 2,
}
# With Redis down, enqueuing fails within seconds: a task that stores its result subscribes to it
# before publishing, and would otherwise retry the result store 20 times (about 20 s) first.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 2}}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_TIMEZONE = "UTC"

# --- Ingest -------------------------------------------------------------------------------------

# Relative paths are relative to the project folder (an absolute one replaces it).
DATASET_DIR = BASE_DIR / env.str("DATASET_DIR", default="data")
INGEST_MAX_FILE_BYTES = env.int("INGEST_MAX_FILE_BYTES", default=32 * 1024 * 1024)
FX_HISTORY_PATH = BASE_DIR / env.str("FX_HISTORY_PATH", default="var/fx/eurofxref-hist.zip")
FX_HISTORY_URL = env.str(
    "FX_HISTORY_URL", default="https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
)

# --- News ---------------------------------------------------------------------------------------

# Feed sources declared as data (seeded into the Source model; `manage.py load_sources` re-syncs).
NEWS_SOURCES_PATH = env.path("NEWS_SOURCES_PATH", default=BASE_DIR / "data" / "sources.csv")
# Every feed or article request: seconds before giving up, and the largest body read (decompressed).
NEWS_FETCH_TIMEOUT = env.float("NEWS_FETCH_TIMEOUT", default=20.0)
NEWS_MAX_FEED_BYTES = env.int("NEWS_MAX_FEED_BYTES", default=5 * 1024 * 1024)
NEWS_MAX_ARTICLE_BYTES = env.int("NEWS_MAX_ARTICLE_BYTES", default=5 * 1024 * 1024)
# In-request retries of connection errors, 429 and 5xx (backoff factor in seconds); the poll task
# retries the feed itself on top of these.
NEWS_FETCH_RETRIES = env.int("NEWS_FETCH_RETRIES", default=2)
NEWS_FETCH_BACKOFF = env.float("NEWS_FETCH_BACKOFF", default=0.5)
# Feeds and the links in them may lead only to public addresses (no loopback, private or link-local
# host, at any redirect: ingest/fetch.py). On only for the tests' loopback servers.
NEWS_ALLOW_PRIVATE_ADDRESSES = env.bool("NEWS_ALLOW_PRIVATE_ADDRESSES", default=False)
# New articles read per poll of one source; the rest wait for the next poll.
NEWS_MAX_ITEMS_PER_POLL = env.int("NEWS_MAX_ITEMS_PER_POLL", default=50)
# Reconciliation: a candidate matches an investment announced within this many days of its date,
# with an amount within this fraction of the investment's (both in EUR).
NEWS_MATCH_WINDOW_DAYS = env.int("NEWS_MATCH_WINDOW_DAYS", default=45)
NEWS_MATCH_TOLERANCE = env.float("NEWS_MATCH_TOLERANCE", default=0.10)

# --- API ----------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # Session only: a password is checked at the throttled admin login, never per API request.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["investments.api.permissions.ReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "investments.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "investments.api.schema.AutoSchema",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "investments.api.negotiation.ContentNegotiation",
    "DEFAULT_RENDERER_CLASSES": [
        "investments.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["investments.api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="600/minute")},
    # Reverse proxies in front of the app: the throttles take the client address from X-Forwarded-For
    # that many hops back, and X-Forwarded-Proto is believed. Unset: neither header is (config/proxies.py).
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=None),
    # Amounts and totals are JSON numbers, as charts and spreadsheets expect.
    "COERCE_DECIMAL_TO_STRING": False,
}
# Browsers and proxies may reuse a public API response this long (seconds).
API_MAX_AGE = env.int("API_MAX_AGE", default=300)
# Rendered API responses, and the page counts of the lists, kept in the cache under the data version
# (seconds; 0: off). Off without Redis: a per-process cache would not see the version an ingest bumps.
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=3600 if CACHE_REDIS_URL else 0)
API_COUNT_CACHE_SECONDS = env.int("API_COUNT_CACHE_SECONDS", default=API_CACHE_SECONDS)
# Seconds the cache's copy of the data version is trusted before it is read from the database again:
# the longest that responses cached before an ingest outlive it when the ingest ran while Redis was down.
DATA_VERSION_RECHECK_SECONDS = env.int("DATA_VERSION_RECHECK_SECONDS", default=60)

SPECTACULAR_SETTINGS = {
    "TITLE": "European AI investment tracker API",
    "DESCRIPTION": "Big Tech investment in AI across Europe: every figure with its sources, "
    "in EUR and USD at ECB rates, counted once.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator: the docs page talks to this host only.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "CategoryEnum": "investments.choices.Category",
        "StatusEnum": "investments.choices.Status",
        "ConfidenceEnum": "investments.choices.Confidence",
        "FigureSourceEnum": "investments.choices.FigureSource",
        # GeoJSON "type" members shared by the country and the site exports (issue 19).
        "GeoJSONFeatureTypeEnum": [("Feature", "Feature")],
        "GeoJSONFeatureCollectionTypeEnum": [("FeatureCollection", "FeatureCollection")],
    },
}

CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/api/.*$"

# --- Internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / env.str("STATIC_ROOT", default="var/static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files while developing.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# --- Security -----------------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Container healthchecks speak plain HTTP to gunicorn from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
# X-Forwarded-Proto is believed only from a declared proxy (API_NUM_PROXIES, config/proxies.py): from
# anyone else it would let one request set the scheme of the links that cached responses carry.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if REST_FRAMEWORK["NUM_PROXIES"] else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_SSL_REDIRECT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the site never uses, refused to it and to anything it embeds (config/headers.py).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation",
        "gyroscope", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
)  # fmt: skip
SESSION_COOKIE_HTTPONLY = True
# Admin login: this many failures for one username from one address lock that pair out for the window
# (seconds); see config/login_throttle.py.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW = 15 * 60

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Plotly sets inline style attributes on the SVG it draws.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"without_traceback": {"()": "config.logs.WithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django gives its logger a console handler of its own (DEBUG on); without this every line it
        # logs would print twice, once there and once at the root.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        # A bad Host header is the client's error: one line, not a traceback per request.
        "django.security.DisallowedHost": {"filters": ["without_traceback"]},
    },
}
