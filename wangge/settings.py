"""Settings, read from the environment. Every production secret must come from there.

`WANGGE_ENV=production` switches on the strict checks: a missing SECRET_KEY or PII_KEY
stops the process instead of falling back to a development value.
"""

import importlib.util
import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WANGGE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


ENVIRONMENT = os.environ.get("WANGGE_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("WANGGE_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"
# pytest imports settings before any conftest runs, so this is the reliable signal.
TESTING = "pytest" in sys.modules


def env_secret(name: str, dev_default: str) -> str:
    value = os.environ.get(name, "")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when WANGGE_ENV=production")
    return dev_default


SECRET_KEY = env_secret("SECRET_KEY", "dev-only-insecure-key-wangge-do-not-use-in-production")
# Fernet key (urlsafe base64, 32 bytes) for resident ID numbers at rest; HMAC key for lookups.
PII_KEY = env_secret("PII_KEY", "ZGV2LW9ubHktcGlpLWtleS0zMi1ieXRlcy1sb25nISE=")
PII_HASH_KEY = env_secret("PII_HASH_KEY", "dev-only-pii-hash-key")

DEBUG = env_bool("DEBUG", not PRODUCTION)
# Demo users (documented logins) can sign in only while this is on.
DEMO_MODE = env_bool("DEMO_MODE", not PRODUCTION)
# Reverse proxies whose X-Real-IP names the client (wangge.core.proxy): nginx on the same node.
TRUSTED_PROXIES = [p for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p]
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "huey.contrib.djhuey",
    "axes",
    "auditlog",
    "simple_history",
    "wangge.core",
    "wangge.accounts",
    "wangge.grids",
    "wangge.notifications",
    "wangge.cases",
    "wangge.hotline",
    "wangge.open311",
    "wangge.residents",
    "wangge.patrols",
    "wangge.assistant",
    "wangge.ops",
    "wangge.notices",
    "wangge.mobile",
    "wangge.market",
    "wangge.circles",
    "wangge.points",
    "wangge.volunteering",
    "wangge.enterprises",
    "wangge.ledgers",
    "wangge.party",
    "wangge.rankings",
    "wangge.demo",
    "wangge.audit",
    "wangge.wechat",
    "wangge.consent",
    "wangge.moderation",
    "wangge.kitchen",
    "wangge.partners",
    "wangge.video",
]

