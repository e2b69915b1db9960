"""Settings for the LMS, read from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from lms.observability.logs import logging_config
from lms.observability.metrics import metrics_networks
from lms.observability.sentry import sentry_init
from lms.security_headers import csp_bucket_origins, csp_origins

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# The profile: "development" (local runs and the demo: the default), "production" (a real
# deployment: every default is the safe one) or "test" (the test suite). Settings below that
# differ between profiles read PRODUCTION for their default; the environment overrides any.
DJANGO_ENV = env("DJANGO_ENV", default="development")
if DJANGO_ENV not in ("development", "production", "test"):
    raise ImproperlyConfigured(
        f"DJANGO_ENV is {DJANGO_ENV!r}; use development, production or test."
    )
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The built-in key signs sessions and password-reset links of local runs only: a production
# start without DJANGO_SECRET_KEY stops here rather than run with a key everyone can read.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. A production instance needs its own secret key: "
            "set DJANGO_SECRET_KEY to a long random value (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "dev-only-insecure-key-change-me"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "lms.apps.LmsConfig",
    "mptt",
    "polymorphic",
    "guardian",
    "axes",
    "tenancy",
    "notifications",
    "catalog",
    "syllabus",
    "content",
    "assessments",
    "community",
    "interchange",
    "staff",
    "portal",
    "demo",
]

MIDDLEWARE = [
    # First: /healthz, /readyz and /metrics answer before the HTTPS redirect, ALLOWED_HOSTS
    # and sessions (load balancers and Prometheus reach a node by address over http).
    "lms.observability.middleware.ProbeMiddleware",
    # A request id (X-Request-ID) in every log line, then request counts and times.
    "lms.observability.middleware.RequestContextMiddleware",
    "lms.observability.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (SECURE_CSP) and Permissions-Policy on every response.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the database: a NUL in any input answers 400 (lms/middleware.py).
    "lms.middleware.NulInputMiddleware",
    # Outside the sessions, so it sees their writes too: keeps a visitor who just wrote on the
    # primary database while a replica catches up (lms/replicas.py; inert without a replica).
    "lms.replicas.PrimaryPinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenancy.middleware.UserTimeZoneMiddleware",
    # Who is asking (user id, university id) in every log line of the request.
    "tenancy.middleware.RequestUserContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

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
                # {{ csp_nonce }}: the nonce of this response's Content-Security-Policy.
                "django.template.context_processors.csp",
                # {{ unread_notifications }} in the header, read from the cache when shown.
                "portal.context_processors.notification_bell",
            ],
            # One way to show dates: {{ value|local_date }} and {{ value|local_datetime }}.
            "builtins": ["lms.templatetags.dates"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/lms"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tenancy.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses logins that are locked out after repeated failures (django-axes).
    "tenancy.lockout.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    "tenancy.auth.RolePermissionBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:catalog"
# Where a new account lands (tenancy's signup view, which names no page of the apps above it).
SIGNUP_REDIRECT_URL = "portal:catalog"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Failed logins: after AXES_FAILURE_LIMIT failures for one email from one address, logins for
# that pair pause for AXES_COOLOFF_MINUTES; a successful login or a password reset clears them.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "tenancy.lockout.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tenancy.lockout.lockout_response"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=None)
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The languages a user may choose for their profile.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("pt-br", "Português (Brasil)"),
    ("ja", "日本語"),
    ("zh-hans", "简体中文"),
]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploads are private: MEDIA_ROOT is never served as it is, in any mode. Views check who is
# asking and then send the file themselves (django: streamed, with byte ranges), through nginx
# (x-accel: X-Accel-Redirect to MEDIA_ACCEL_PREFIX, an `internal` location aliased to
# MEDIA_ROOT) or through Apache's mod_xsendfile (x-sendfile). With S3_BUCKET set they redirect
# to a signed address instead (lms/media.py).
MEDIA_SERVE_MODE = env("MEDIA_SERVE_MODE", default="django")
MEDIA_ACCEL_PREFIX = env("MEDIA_ACCEL_PREFIX", default="/protected-media/")
STORAGES = {
    "default": {
        "BACKEND": env(
            "DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if not env.bool("DJANGO_MANIFEST_STATIC", default=False):
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Uploads go to an S3-compatible bucket when S3_BUCKET is set (any endpoint: AWS, MinIO, Ceph...),
# else to DEFAULT_FILE_STORAGE (the file system under MEDIA_ROOT). Files stay private: links are
# signed and expire after S3_URL_SECONDS.
if env("S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "location": env("S3_PREFIX", default=""),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("S3_URL_SECONDS", default=3600),
            "signature_version": env("S3_SIGNATURE_VERSION", default="s3v4"),
            "file_overwrite": False,
        },
    }

# Email goes to the console unless EMAIL_BACKEND names another backend; SMTP reads its server
# from EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and EMAIL_USE_TLS.
# Production sends through SMTP by default; local runs print emails to the console.
_mail_backend = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends."
    + ("smtp.EmailBackend" if PRODUCTION else "console.EmailBackend"),
)
MAILERS = {"default": {"BACKEND": _mail_backend}}
if _mail_backend.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env("EMAIL_HOST_USER", default=""),
        "password": env("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
        "timeout": env.int("EMAIL_TIMEOUT", default=30),
    }
elif _mail_backend.endswith("filebased.EmailBackend"):
    # One file per connection under EMAIL_FILE_PATH: a staging instance that keeps its mail.
    MAILERS["default"]["OPTIONS"] = {"file_path": env("EMAIL_FILE_PATH", default="var/mail")}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="lms@localhost")
# The sender of error reports to ADMINS.
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")

# The cache is shared by every web node and worker in production (Redis, CACHE_URL, by default
# REDIS_URL); local runs keep it in process memory. Sessions live in the database (Django's
# default engine), so any web node can serve any request.
CACHE_URL = env("CACHE_URL", default=REDIS_URL)
CACHE_BACKEND = env(
    "CACHE_BACKEND",
    default="django.core.cache.backends."
    + ("redis.RedisCache" if PRODUCTION else "locmem.LocMemCache"),
)
CACHES = {"default": {"BACKEND": CACHE_BACKEND}}
if CACHE_BACKEND.endswith("RedisCache"):
    CACHES["default"]["LOCATION"] = CACHE_URL
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Celery. CELERY_TASK_ALWAYS_EAGER unset means "decide at start-up": lms/celery.py runs tasks
# in-process, and logs that it does, when the broker cannot be reached.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# An unacknowledged task is handed to another worker after this long: it must exceed the longest
# task time limit (the discussion digest, 30 minutes), or a running task would be run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 31 * 60}
# A page that enqueues work answers quickly when the broker is away: short connection timeouts.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1.0
# ...and so does a result read or store: one quick retry, not twenty over twenty seconds.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.5,
        "interval_max": 0.5,
    }
}
# Queues: lab grading, grade rollups and certificates, email; everything else on "default".
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "assessments.labs.tasks.*": {"queue": "labs"},
    "assessments.tasks.*": {"queue": "grades"},
    "catalog.tasks.*": {"queue": "email"},
    "tenancy.tasks.*": {"queue": "email"},
    "community.tasks.*": {"queue": "email"},
    "notifications.tasks.*": {"queue": "email"},
}
# The task outbox (lms/outbox.py): background work is recorded with the write that needs it and
# sent again by a sweep every TASK_OUTBOX_SWEEP_SECONDS when it could not be sent (the broker was
# away) or did not finish within its lease (each task's hard time limit and a minute, or
# TASK_OUTBOX_LEASE_SECONDS for all), at most TASK_OUTBOX_MAX_SENDS times.
TASK_OUTBOX_SWEEP_SECONDS = env.int("TASK_OUTBOX_SWEEP_SECONDS", default=60)
TASK_OUTBOX_LEASE_SECONDS = env.int("TASK_OUTBOX_LEASE_SECONDS", default=None)
TASK_OUTBOX_GRACE_SECONDS = env.int("TASK_OUTBOX_GRACE_SECONDS", default=10)
TASK_OUTBOX_MAX_SENDS = env.int("TASK_OUTBOX_MAX_SENDS", default=5)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "discussion-digest": {
        "task": "community.tasks.discussion_digest_task",
        "schedule": crontab(hour=6, minute=0),
    },
    "grades-rollup-nightly": {
        "task": "assessments.tasks.grades_rollup_nightly_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Grades of offerings whose end date passed become final (completions, certificates).
    "grades-finalize-due": {
        "task": "assessments.tasks.grades_finalize_due_task",
        "schedule": crontab(minute=15),
    },
    # Learners are told of their undone work due within the next 24 hours.
    "deadline-reminders": {
        "task": "assessments.tasks.deadline_reminders_task",
        "schedule": crontab(minute=5),
    },
    # Work that could not reach the broker, or whose worker died, is sent again (lms/outbox.py).
    "task-outbox-sweep": {
        "task": "lms.tasks.task_outbox_sweep_task",
        "schedule": float(TASK_OUTBOX_SWEEP_SECONDS),
        "options": {"expires": max(TASK_OUTBOX_SWEEP_SECONDS - 5, 1)},
    },
    # Open quiz attempts past their deadline are submitted within a minute.
    "quiz-attempts-expire": {
        "task": "assessments.tasks.quiz_attempts_expire_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}

# Grades: a burst of scores for one learner triggers one rollup this many seconds later.
GRADE_ROLLUP_COALESCE_SECONDS = env.float("GRADE_ROLLUP_COALESCE_SECONDS", default=5.0)
# Certificates expire this many days after issue; empty means they never expire.
CERTIFICATE_VALID_DAYS = env.int("CERTIFICATE_VALID_DAYS", default=None)

# Engineering labs (assessments/labs): uploads, and the runner that grades them. LAB_RUNNER is
# assessments.labs.sandbox.SubprocessRunner (limits, namespaces, unprivileged user) or
# assessments.labs.container.ContainerRunner (docker or podman, the lab's container_image).
LAB_RUNNER = env("LAB_RUNNER", default="assessments.labs.sandbox.SubprocessRunner")
LAB_SANDBOX_USER = env("LAB_SANDBOX_USER", default="nobody")
LAB_USE_NAMESPACES = env.bool("LAB_USE_NAMESPACES", default=True)
LAB_PYTHON = env("LAB_PYTHON", default="")
LAB_CONTAINER_ENGINE = env("LAB_CONTAINER_ENGINE", default="docker")
LAB_CONTAINER_START_SECONDS = env.int("LAB_CONTAINER_START_SECONDS", default=60)
LAB_GRADING_MAX_SECONDS = env.int("LAB_GRADING_MAX_SECONDS", default=300)
LAB_DEFAULT_MEMORY_BYTES = 512 * 1024 * 1024
LAB_MAX_PROCESSES = env.int("LAB_MAX_PROCESSES", default=64)
LAB_MAX_FILE_BYTES = 64 * 1024 * 1024
LAB_UPLOAD_MAX_BYTES = env.int("LAB_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
LAB_UPLOAD_MAX_FILES = env.int("LAB_UPLOAD_MAX_FILES", default=50)
LAB_UPLOAD_MAX_UNPACKED_BYTES = 20 * 1024 * 1024
# The lab grading task lives outside assessments/tasks.py, so the worker imports it by name.
CELERY_IMPORTS = ("assessments.labs.tasks",)

# Discussions: how long authors may edit a post, how many posts a user may write per minute.
COMMUNITY_EDIT_WINDOW_MINUTES = env.int("COMMUNITY_EDIT_WINDOW_MINUTES", default=30)
COMMUNITY_POSTS_PER_MINUTE = env.int("COMMUNITY_POSTS_PER_MINUTE", default=5)
COMMUNITY_POST_MAX_LENGTH = 20_000
# The address links in emails point to.
SITE_URL = env("SITE_URL", default="http://localhost:8000")

# Logs: LOG_FORMAT=text (the default) or json (one JSON object a line); every line of a request
# carries request_id, user_id and university_id, every line of a task task_id and task_name.
# Workers log through the same configuration (CELERY_WORKER_HIJACK_ROOT_LOGGER off).
try:
    LOGGING = logging_config(
        log_format=env("LOG_FORMAT", default="text"), level=env("LOG_LEVEL", default="INFO")
    )
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Metrics (lms/observability/metrics.py) at /metrics, for scrapes from these networks or with
# `Authorization: Bearer METRICS_TOKEN`; anyone else gets a 404. Several processes (gunicorn
# workers, Celery children) share their samples through PROMETHEUS_MULTIPROC_DIR, read by
# prometheus_client itself; CELERY_METRICS_PORT makes a worker serve its own metrics.
try:
    METRICS_ALLOWED_NETWORKS = [
        str(network)
        for network in metrics_networks(
            env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
        )
    ]
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
METRICS_TOKEN = env("METRICS_TOKEN", default="")
try:
    METRICS_WORKER_PORT = env.int("CELERY_METRICS_PORT", default=None)
except ValueError as exc:
    raise ImproperlyConfigured("CELERY_METRICS_PORT is not a port number.") from exc
METRICS_WORKER_ADDR = env("CELERY_METRICS_ADDR", default="127.0.0.1")

# Error reports to Sentry, only with SENTRY_DSN set; no personal data is sent.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    try:
        _traces_rate = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SENTRY_TRACES_SAMPLE_RATE is not a number; use one from 0 to 1."
        ) from exc
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default=DJANGO_ENV),
        traces_sample_rate=_traces_rate,
    )

# Index names follow the schema contract, which is PostgreSQL-only (63-character identifiers);
# Django's 30-character limit on index names exists for other databases.
SILENCED_SYSTEM_CHECKS = ["models.E034"]

# --- Beyond one machine ---
# DATABASE_REPLICA_URL: a streaming replica of the database. The public read-only pages
# (catalog, course page, outline, certificate check) read from it (lms/replicas.py); every write
# and every other page uses DATABASE_URL. A visitor who wrote stays on the primary for
# DATABASE_REPLICA_PIN_SECONDS, which must exceed the replica's usual lag.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # A replica that does not answer must not hold a page for long: it is then read from the
    # primary.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # Tests run against one database: the replica alias reads the test database of default.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["lms.replicas.ReplicaRouter"]

# DATABASE_POOLER=pgbouncer: connections go through PgBouncer in transaction mode, where a
# server connection changes between transactions. Server-side cursors and prepared statements
# live on one server connection, so both are off; advisory locks are transaction-level only.
DATABASE_POOLER = env("DATABASE_POOLER", default="")
if DATABASE_POOLER == "pgbouncer":
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
        _database.setdefault("OPTIONS", {})["prepare_threshold"] = None

# --- Production settings ---
# HTTPS: in production every default is the safe one; each reads its own variable so a site
# behind a proxy that terminates TLS can say so (DJANGO_SECURE_PROXY_SSL_HEADER, e.g.
# "HTTP_X_FORWARDED_PROTO,https": trust it only when the proxy always sets that header).
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int(
    "DJANGO_SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60 if PRODUCTION else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=PRODUCTION)
_proxy_header = env.list("DJANGO_SECURE_PROXY_SSL_HEADER", default=[])
if _proxy_header:
    if len(_proxy_header) != 2:
        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER takes a header and a value, e.g. "
            "HTTP_X_FORWARDED_PROTO,https."
        )
    SECURE_PROXY_SSL_HEADER = (_proxy_header[0], _proxy_header[1])

# --- Security headers (docs/deploy.md, "Security headers") ---
# Content-Security-Policy: pages load scripts, styles, images and media from this site only; a
# script tag carries the response's nonce ({{ csp_nonce }}); no inline script, style or event
# handler runs. Video items embed the YouTube (privacy-enhanced) and Vimeo players. Uploads in
# an S3 bucket are shown from the bucket's address, so that origin is allowed for images and
# media; CSP_EXTRA_MEDIA_ORIGINS adds others (a CDN, assets hosted on another site) and
# CSP_EXTRA_FRAME_ORIGINS other embedded players.
VIDEO_EMBED_ORIGINS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]


MEDIA_ORIGINS = csp_bucket_origins() + csp_origins(
    "CSP_EXTRA_MEDIA_ORIGINS", env.list("CSP_EXTRA_MEDIA_ORIGINS", default=[])
)
FRAME_ORIGINS = VIDEO_EMBED_ORIGINS + csp_origins(
    "CSP_EXTRA_FRAME_ORIGINS", env.list("CSP_EXTRA_FRAME_ORIGINS", default=[])
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],
    "media-src": [CSP.SELF, *MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": FRAME_ORIGINS,
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    # No page of the site is meant to be shown inside a frame (X-Frame-Options says DENY too).
    "frame-ancestors": [CSP.NONE],
}
# CSP_REPORT_ONLY=true sends the same policy as Content-Security-Policy-Report-Only instead:
# browsers then report what it would block without blocking it (a trial on a live site).
if env.bool("CSP_REPORT_ONLY", default=False):
    SECURE_CSP_REPORT_ONLY, SECURE_CSP = SECURE_CSP, {}
SECURE_REFERRER_POLICY = env("DJANGO_SECURE_REFERRER_POLICY", default="same-origin")
# Permissions-Policy: the site uses none of these browser features, so no page (and no frame
# in it) may; fullscreen and picture-in-picture stay for the site and the video players.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": ["self", *VIDEO_EMBED_ORIGINS],
    "fullscreen": ["self", *VIDEO_EMBED_ORIGINS],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": ["self", *VIDEO_EMBED_ORIGINS],
    "publickey-credentials-get": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# Question banks (GIFT, Moodle XML, QTI 1.2) imported into a course's pool: the largest file
# read and the most questions in one file.
QUESTION_BANK_MAX_BYTES = env.int("QUESTION_BANK_MAX_BYTES", default=2 * 1024 * 1024)
QUESTION_BANK_MAX_QUESTIONS = env.int("QUESTION_BANK_MAX_QUESTIONS", default=2000)

# Course packages (Open edX OLX) read by interchange.archives: the most files and unpacked bytes
# a package may hold; anything larger is refused before a byte of it is written.
COURSE_IMPORT_MAX_FILES = env.int("COURSE_IMPORT_MAX_FILES", default=5000)
COURSE_IMPORT_MAX_BYTES = env.int("COURSE_IMPORT_MAX_BYTES", default=200 * 1024 * 1024)
