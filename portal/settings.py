"""Settings for the housing portal.

Everything that differs between a laptop and production comes from the
environment, with defaults that let a newcomer start without any service:
SQLite, Celery running tasks in-process, e-mail printed to the console.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def mailer_from_url(url: str) -> dict:
    """Turn EMAIL_URL into a MAILERS entry.

    console://             print mails (the default)
    locmem://              keep mails in memory (tests)
    file:///var/mail/out   write each mail as a file into that folder
    smtp://user:pw@host:25, smtp+tls://… or smtps://…
    """
    parts = urlparse(url)
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme == "file":
        # file://relative/path would put "relative" in the host part: demand an absolute path.
        if parts.netloc or not parts.path.startswith("/"):
            raise ImproperlyConfigured(f"EMAIL_URL needs an absolute path, as in file:///tmp/mail: {url!r}")
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": unquote(parts.path)},
        }
    if parts.scheme in {"smtp", "smtp+tls", "smtps"}:
        # keep_blank_values: "?tls" alone must count, not only "?tls=1".
        query = parse_qs(parts.query, keep_blank_values=True)
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": parts.port or 25,
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_tls": parts.scheme == "smtp+tls" or "tls" in query,
                "use_ssl": parts.scheme == "smtps",
                "timeout": 10,
            },
        }
    raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {parts.scheme!r}")


# DEBUG is on unless set, so that `manage.py demo` and the tests need no setting at all.
# A server facing the public starts through portal/wsgi.py, which refuses DEBUG on and the
# development key, and the demo bank unless ALLOW_DEMO says it is a demonstration (portal.checks).
DEBUG = env_bool("DEBUG", True)
ALLOW_DEMO = env_bool("ALLOW_DEMO", False)
# Django's "django-insecure-" prefix: `check --deploy` (security.W009) and the WSGI entry
# point both know this key for what it is, wherever it was copied to.
DEVELOPMENT_SECRET_KEY = "django-insecure-portal-development-key-never-use-it-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The address the portal is reached at, for links in e-mails and in jobs
# that run outside a request (Celery).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "portal",
    "contracts",
    "payments",
    "repairs",
    "allocation",
    "complaints",
    "portal.apps.PortalAdminConfig",  # django.contrib.admin on the portal's own site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Response headers only, and outermost: the pages that inner middleware answer with
    # (the 400 for unreadable input) get them too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.UploadBudgetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    # Before anything reads the request's values (the session, the user, a form): a NUL
    # byte or bytes that are not UTF-8 get a 400, in the visitor's language.
    "portal.middleware.RefuseUnreadableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "portal.urls"
# None: runserver (and so `manage.py demo`) builds its own application and does not
# load portal/wsgi.py, whose production checks would refuse a laptop's settings.
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
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
LOGIN_REDIRECT_URL = "portal:dashboard"
# An invitation link is valid for a week: a tenant does not always read mail daily.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 7

# django-allauth: e-mail is the login name; tenants are invited, never sign up.
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "portal.forms.LoginForm", "reset_password": "portal.forms.ResetPasswordForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_SESSION_REMEMBER = None
# Sliding windows in the cache (allauth's mechanism). "key" of login_failed is the
# client address and the login together (portal.adapters): an attacker's wrong
# passwords never lock the owner out elsewhere; "ip" stops one address guessing
# many accounts. login_failed_account is the account's own ceiling against many
# addresses: it counts and refuses only browsers that never logged in to the account
# (portal.devices); login_failed_device holds back such a browser's cookie when it
# guesses itself. The portal's own actions below are consumed by its views with
# allauth.core.ratelimit: each sends a mail to an address someone typed.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "20/h/key",
    "login_failed_device": "10/h/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
    "email_change": "20/h/ip,5/h/user",
    "seeker_signup": "30/h/ip,3/h/key",
    "co_applicant_invite": "20/h/ip,5/h/user",
}
# The reverse proxies in front of the portal that add the client's address to
# X-Forwarded-For; without it every visitor would share the proxy's address in the
# limits above.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Tell people when their password changes, so a stolen account is noticed.
ACCOUNT_EMAIL_NOTIFICATIONS = True

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

MAILERS = {"default": mailer_from_url(os.environ.get("EMAIL_URL", "console://"))}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mijn Woonportaal <noreply@woonportaal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: without REDIS_URL tasks run at once, in the same process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # The day before an appointment, in the morning.
    "repair-reminders": {"task": "repairs.tasks.repair_reminders", "schedule": crontab(hour=9, minute=0)},
    # Seed 004: "De eerste dag na het verstrijken van de betaaltermijn wordt er direct actie ondernomen."
    "arrears-queue": {
        "task": "payments.arrears_tasks.arrears_queue_build",
        "schedule": crontab(hour=6, minute=30),
    },
    "instalments-check": {
        "task": "payments.arrangement_tasks.instalments_check",
        "schedule": crontab(hour=6, minute=0),
    },
    "rent-invoices": {
        "task": "payments.ledger_tasks.rent_invoices_create",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
    # Offers answer within 24 hours (48 for a final allocation); a late answer blocks.
    "allocation-offers-expire": {
        "task": "allocation.offer_tasks.offers_expire",
        "schedule": crontab(minute="*/15"),
    },
    "allocation-registrations-expire": {
        "task": "allocation.seeker_tasks.registrations_expire",
        "schedule": crontab(hour=5, minute=0),
    },
    "allocation-tips": {"task": "allocation.seeker_tasks.tips_send", "schedule": crontab(hour=7, minute=30)},
    # Hands waiting outbox jobs (e-mails held up by a broker or mail server outage) to the workers.
    "outbox-relay": {"task": "portal.outbox.relay", "schedule": 60.0},
    "repair-drafts-clean": {
        "task": "repairs.tasks.repair_drafts_clean",
        "schedule": crontab(hour=3, minute=30),
    },
    # A form's send is remembered (portal.once) as long as the session it came from can live.
    "sends-forget": {"task": "portal.tasks.sends_forget", "schedule": crontab(hour=3, minute=45)},
}

if REDIS_URL:
    # Redis, and the database (table portal_cache) while Redis does not answer: see portal/cache.py.
    CACHES = {"default": {"BACKEND": "portal.cache.RedisOrDatabaseCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# HTTPS. With DEBUG off (which is how the WSGI entry point runs, see portal.checks) the
# portal speaks only HTTPS by default; a laptop with DEBUG on speaks plain HTTP.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # "__Host-": the browser keeps these cookies to this one host and HTTPS, so a sibling
    # subdomain can neither read nor plant a session or CSRF token (OWASP ASVS 3.4.4).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
#: The signed cookie that marks a browser that logged in to an account before (portal.devices).
DEVICE_COOKIE_NAME = "__Host-device" if SESSION_COOKIE_SECURE else "device"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # TLS ends at the proxy in front, which must set X-Forwarded-Proto (overwriting what a
    # client sent); without this every proxied request looks like plain HTTP and is
    # redirected again and again.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain HTTP is redirected to HTTPS. A proxy that redirects by itself may say so with
# SECURE_SSL_REDIRECT=0: an explicit off is the operator's decision, so `check --deploy`
# stops reminding of it (security.W008).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# HSTS for a year (OWASP ASVS 14.4.5 asks at least that); browsers heed it only over HTTPS.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
# Subdomains of the portal's own host name only when the operator says they all speak
# HTTPS: it binds every host under that name, for a year, in every browser that visited.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
# The preload list takes whole registered domains (woonkracht.nl), which is the domain
# owner's decision and not the portal's; so no preload, and no reminder of it (W021).
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if os.environ.get("SECURE_SSL_REDIRECT") and not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS.append("security.W008")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
}

FORM_RENDERER = "portal.forms.FormRenderer"

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# The portal's name in the header, e-mails and page titles.
SITE_NAME = os.environ.get("SITE_NAME", "Woonportaal")

# Payments: without a key a built-in demo bank with a local checkout page stands in for
# Mollie, where no money moves; only where it is allowed (DEBUG on, or ALLOW_DEMO).
# Elsewhere the portal without a key has no bank and says online paying is not possible.
# MOLLIE_API_ENDPOINT is for tests and never set in production.
MOLLIE_API_KEY = os.environ.get("MOLLIE_API_KEY", "")
MOLLIE_API_ENDPOINT = os.environ.get("MOLLIE_API_ENDPOINT", "")
DEMO_BANK_ALLOWED = DEBUG or ALLOW_DEMO

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"woningwaardering": {"level": "WARNING"}},
}
