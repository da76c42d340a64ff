"""Toà Soạn settings: the one place that reads the environment.

Defaults give the embedded setup (SQLite, local media, in-process tasks, DEBUG on).
Production sets DEBUG=0 and must then give SECRET_KEY and ALLOWED_HOSTS; DATABASE_URL
and REDIS_URL switch to PostgreSQL and Redis without a code change.
"""

import os
import zoneinfo
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR / "toasoan"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
TESTING = env_bool("TOASOAN_TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver", "[::1]"]
else:
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DEBUG is off: set SECRET_KEY (50+ random characters).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DEBUG is off: set ALLOWED_HOSTS (comma-separated host names).")

INSTALLED_APPS = [
    "toasoan.core",
    "toasoan.newsroom",
    "toasoan.frontpage",
    "toasoan.search",
    "toasoan.syndication",
    "toasoan.comments",
    "toasoan.readership",
    "toasoan.polls",
    "toasoan.planning",  # kế hoạch đề tài: ideas, coverages, the meeting, events calendar
    "toasoan.royalties",
    "toasoan.live",  # live blogs and online Q&A (tường thuật, giao lưu trực tuyến)
    "toasoan.ingest",
    "toasoan.printing",  # the print edition: page plan, print versions, ICML, e-paper
    "toasoan.api",
    "toasoan.reach",  # readership dashboard and the external-information report
    "toasoan.delivery",  # whole-page cache, the "content changed" generation, purges
    "toasoan.editions",  # before wagtail_localize: it extends the translation editor's template
    "toasoan.demo",
    "toasoan.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
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
    "ninja",  # the API's Swagger UI / Redoc assets, served from our own static files
    "corsheaders",
    "django_tasks",
    "django_tasks_db",  # the database task queue (TASKS_BACKEND=database); its table always exists
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

# No LocaleMiddleware: staff and readers get Vietnamese whatever their browser asks for;
# a staff member's own language preference (Wagtail profile) switches the admin to English.
# The URL prefix alone picks an edition's language (/en/… English; toasoan.editions).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # only under /api/ (CORS_URLS_REGEX)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "toasoan.delivery.compression.TextGZipMiddleware",  # nginx keeps the compressed copy
    "toasoan.delivery.pagecache.PageCacheMiddleware",  # anonymous pages, before sessions
    "django.contrib.sessions.middleware.SessionMiddleware",
    "toasoan.editions.middleware.edition_language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "toasoan.frontpage.errors.readers_not_found",  # DEBUG: readers get the paper's 404
    "toasoan.core.routing.public_reads",  # anonymous GETs may read from DATABASE_REPLICA_URL
    "toasoan.delivery.sites.known_site",  # Wagtail's site from memory, not a query per request
    "django_otp.middleware.OTPMiddleware",
    "toasoan.accounts.middleware.require_two_factor",
    "toasoan.live.views.GuestFence",  # Q&A guests: 403 on every staff path
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "toasoan.core.middleware.nfc_input",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "toasoan.ingest.middleware.legacy_redirects",  # imported archives' old addresses → 301
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "toasoan.urls"
WSGI_APPLICATION = "toasoan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "toasoan.frontpage.context_processors.section_menu",
                "toasoan.editions.context_processors.edition",
            ],
        },
    },
]

# --- Data: SQLite by default, DATABASE_URL for PostgreSQL (psycopg 3) -----------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Optional read replica: anonymous public GETs read from it, everything else uses "default"
# (toasoan.core.routing). In test runs it mirrors "default" (no second test database).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["toasoan.core.routing.ReplicaRouter"]
# After a change, readers' pages read the primary this long (the replica's worst lag).
DATABASE_REPLICA_LAG_SECONDS = (
    int(os.environ.get("DATABASE_REPLICA_LAG_SECONDS", "5")) if DATABASE_REPLICA_URL else 0
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: local memory by default, REDIS_URL for Redis ------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel test workers (gw0, gw1, …) each flush their own Redis database, the next ones
    # after the one given, as pytest-django gives each its own test database.
    _url = urlsplit(REDIS_URL)
    _db = int(_url.path.strip("/") or 0) + int(os.environ["PYTEST_XDIST_WORKER"][2:])
    REDIS_URL = urlunsplit(_url._replace(path=f"/{_db % 16}"))
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis behind a circuit breaker (toasoan.core.breaker): after a failure or
            # a slow answer, calls are skipped for a growing pause and the page is served from
            # what the worker has; one warning line when Redis goes and one when it returns.
            "BACKEND": "toasoan.core.breaker.GuardedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "toasoan"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # A Redis outage is a cache miss, never a 5xx: pages render from the database.
                "IGNORE_EXCEPTIONS": True,
                # Both timeouts: a refused connection fails at once, but a hung server (SIGSTOP,
                # a frozen VM) accepts the connection and never answers.
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.25")),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "0.25")),
                "CONNECTION_POOL_KWARGS": {"retry": None, "retry_on_timeout": False},
            },
        }
    }
    # Sessions are written to the database too: staff stay signed in through a Redis outage.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES["renditions"] = {**CACHES["default"], "KEY_PREFIX": "renditions"}
