"""Settings, read from environment variables with validation and safe defaults.

Every variable can also come from a file: ``SECRET_KEY_FILE=/run/secrets/key``.
Nothing here needs to be set for the embedded (SQLite) setup: secrets are
generated once and kept under ``VAR_DIR``.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
ROOT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("VAR_DIR", str(ROOT_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def kept_secret(name: str, make) -> str:
    """A secret from the environment, or generated once and kept under VAR_DIR."""
    value = env(name)
    if value:
        return value
    path = VAR_DIR / name.lower()
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = kept_secret("SECRET_KEY", lambda: secrets.token_urlsafe(50))
# Fernet key for ID numbers at rest. Losing it makes the stored numbers unreadable.
FIELD_ENCRYPTION_KEY = kept_secret("FIELD_ENCRYPTION_KEY", lambda: Fernet.generate_key().decode())
try:
    Fernet(FIELD_ENCRYPTION_KEY.encode())
except ValueError:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be a urlsafe base64 Fernet key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from our static files (the CSP allows no CDN)
    "template_partials",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "dangjian.core",
    "dangjian.accounts",
    "dangjian.orgs",
    "dangjian.members",
    "dangjian.meetings",
    "dangjian.standards",
    "dangjian.dues",
    "dangjian.development",
    "dangjian.learning",
    "dangjian.work",
    "dangjian.assessment",
    "dangjian.statistics",
    "dangjian.dashboard",
    "dangjian.publicity",
    "dangjian.engagement",
    "dangjian.talent",
    "dangjian.opinion",
]

MIDDLEWARE = [
    "dangjian.core.middleware.RequestIdMiddleware",
    "dangjian.core.middleware.NulCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dangjian.core.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dangjian.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

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
                "dangjian.core.context_processors.platform",
            ],
            # money and percent filters on every page (one way to show amounts and rates)
            # and {% link 'name' %}: a URL without arguments, reversed once per process
            "builtins": [
                "dangjian.core.templatetags.dj_format",
                "dangjian.core.templatetags.dj_links",
            ],
        },
    }
]

# Database: SQLite under VAR_DIR unless DATABASE_URL is set.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(VAR_DIR / "dangjian.sqlite3")),
            # Kept open across requests, as on PostgreSQL: opening one costs ~6 ms (the file,
            # the PRAGMAs, parsing a schema of 550 tables and indexes), more than a page.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 8)
PASSWORD_MIN_CLASSES = env_int("PASSWORD_MIN_CLASSES", 3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "dangjian.accounts.validators.ComplexityValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH, "min_classes": PASSWORD_MIN_CLASSES},
    },
    # Django's list of 20,000 common passwords (Password1, P@ssw0rd, ...).
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Login lockout (django-axes): 5 failures in 15 minutes locks the username from that address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# The lockout answer: the page above for browsers, JSON 429 with the minutes left for the API.
AXES_LOCKOUT_CALLABLE = "dangjian.accounts.views.lockout_response"
AXES_VERBOSE = False
# Wrong 6-digit meeting sign-in codes a member may enter before a pause (meetings).
SIGN_IN_CODE_TRIES = env_int("SIGN_IN_CODE_TRIES", 5)
SIGN_IN_CODE_LOCK_MINUTES = env_int("SIGN_IN_CODE_LOCK_MINUTES", 10)

# On-site visits one inspection campaign may make (督查, 减负: the others are inspected from
# the records on the platform); a campaign keeps the cap in force when it was created.
INSPECTION_ONSITE_VISITS_MAX = env_int("INSPECTION_ONSITE_VISITS_MAX", 30)

# Idle session timeout. The session cookie ends with the browser unless "记住我" is ticked
# at login; then it lasts SESSION_COOKIE_AGE (the idle timeout applies either way).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# API bearer tokens: an absolute lifetime, an idle limit, and at most so many live tokens
# per user (issuing one more revokes the oldest).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
API_TOKEN_IDLE_HOURS = env_int("API_TOKEN_IDLE_HOURS", 24)
API_TOKEN_MAX_PER_USER = env_int("API_TOKEN_MAX_PER_USER", 10)
for _name in ("API_TOKEN_DAYS", "API_TOKEN_IDLE_HOURS", "API_TOKEN_MAX_PER_USER"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS: with SECURE_COOKIES on, browsers are told to use HTTPS only (HSTS). Behind a proxy
# Django sees plain HTTP, so it trusts the proxy's X-Forwarded-Proto (nginx must set it, as
# in docs/deployment.md) unless TRUST_X_FORWARDED_PROTO=false.
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600) if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
if env_bool("TRUST_X_FORWARDED_PROTO", SESSION_COOKIE_SECURE):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Scripts only from our own static files, each tag carrying the request's nonce: no inline
# script, no eval (htmx runs with allowEval off; handlers live in static/dangjian/app.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF, "'unsafe-inline'"],
        "script-src": [SELF, NONCE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The user guides (docs/guide, shown by the help page); their screenshots are static files
# under guide/ (a source checkout has them; an installed package has no guides to show).
GUIDE_DIR = ROOT_DIR / "docs" / "guide"
STATICFILES_DIRS = [BASE_DIR / "static"]
if (GUIDE_DIR / "img").is_dir():
    STATICFILES_DIRS.append(("guide", GUIDE_DIR / "img"))
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10) * 1024 * 1024
# Data rows one spreadsheet import may hold (member roster import).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20000)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# Notifications: in-app inbox always; email when EMAIL_HOST is set; a webhook
# (WeChat Work / DingTalk robot or any HTTP receiver) when NOTIFY_WEBHOOK_URL is set.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "dangjian@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.locmem.EmailBackend"
)
NOTIFY_WEBHOOK_URL = env("NOTIFY_WEBHOOK_URL")
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 7)
# Compliance: an unmet item is "due soon" (and its secretary reminded) this many days
# before its period ends.
STANDARDS_DUE_SOON_DAYS = env_int("STANDARDS_DUE_SOON_DAYS", 14)
# A subtree of more branches reads its kept findings while they are being re-evaluated
# rather than evaluating live on the request (a province: about a minute).
STANDARDS_LIVE_MAX_BRANCHES = env_int("STANDARDS_LIVE_MAX_BRANCHES", 500)

# Roles that may see a member's full ID number (each reveal is audited). Only a manager at
# committee level (机关工委, 党委) or the platform admin may appoint someone to one of them.
ID_REVEAL_ROLES = env_list("ID_REVEAL_ROLES", "secretary,organizer,staff")

PAGE_SIZE = env_int("PAGE_SIZE", 50)

# The public portal (/public/, no login): requests per minute per client address
# (core/ratelimit.py), for reading pages and for writing (asking, answering a survey).
PUBLIC_READS_PER_MINUTE = env_int("PUBLIC_READS_PER_MINUTE", 120)
PUBLIC_WRITES_PER_MINUTE = env_int("PUBLIC_WRITES_PER_MINUTE", 10)

# --- ask (法规问答, standards/ask) ------------------------------------------------------
# The longest question accepted (characters), the answers shown, and how often (seconds)
# the index re-reads the FAQ sources (the library itself is watched on every question).
ASK_MAX_QUESTION = env_int("ASK_MAX_QUESTION", 200)
ASK_ANSWERS = env_int("ASK_ANSWERS", 5)
ASK_INDEX_TTL = env_int("ASK_INDEX_TTL", 300)

# --- publicity (notices, articles, role models, disclosure) ---------------------------
# --- engagement (consultation, surveys, suggestions) ----------------------------------
# --- talent (talent pool, training tracks) --------------------------------------------
# --- opinion (public-opinion watch) ---------------------------------------------------
# The feed fetcher (opinion/fetch.py): seconds per connection/read, bytes per feed, entries
# read from one feed, redirects followed. Private, loopback and link-local addresses are
# refused (SSRF) unless OPINION_ALLOW_PRIVATE_HOSTS is on (tests, an intranet feed server).
OPINION_FETCH_TIMEOUT = env_int("OPINION_FETCH_TIMEOUT", 10)
OPINION_FETCH_MAX_BYTES = env_int("OPINION_FETCH_MAX_BYTES", 2 * 1024 * 1024)
OPINION_FETCH_MAX_ENTRIES = env_int("OPINION_FETCH_MAX_ENTRIES", 200)
OPINION_FETCH_MAX_REDIRECTS = env_int("OPINION_FETCH_MAX_REDIRECTS", 3)
OPINION_ALLOW_PRIVATE_HOSTS = env_bool("OPINION_ALLOW_PRIVATE_HOSTS", False)
# --- dashboard (驾驶舱) ----------------------------------------------------------------
# The big screen reloads its figures this often (seconds); the kept figures themselves are
# rebuilt by the worker on change and nightly (`dangjian dashboard_refresh`).
DASHBOARD_SCREEN_REFRESH_SECONDS = env_int("DASHBOARD_SCREEN_REFRESH_SECONDS", 300)
# How many years `dangjian dashboard_refresh` rebuilds by default (this year and before).
DASHBOARD_REFRESH_YEARS = env_int("DASHBOARD_REFRESH_YEARS", 1)
# --- channels (WeChat Work, DingTalk, Feishu) -----------------------------------------
# Outgoing channels (core/channels): attempts per delivery, the first retry's wait (doubling
# after each failure), the timeout of one outside call.
CHANNEL_MAX_ATTEMPTS = env_int("CHANNEL_MAX_ATTEMPTS", 5)
CHANNEL_RETRY_SECONDS = env_int("CHANNEL_RETRY_SECONDS", 60)
CHANNEL_TIMEOUT_SECONDS = env_int("CHANNEL_TIMEOUT_SECONDS", 10)
# Login through WeChat Work (企业微信) and DingTalk (钉钉): off while the ids are unset. The
# *_API / *_AUTHORIZE_URL variables point at a private deployment or an intranet gateway.
WECOM_CORP_ID = env("WECOM_CORP_ID")
WECOM_AGENT_ID = env("WECOM_AGENT_ID")
WECOM_SECRET = env("WECOM_SECRET")
WECOM_API = env("WECOM_API", "https://qyapi.weixin.qq.com")
WECOM_AUTHORIZE_URL = env(
    "WECOM_AUTHORIZE_URL", "https://open.weixin.qq.com/connect/oauth2/authorize"
)
WECOM_QR_URL = env("WECOM_QR_URL", "https://login.work.weixin.qq.com/wwlogin/sso/login")
DINGTALK_CLIENT_ID = env("DINGTALK_CLIENT_ID")
DINGTALK_CLIENT_SECRET = env("DINGTALK_CLIENT_SECRET")
DINGTALK_API = env("DINGTALK_API", "https://api.dingtalk.com")
DINGTALK_AUTHORIZE_URL = env("DINGTALK_AUTHORIZE_URL", "https://login.dingtalk.com/oauth2/auth")
OAUTH_TIMEOUT_SECONDS = env_int("OAUTH_TIMEOUT_SECONDS", 10)
for _name in ("CHANNEL_MAX_ATTEMPTS", "CHANNEL_RETRY_SECONDS", "CHANNEL_TIMEOUT_SECONDS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
if WECOM_CORP_ID and not (WECOM_AGENT_ID and WECOM_SECRET):
    raise ImproperlyConfigured("WECOM_CORP_ID is set: set WECOM_AGENT_ID and WECOM_SECRET too")
if DINGTALK_CLIENT_ID and not DINGTALK_CLIENT_SECRET:
    raise ImproperlyConfigured("DINGTALK_CLIENT_ID is set: set DINGTALK_CLIENT_SECRET too")
DUES_BASE_MODE = env("DUES_BASE_MODE", "agency")  # DUE-7: agency (fixed yearly) | follow_pay

# Every handler masks ID-number-like strings and stamps the request id (core/logging.py);
# Django's own loggers are routed to the same handler, so none of them writes a full ID number.
LOG_LEVEL = env("LOG_LEVEL", "WARNING").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_id_numbers": {"()": "dangjian.core.logging.MaskIdNumbersFilter"},
        "request_id": {"()": "dangjian.core.logging.RequestIdFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "mask_id_numbers"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