MIDDLEWARE = [
    "wangge.core.proxy.RealClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the request: NUL, non-UTF-8 and broken bodies become a Chinese 4xx.
    "wangge.core.malformed.MalformedInputMiddleware",
    # A write keeps PostgreSQL's prepared plans, a read plans for its values (wangge.core.db).
    "wangge.core.db.PlansForTheRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, with its storage made only when a message is added or read.
    "wangge.core.messages.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Who and from where on the change log's rows (in place of auditlog's own middleware).
    "wangge.audit.middleware.AuditContextMiddleware",
    # Names the signed-in person on the history rows a page or API request writes.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Inside WeChat / 企业微信: through the app's authorisation once (wangge.wechat.middleware).
    "wangge.wechat.middleware.WechatSignInMiddleware",
    # A resident who agreed to an older 用户协议/隐私政策 is asked again (wangge.consent).
    "wangge.consent.middleware.ConsentRenewalMiddleware",
    # A domain error a page view let through: its 404/403/409/422 page, or {"detail": …}.
    "wangge.core.web.DomainErrorMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wangge.urls"
WSGI_APPLICATION = "wangge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "wangge" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wangge.core.context_processors.platform",
                "wangge.notifications.context_processors.unread",
                "wangge.nav.staff_nav",
                "wangge.mobile.context_processors.frame",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        # Empty (an `.env` line left blank) is unset, as for every other setting here.
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'wangge.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the in-process worker writes; IMMEDIATE makes a
        # write transaction take the lock at BEGIN, so two writers queue instead of deadlocking.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# A streaming replica for heavy reports (dashboards, KPIs): see wangge.core.db.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
elif TESTING:
    # A mirror of the test database, so a test can switch reports onto it and see the routing.
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
for _alias in DATABASES.values():
    if _alias["ENGINE"] == "django.db.backends.postgresql":
        # The same backend with a health check that asks the socket, not the server.
        _alias["ENGINE"] = "wangge.core.postgresql"
        _options = _alias.setdefault("OPTIONS", {})
        # Parameters travel beside the statement (psycopg 3's server-side binding) instead of
        # being quoted into its text by the client, which cost a tenth of an intake's CPU.
        # DB_SERVER_SIDE_BINDING=false goes back to client-side quoting.
        _options.setdefault(
            "server_side_binding", os.environ.get("DB_SERVER_SIDE_BINDING", "true") == "true"
        )
        # A statement a connection has run this many times is prepared on the server (psycopg
        # 3's prepare_threshold): parsed, analysed and planned once instead of on each run,
        # which was more than half of what PostgreSQL spent on an intake. Django leaves it off
        # for connection poolers in transaction mode, which cannot keep a prepared statement
        # between transactions; DB_PREPARE_THRESHOLD=off turns it off behind one.
        _prepare = os.environ.get("DB_PREPARE_THRESHOLD") or "5"
        _options.setdefault("prepare_threshold", None if _prepare == "off" else int(_prepare))
        # PostgreSQL compiles a statement to machine code (JIT) once its estimated cost passes a
        # bar that a query over a city's ten million cases reaches, and compiling then costs more
        # than the count on a list page it speeds up (docs/benchmarks). The pages' statements are
        # short and the heavy figures come from counters; DB_JIT=on leaves the choice to the
        # server's own setting.
        if os.environ.get("DB_JIT", "off") == "off":
            _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
        if _prepare != "off":
            # A prepared statement is planned for its values, not once for any: after five runs
            # PostgreSQL may keep a generic plan, and a generic plan cannot read a grid path's
            # LIKE prefix as an index range (a street's case list over ten million cases became
            # many times slower). The parse stays saved; the plan is made for each run. A write
            # request turns this to `auto` for its statements (wangge.core.db's middleware).
            _options["options"] = (
                f"{_options.get('options', '')} -c plan_cache_mode=force_custom_plan".strip()
            )
REPORT_REPLICA_ENABLED = bool(os.environ.get("DATABASE_REPLICA_URL"))
# Where locating and address candidates are computed (docs/maps.md): `memory` builds the indexes
# in every process; `database` asks PostGIS and pg_trgm, so a worker holds no polygon or
# building index (a city's would not fit in each worker).
GRID_ENGINE = os.environ.get("GRID_ENGINE") or "memory"
if GRID_ENGINE not in {"memory", "database"}:
    raise ImproperlyConfigured("GRID_ENGINE must be 'memory' or 'database'")
if GRID_ENGINE == "database" and DATABASES["default"]["ENGINE"] != "wangge.core.postgresql":
    raise ImproperlyConfigured("GRID_ENGINE=database needs PostgreSQL (DATABASE_URL=postgres://…)")
DATABASE_ROUTERS = ["wangge.core.db.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# History is read, never replayed: an old version restored from the admin would skip the
# checks of the services (import_grids for the tree, scopes for the registers).
SIMPLE_HISTORY_REVERT_DISABLED = True
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "wangge.accounts.backends.PhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the suite creates hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Five wrong passwords for one phone from one address lock that pair for 15 minutes; a whole
# courtyard behind one NAT address is not locked out by one person's mistakes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The login form posts the phone as "username" (AuthenticationForm), not as "phone".
AXES_USERNAME_FORM_FIELD = "username"
# What axes stores as the username is the masked phone plus a keyed hash, never the number
# (wangge.accounts.login_throttle); the handler does the same for sign-ins (AccessLog).
AXES_USERNAME_CALLABLE = "wangge.accounts.login_throttle.login_username"
AXES_HANDLER = "wangge.accounts.login_throttle.ProtectedLoginHandler"
# Posted values axes copies into post_data are masked for these names too.
AXES_SENSITIVE_PARAMETERS = ["username", "phone", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False

# One language, so no LocaleMiddleware: with nothing to choose between, it parsed each request's
# Accept-Language, activated zh-hans and wrote Content-Language and Vary headers on every
# request for nothing. Without an activation Django translates into LANGUAGE_CODE, and every
# page says lang="zh-Hans" itself.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "wangge" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "wangge" / "static"]
# Uploads (residents' photos, generated circulars) are never public: /media/<name> is a view
# (wangge.core.media) that asks the owning app whether the viewer may see the file. Local disk
# by default; MEDIA_STORAGE=s3 keeps them in S3-compatible object storage instead.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
# Local disk behind nginx: the view answers with this prefix + the name in X-Accel-Redirect and
# nginx sends the file from an `internal` location aliased to MEDIA_ROOT. Empty: Django streams.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
if MEDIA_ACCEL_REDIRECT and not MEDIA_ACCEL_REDIRECT.endswith("/"):
    MEDIA_ACCEL_REDIRECT += "/"
# S3: the view redirects to a presigned URL valid this many seconds.
S3_URL_EXPIRE = int(os.environ.get("S3_URL_EXPIRE", "300"))
if MEDIA_STORAGE == "local":
    _media_storage: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs the s3 extra: pip install 'wangge[s3]'")
    _missing = [
        n
        for n in ("S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")
        if not os.environ.get(n)
    ]
    if _missing:
        raise ImproperlyConfigured(f"MEDIA_STORAGE=s3 needs {', '.join(_missing)}")
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            # Empty: AWS itself. Browsers follow the presigned redirect here, so it must be an
            # address they can reach (阿里云 OSS, 腾讯云 COS, MinIO behind the same TLS name).
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ["S3_ACCESS_KEY_ID"],
            "secret_key": os.environ["S3_SECRET_ACCESS_KEY"],
            "region_name": os.environ.get("S3_REGION") or None,
            # path (MinIO and most self-hosted servers) or virtual (OSS requires it); empty: auto.
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            # Private objects, reachable only through short-lived signed URLs.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": S3_URL_EXPIRE,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "private, max-age=86400"},
        },
    }
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY: dict[str, object] = {
    "name": "wangge",
    "immediate": TESTING or env_bool("HUEY_IMMEDIATE", False),
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if REDIS_URL:
    # A job Redis cannot take is kept in the database until it can (wangge.core.redis_outage).
    HUEY.update({"huey_class": "wangge.core.redis_outage.SpoolingRedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
if REDIS_URL:
    # Answers as an empty cache while Redis is away, never an error (wangge.core.redis_outage);
    # a host that does not answer costs at most the connect timeout.
    CACHES = {
        "default": {
            "BACKEND": "wangge.core.redis_outage.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }

# Text messages: a dotted path to a backend class (wangge.notifications.sms). The console
# backend only logs (phones masked); production sets
# wangge.notifications.sms_tencent.TencentCloudBackend (the `sms` extra) and the values below.
SMS_BACKEND = os.environ.get("SMS_BACKEND") or (
    "wangge.notifications.sms.MemoryBackend"
    if TESTING
    else "wangge.notifications.sms.ConsoleBackend"
)
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")  # the approved 短信签名
# Approved template ids by kind: a notice with one value (the text), a code with one (the code).
SMS_TEMPLATES = {
    "notice": os.environ.get("SMS_TEMPLATE_NOTICE", ""),
    "code": os.environ.get("SMS_TEMPLATE_CODE", ""),
}
SMS_TENCENT_SECRET_ID = os.environ.get("SMS_TENCENT_SECRET_ID", "")
SMS_TENCENT_SECRET_KEY = os.environ.get("SMS_TENCENT_SECRET_KEY", "")
SMS_TENCENT_SDK_APP_ID = os.environ.get("SMS_TENCENT_SDK_APP_ID", "")
SMS_TENCENT_REGION = os.environ.get("SMS_TENCENT_REGION") or "ap-guangzhou"
# Empty: the provider's own host. A URL (http://127.0.0.1:8025) for a proxy or a test gateway.
SMS_TENCENT_ENDPOINT = os.environ.get("SMS_TENCENT_ENDPOINT", "")
SMS_TIMEOUT_SECONDS = int(os.environ.get("SMS_TIMEOUT_SECONDS") or "10")

# Photos are cleaned (decoded, stripped of EXIF, re-encoded) by the job worker, not on the
# request's thread, so reports with many large photos do not hold up everyone else's requests
# (core.images). The tests, whose job queue runs in the caller, clean in the request.
PHOTOS_CLEANED_BY_JOB = env_bool("PHOTOS_CLEANED_BY_JOB", not TESTING)
# A photo still waiting this long (its job never queued, or lost) is queued again by the sweep.
PHOTO_PENDING_RESCUE_SECONDS = int(os.environ.get("PHOTO_PENDING_RESCUE_SECONDS") or "600")

# How long the staff outbox waits for an answer before keeping the item for the next attempt
# (a phone "online" in a lift): long enough for a photo on a weak uplink.
OUTBOX_SEND_TIMEOUT_SECONDS = int(os.environ.get("OUTBOX_SEND_TIMEOUT_SECONDS") or "20")

# The TrueType CJK font embedded in PDFs. Empty: Debian's fonts-arphic-uming (serif, as 公文 are
# set), else fonts-wqy-microhei, where installed (core.pdf lists the places looked at), else a
# font the PDF viewer supplies.
PDF_FONT_PATH = os.environ.get("PDF_FONT_PATH", "")

# Optional base-map tiles (天地图, 高德, a self-hosted server): a Leaflet URL template with {z},
# {x}, {y} and optionally {s}. Empty: the base is drawn from our own data (grids, roads,
# buildings), nothing external; also whenever the tiles do not answer.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
# 天地图's vector tiles (vec_w) carry no names: its annotation layer (cva_w) goes over them.
MAP_TILE_LABEL_URL = os.environ.get("MAP_TILE_LABEL_URL", "")
# What {s} takes turns at, comma-separated: 0–7 for 天地图's t0…t7, 1–4 for 高德's webrd01…04.
MAP_TILE_SUBDOMAINS = [
    s.strip() for s in os.environ.get("MAP_TILE_SUBDOMAINS", "").split(",") if s.strip()
]
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
MAP_TILE_MAX_ZOOM = int(os.environ.get("MAP_TILE_MAX_ZOOM") or "18")
# No tile drawn this long after the map asked: the tile server is taken as down, and the page
# draws our own base instead of a grey box.
MAP_TILE_TIMEOUT_SECONDS = float(os.environ.get("MAP_TILE_TIMEOUT_SECONDS") or "4")
# The coordinate system of those tiles: "gcj02" for 高德/腾讯 (the pages shift our WGS-84 data onto
# them and send pins back marked as GCJ-02), "wgs84" for 天地图 and OpenStreetMap.
MAP_TILE_CRS = os.environ.get("MAP_TILE_CRS", "wgs84")
if MAP_TILE_CRS not in ("wgs84", "gcj02"):
    raise ImproperlyConfigured("MAP_TILE_CRS must be wgs84 or gcj02")

# The 公文 frame of circulars and assessments: who issues them (发文单位, also the 落款) and
# their 文号, filled in with {unit} (the street's or district's name), {year} and {seq} (the
# unit's documents of the year, in order). An empty variable means the default.
CIRCULAR_ISSUER = os.environ.get("CIRCULAR_ISSUER") or "{unit}城市运行管理中心"
CIRCULAR_NUMBER = os.environ.get("CIRCULAR_NUMBER") or "{unit}城运通〔{year}〕{seq}号"

# 12345 回传: where results (受理, 办结, 退单, 结案, 延期申请, 阶段性回复, 退回平台) are POSTed,
# signed with an HMAC-SHA256 of the body. Empty URL: nothing is sent; each result is still
# recorded, as "disabled". docs/hotline.md lists every message.
HOTLINE_CALLBACK_URL = os.environ.get("HOTLINE_CALLBACK_URL", "")
HOTLINE_CALLBACK_SECRET = os.environ.get("HOTLINE_CALLBACK_SECRET", "")
if HOTLINE_CALLBACK_URL and not HOTLINE_CALLBACK_SECRET:
    raise ImproperlyConfigured("HOTLINE_CALLBACK_SECRET must be set when HOTLINE_CALLBACK_URL is")
# The platform's orders and messages to /api/v1/hotline/: with a secret set, each body must be
# signed the same way (X-Wangge-Signature), besides the API token. Empty: the token alone.
HOTLINE_INBOUND_SECRET = os.environ.get("HOTLINE_INBOUND_SECRET", "")

# 鹰眼 (wangge.video, docs/video.md): the key the video platform signs its AI events with
# (none: every event is refused), how far its timestamp may be from ours, the largest snapshot,
# how long a camera counts as online after its last event or probe, and the probe's patience.
VIDEO_PLATFORM_SECRET = os.environ.get("VIDEO_PLATFORM_SECRET", "")
VIDEO_SIGNATURE_MAX_AGE = int(os.environ.get("VIDEO_SIGNATURE_MAX_AGE", "300"))
VIDEO_SNAPSHOT_MAX_BYTES = int(os.environ.get("VIDEO_SNAPSHOT_MAX_BYTES", str(1024 * 1024)))
VIDEO_ONLINE_MINUTES = int(os.environ.get("VIDEO_ONLINE_MINUTES", "10"))
VIDEO_PROBE_TIMEOUT = float(os.environ.get("VIDEO_PROBE_TIMEOUT", "3"))

# WeChat (微信): the 原点在线 mini-program's and the 公众号's app ids and secrets, and 企业微信 for
# staff messages. Empty: that channel is off (nothing is sent, sign-in answers 503). The API
# bases let a district's own gateway, or the tests' stand-in, answer in WeChat's place.
WECHAT_MINI_APPID = os.environ.get("WECHAT_MINI_APPID", "")
WECHAT_MINI_SECRET = os.environ.get("WECHAT_MINI_SECRET", "")
WECHAT_MP_APPID = os.environ.get("WECHAT_MP_APPID", "")
WECHAT_MP_SECRET = os.environ.get("WECHAT_MP_SECRET", "")
WECOM_CORPID = os.environ.get("WECOM_CORPID", "")
WECOM_AGENTID = os.environ.get("WECOM_AGENTID", "")
WECOM_SECRET = os.environ.get("WECOM_SECRET", "")
# 企业微信 客户联系's own secret: grid notices to the residents' customer groups (企业群发).
WECOM_CONTACT_SECRET = os.environ.get("WECOM_CONTACT_SECRET", "")
WECHAT_API_BASE = (os.environ.get("WECHAT_API_BASE") or "https://api.weixin.qq.com").rstrip("/")
WECOM_API_BASE = (os.environ.get("WECOM_API_BASE") or "https://qyapi.weixin.qq.com").rstrip("/")
# Subscription-message template ids per event (accepted, resolved, rate, notice), as JSON; the
# admin may override each (微信订阅消息模板).
WECHAT_SUBSCRIBE_TEMPLATES = os.environ.get("WECHAT_SUBSCRIBE_TEMPLATES", "")
# The site's own address, for the links a message opens (企业微信's card, a subscription
# message's web page): https://wangge.example.gov.cn
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
WECHAT_TIMEOUT_SECONDS = float(os.environ.get("WECHAT_TIMEOUT_SECONDS") or "5")
# The token of the mini-program's 消息推送 (开发设置): WeChat signs each push with it, and the
# verdicts of photo checks come that way. Unset, every push is refused.
WECHAT_PUSH_TOKEN = os.environ.get("WECHAT_PUSH_TOKEN", "")
# Where group robots' webhooks are posted (企业微信's address; a stand-in in tests).
_WEBHOOK_BASE = os.environ.get("WECOM_WEBHOOK_BASE") or "https://qyapi.weixin.qq.com"
WECOM_WEBHOOK_BASE = _WEBHOOK_BASE.rstrip("/")
# How long the "已受理" message waits for the resident's subscription answer, which the
# mini-program sends just after the report, before it falls back.
WECHAT_GRANT_WAIT_SECONDS = int(os.environ.get("WECHAT_GRANT_WAIT_SECONDS") or "180")
# The check files WeChat and 企业微信 ask a site to serve at its root (业务域名, JS 接口安全域名,
# 可信域名), as JSON of file name → content: {"MP_verify_abc.txt": "abc"}.
WECHAT_DOMAIN_CHECK_FILES: dict[str, str] = json.loads(
    os.environ.get("WECHAT_DOMAIN_CHECK_FILES") or "{}"
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The header only consents to preloading; submitting the domain is a separate, manual step.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Build the locate/address indexes, the category model and 小原's index when the application
# loads (wangge.core.warmup), not on the first request. Off under pytest, where the test
# database does not exist yet when modules are imported.
WARM_START = env_bool("WARM_START", not TESTING)

LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "plain")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
_LIBRARY_LOG_LEVEL = LOG_LEVEL if LOG_LEVEL in ("WARNING", "ERROR", "CRITICAL") else "INFO"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "wangge.core.logging.RedactPersonalData"},
        "client_errors_at_info": {"()": "wangge.core.logging.ClientErrorsAtInfo"},
        "no_library_debug": {"()": "wangge.core.logging.NoLibraryDebug"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "wangge.core.logging.JsonFormatter"},
        # runserver's access line, as Django formats it by default.
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT if LOG_FORMAT in ("plain", "json") else "plain",
            "filters": ["no_library_debug", "redact"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact"],
        },
    },
    # LOG_LEVEL=DEBUG opens wangge's own debug lines; libraries stay at INFO (their DEBUG
    # lines carry SQL with values, request bodies and URLs with keys).
    "root": {"handlers": ["console"], "level": _LIBRARY_LOG_LEVEL},
    "loggers": {
        "wangge": {"level": LOG_LEVEL},
        # The worker (run_huey) gives the huey logger a handler of its own unless it has one,
        # and the line then also reached the root's: every line twice.
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "jieba": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # httpx logs every request's URL at INFO: WeChat's carry the app secret, the access
        # token and the login code in the query string (wangge.wechat.client).
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # Django's own loggers do not pass through the root handler (django.server) or also go
        # to Django's handlers (django.request): redact on the logger, before any handler, so
        # `?api_key=`, Authorization values and phones never reach them.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact"],
        },
        "django.request": {"filters": ["redact", "client_errors_at_info"]},
    },
}

# Rate limits (django-ratelimit's counters in the default cache: Redis in production, so every
# web node shares them; local memory otherwise). "<count>/<s|m|h|d>", per signed-in user, per
# address for anyone else; an empty value switches that limit off. Off by default under pytest,
# where one resident files hundreds of reports; tests that check a limit switch it on.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", not TESTING)
# A Redis outage must not stop residents from reporting: let requests through uncounted.
RATELIMIT_FAIL_OPEN = True
RATE_LIMITS = {
    # Residents' reports (有事找支部, 随手拍, the app, Open311 clients): generous for a person,
    # tight for a script.
    "case_intake": os.environ.get("RATE_LIMIT_CASE_INTAKE", "20/h"),
    # 小原帮办 questions: a conversation is a few questions a minute.
    "assistant_ask": os.environ.get("RATE_LIMIT_ASSISTANT_ASK", "30/m"),
    # Signing in from the mini-program (小程序登录 and 绑定手机号), per address: 600 an hour by
    # default, so a hall of 100 residents at a training, or a 4G carrier's shared address, all
    # get in (at least 200 an hour must pass); the two limits below stop a brute force.
    "wechat_login": os.environ.get("RATE_LIMIT_WECHAT_LOGIN", "600/h"),
    # … per WeChat identity (a wx.login code, then its openid): a person opens it a few times.
    "wechat_login_identity": os.environ.get("RATE_LIMIT_WECHAT_LOGIN_IDENTITY", "20/h"),
    # … per phone a WeChat is bound to: a few tries with text-message codes.
    "wechat_login_phone": os.environ.get("RATE_LIMIT_WECHAT_LOGIN_PHONE", "10/h"),
}
# Text-message codes asked from one address in an hour (each phone has its own limits: one a
# minute, ten a day). A hall of 100 residents binding their phones at a training, or a 4G
# carrier's shared address, asks for a hundred or more; a script sending codes to many phones
# is stopped here, and every code costs the district a message.
SMS_CODES_PER_ADDRESS_HOURLY = int(os.environ.get("SMS_CODES_PER_ADDRESS_HOURLY", "200"))
# 小原帮办's sentence encoder beside its words (wangge.assistant.retrieval.dense): "auto" takes
# the first installed (the `dense` extra), "none" answers by words alone. Off under pytest,
# where the lexical tests would otherwise pay for encoding; the dense tests switch it on.
ASSISTANT_ENCODER = os.environ.get("ASSISTANT_ENCODER") or ("none" if TESTING else "auto")
# A district's own chat model (wangge.assistant.district; off unless both are set): the base
# URL of an OpenAI-compatible endpoint (…/v1) and the model's name; the key is sent as a bearer
# token when set. The model judges the offline ranking's first five items; past the timeout
# (seconds, the whole call) or on any error the offline decision stands.
ASSISTANT_MODEL_URL = os.environ.get("ASSISTANT_MODEL_URL", "")
ASSISTANT_MODEL_KEY = os.environ.get("ASSISTANT_MODEL_KEY", "")
ASSISTANT_CHAT_MODEL = os.environ.get("ASSISTANT_CHAT_MODEL", "")
ASSISTANT_MODEL_TIMEOUT = float(os.environ.get("ASSISTANT_MODEL_TIMEOUT") or "2.5")
# A district's own embedding model on the same endpoint (wangge.assistant.embeddings; off
# unless set): 小原 ranks by it when every item has its vectors and bars, and falls back to the
# packaged encoder on any error or past the timeout. Asymmetric models served without
# `input_type` support want their prefixes here (e5: "query: " / "passage: ").
ASSISTANT_EMBEDDING_MODEL = os.environ.get("ASSISTANT_EMBEDDING_MODEL", "")
ASSISTANT_EMBEDDING_QUERY_PREFIX = os.environ.get("ASSISTANT_EMBEDDING_QUERY_PREFIX", "")
ASSISTANT_EMBEDDING_PASSAGE_PREFIX = os.environ.get("ASSISTANT_EMBEDDING_PASSAGE_PREFIX", "")
# With an encoder, a question nearer the reports of problems in
# wangge/assistant/data/complaint_examples.txt than to any item and to the questions in
# service_question_examples.txt, by this much cosine, is handed to a person as a complaint
# (wangge.assistant.retrieval.examples). 0.025 lost no answerable question on any development
# base and caught most of their complaints (docs/benchmarks.md); above 1, never.
ASSISTANT_COMPLAINT_MARGIN = float(os.environ.get("ASSISTANT_COMPLAINT_MARGIN") or "0.025")
# The category model sets a case's category itself only above the probability at which its
# picks on held-out history were in a wrong family at most this share of the time; below it
# the desk chooses from its three suggestions (cases/learning.py, docs/categories.md).
CLASSIFIER_PICK_ERROR = float(os.environ.get("CLASSIFIER_PICK_ERROR") or "0.03")
# Before a district has history, the catalogue's keywords and examples file a text by
# themselves only up to this many characters: what residents type into a report (the shipped
# examples are at most 63), not a call record or a 问政 message (median 210).
CATALOGUE_PICK_MAX_CHARS = int(os.environ.get("CATALOGUE_PICK_MAX_CHARS") or "100")
# How far around a landmark "…对面 / 旁边 / 隔壁" the buildings offered as the place meant lie:
# across a road and a few doors along, not the next neighbourhood (grids.resolving).
ADDRESS_NEAR_LANDMARK_M = float(os.environ.get("ADDRESS_NEAR_LANDMARK_M") or "300")
# "…旁边 / 对面 / 门口" is placed in a micro-grid only when every point this close to the
# landmark lies in that one grid: which side is meant is not said (grids.places_geo).
ADDRESS_NEAR_RADIUS_M = float(os.environ.get("ADDRESS_NEAR_RADIUS_M") or "50")
# 认证率 counts registered residents of this age or more (民法典: 十八周岁以上为成年人).
REACH_ADULT_AGE = int(os.environ.get("REACH_ADULT_AGE") or "18")
# 红色厨房 enrols residents of this age or more who are in one of these special groups (a
# district's own 助餐 rules may differ: both are settings, not code).
# The account 活力值 budgets are issued from; empty: named after the imported tree's top.
POINTS_SOURCE_NAME = os.environ.get("POINTS_SOURCE_NAME", "")
# The 10-minute 党群服务圈: a household is reached within this many metres of a 党群服务中心 or
# 网格家园 (ops.circle), walked along the imported roads ("road", where the area has any) or in
# a straight line ("straight").
SERVICE_CIRCLE_M = float(os.environ.get("SERVICE_CIRCLE_M") or "800")
SERVICE_CIRCLE_WALK = os.environ.get("SERVICE_CIRCLE_WALK") or "road"
KITCHEN_MIN_AGE = int(os.environ.get("KITCHEN_MIN_AGE") or "60")
KITCHEN_GROUPS = tuple(
    (os.environ.get("KITCHEN_GROUPS") or "empty_nest,living_alone,disabled").split(",")
)
# A report whose address names a building farther than this from its pin (or in another
# micro-grid) is routed by the pin and shows the place at the pin (cases.routing).
CASE_PIN_ADDRESS_TOLERANCE_M = float(os.environ.get("CASE_PIN_ADDRESS_TOLERANCE_M", "100"))
# A refused CSRF check in Chinese (JSON {"detail": …} under /api/ and /open311/).
CSRF_FAILURE_VIEW = "wangge.core.views.csrf_failure"