if not REDIS_URL:
    CACHES["renditions"]["LOCATION"] = "renditions"

# --- Background tasks (django-tasks): in-process by default, database queue if asked ---
# TASKS_BACKEND=database: tasks are rows in PostgreSQL, written in the same transaction as the
# publish that asked for them, run by `manage.py db_worker` (docs/van-hanh.md).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in TASK_BACKENDS and "." not in TASKS_BACKEND:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={TASKS_BACKEND!r}: use one of {', '.join(TASK_BACKENDS)} "
        "(or a backend's dotted path)."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND)}}

# --- Front caches (toasoan.delivery, deploy/nginx/): nginx micro-caches purged on publish --
# FRONTEND_CACHE_URLS: "http://10.0.0.5:80,http://10.0.0.6:80" (each nginx). In production the
# documented nginx on the same machine (docs/van-hanh.md) is purged unless told otherwise, so
# a publish is never left to the micro-cache's lifetime; "off" when no nginx caches in front.
# In development none. Purges never hold the publishing request (toasoan.delivery.purge).
_FRONT_CACHES = env_list("FRONTEND_CACHE_URLS", "" if DEBUG else "http://127.0.0.1:80")
if _FRONT_CACHES in (["off"], ["0"], ["none"]):
    _FRONT_CACHES = []
WAGTAILFRONTENDCACHE = {
    f"nginx{number}": {"BACKEND": "toasoan.delivery.purge.HTTPBackend", "LOCATION": url}
    for number, url in enumerate(_FRONT_CACHES)
}
WAGTAILFRONTENDCACHE_LANGUAGES = []  # URLs already carry their edition's prefix (/en/…)
# The whole-page cache (toasoan.delivery.pagecache): how long a page stays in Redis, and the
# s-maxage the nginx micro-cache may keep it (purged on publish anyway).
PAGE_CACHE_SECONDS = 10 * 60
PAGE_CACHE_SHARED_SECONDS = 5

# --- Language, time zone and formats: Vietnamese first ---------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["toasoan.core.formats"]
# Editions (toasoan.editions, docs/an-ban.md): Vietnamese at /, every other content language at
# /<code>/. Another edition = its code here and in LANGUAGES plus a translated interface catalogue.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Translations start as drafts and go through their edition's desk (never published on request).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Machine translation is a plug-in (e.g. toasoan.editions.machine.MemoryTranslator, offline);
# none by default, so nothing calls the network.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = (
    {"CLASS": os.environ["MACHINE_TRANSLATOR"], "OPTIONS": {}}
    if os.environ.get("MACHINE_TRANSLATOR")
    else None
)
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILADMIN_USER_LOGIN_FORM = "toasoan.accounts.forms.StaffLoginForm"
# A staff member's own time zone (Tài khoản): area/city names. Debian's zoneinfo also lists
# "localtime", no zone at all, on which the account page's script failed.
WAGTAIL_USER_TIME_ZONES = ["UTC", *sorted(z for z in zoneinfo.available_timezones() if "/" in z)]

# --- Static and media --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Media on S3-compatible object storage (AWS S3, MinIO, Viettel/FPT/VNG cloud…): MEDIA_STORAGE=s3
# or a bucket name. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the
# machine's role); URLs are plain public ones (no signed query strings, so pages cache).
MEDIA_STORAGE = os.environ.get(
    "MEDIA_STORAGE", "s3" if os.environ.get("AWS_STORAGE_BUCKET_NAME") else "local"
)
if MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3: set AWS_STORAGE_BUCKET_NAME.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "object_parameters": {
                "CacheControl": os.environ.get("AWS_S3_CACHE_CONTROL", "public, max-age=86400")
            },
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r}: use local or s3.")
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail -------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Báo Quảng Nam")
# The paper's public address, e.g. https://baoquangnam.vn: canonical links, Open Graph, feeds,
# sitemaps, the API and e-mails all use it (toasoan.core.addresses). Unset: the address each
# request came to (`make run` sets it to the address it serves).
BASE_URL = os.environ.get("BASE_URL", "").strip().rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL or "http://127.0.0.1:8000"
WAGTAILIMAGES_IMAGE_MODEL = "newsroom.Photo"
WAGTAILIMAGES_IMAGE_FORM_BASE = "toasoan.newsroom.photo_forms.PhotoForm"  # titled by caption
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Pixels an uploaded photo may have, read from its header before any decoding
# (toasoan.newsroom.photo_files): a rendition decodes the whole photo, 4 bytes a pixel, so
# 40 megapixels cost ~160 MB per rendition being made. PHOTO_MAX_MEGAPIXELS to change.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(float(os.environ.get("PHOTO_MAX_MEGAPIXELS", "40")) * 1e6)
# Photos over PHOTO_LARGE_MEGAPIXELS are decoded PHOTO_LARGE_DECODES at a time per worker
# process; an upload finding no slot within PHOTO_DECODE_WAIT seconds is refused with a
# message to retry (toasoan.newsroom.photo_budget): a few 40-MP uploads at once cannot
# exhaust the worker's memory.
PHOTO_LARGE_MEGAPIXELS = float(os.environ.get("PHOTO_LARGE_MEGAPIXELS", "12"))
PHOTO_LARGE_DECODES = int(os.environ.get("PHOTO_LARGE_DECODES", "1"))
PHOTO_DECODE_WAIT = float(os.environ.get("PHOTO_DECODE_WAIT", "3"))
WAGTAILREDIRECTS_AUTO_CREATE = False  # article URLs carry the id; old slugs 301 by id
# Wagtail's database search, with the vi_unaccent configuration on PostgreSQL (toasoan.search).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "toasoan.search.backends"}}
# /search/ uses its own index ("database"); "wagtail" sends it to the backend above, e.g.
# OpenSearch for very large archives (docs/operators-search.md).
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "database")
SEARCH_RATE_LIMIT = (30, 60)  # searches per reader address, per window in seconds (0: none)
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no calls to outside hosts
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False  # it links Wagtail's English guide
# Avatars: an uploaded photo or the initials, from our server (accounts.avatars), never gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "toasoan.newsroom.finish.publish_approved"

# --- Security defaults (production values are the code's, not the docs') ----------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SILENCED_SYSTEM_CHECKS = ["security.W021"] if not SECURE_HSTS_PRELOAD else []

# --- Staff accounts: strong passwords, lockout, two-factor, sessions that end ---------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
CSRF_FAILURE_VIEW = "toasoan.accounts.views.csrf_failure"  # Vietnamese, not Django's English
# The reader's address behind nginx (toasoan.core.clients): proxies believed in
# X-Forwarded-For; unset = nginx on this machine.
PROXY_COUNT = int(os.environ["PROXY_COUNT"]) if os.environ.get("PROXY_COUNT") else None
AXES_CLIENT_IP_CALLABLE = "toasoan.core.clients.client_address"
# TOTP two-factor: required of superusers and of every group given the "require_two_factor"
# permission (Settings → Groups, e.g. Tổng biên tập and Quản trị). STAFF_2FA=0 turns it off.
TWO_FACTOR_REQUIRED = env_bool("STAFF_2FA", True)
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "10")) * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "toasoan@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL  # workflow steps e-mail reviewers
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- The paper ---------------------------------------------------------------------------
TOASOAN = {
    "PAGE_SIZE": 20,
    # "inprocess": a thread in `runserver` publishes scheduled stories (embedded default);
    # "off": run `manage.py publish_scheduled` every minute from a timer (production).
    "SCHEDULER": os.environ.get("TOASOAN_SCHEDULER", "inprocess" if DEBUG else "off"),
    "SCHEDULER_INTERVAL": int(os.environ.get("TOASOAN_SCHEDULER_INTERVAL", "30")),  # seconds
    # Archive imports (toasoan.ingest, docs/nhap-lieu.md): where uploaded exports are kept
    # (never under MEDIA_ROOT: they hold readers' emails), and the server folder the import
    # screen may read photos from (unset: photos only through `manage.py import_wxr`).
    "IMPORT_DIR": os.environ.get("IMPORT_DIR", ""),
    "IMPORT_MEDIA_ROOT": os.environ.get("IMPORT_MEDIA_ROOT", ""),
    "INGEST_INLINE": False,  # tests: run an import before answering instead of queueing it
    # Readers' comments (toasoan.comments, docs/ban-doc.md).
    "COMMENT_RATE_LIMITS": {"ip": (5, 600), "email": (3, 600)},  # (comments, seconds)
    "COMMENT_MIN_SECONDS": 3,  # a person needs longer than this to write a comment
    "COMMENT_MAX_FORM_AGE": 6 * 60 * 60,
    "COMMENT_MAX_LINKS": 2,
    "COMMENT_DUPLICATE_WINDOW": 24 * 60 * 60,
    "COMMENT_FLOOD_SENDERS": 3,  # the same text from this many addresses in an hour is spam
    "COMMENT_NOTIFY_MODERATORS": True,
}

# --- Public content API (toasoan.api, docs/api.md) ---------------------------------------
# API_CORS_ORIGINS: "*" (default: any site may GET the read-only API) or a comma-separated
# list of origins, e.g. "https://app.baoquangnam.example,https://doitac.example".
API_CORS_ORIGINS = env_list("API_CORS_ORIGINS", "*")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = "*" in API_CORS_ORIGINS
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else API_CORS_ORIGINS
CORS_ALLOW_METHODS = ("GET", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "if-none-match", "x-api-key")
CORS_EXPOSE_HEADERS = ("ETag", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining")
# Requests per minute: per address without a key; each ApiClient has its own limit.
API_ANON_RATE = int(os.environ.get("API_ANON_RATE", "60"))
