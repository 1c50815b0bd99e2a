"""gunicorn settings for production: `gunicorn -c python:wangge.gunicorn_conf wangge.wsgi`.

The layout measured in docs/benchmarks.md: one worker per core, two threads each, every worker
on a socket of its own (`reuse_port`). Each value can be changed from the environment the
systemd unit reads (deploy/wangge-web.service).
"""

import gc
import os
from typing import Any


def _env(name: str, default: str) -> str:
    # An empty line copied from .env.example means the default, not an error.
    return os.environ.get(name) or default


bind = _env("WEB_BIND", "127.0.0.1:8000")
workers = int(_env("WEB_WORKERS", str(os.cpu_count() or 2)))
threads = int(_env("WEB_THREADS", "2"))
# gunicorn's gthread worker, closing a connection whose request body the application left
# unread (saying so) and refusing over-long request lines and headers in Chinese.
worker_class = "wangge.core.gunicorn_worker.ThreadWorker"
# The kernel spreads new connections across the workers' own sockets (docs/deploy.md).
reuse_port = True
# Longer than nginx's idle time for its upstream connections (60 s in deploy/nginx.conf).
keepalive = int(_env("WEB_KEEPALIVE", "75"))
timeout = int(_env("WEB_TIMEOUT", "120"))
graceful_timeout = 30

# Load the application once in the master: its indexes are built before the first worker
# forks (wangge.core.warmup), so every worker, including one that replaces a crashed worker,
# takes its first request warm, and the workers share those pages of memory.
preload_app = True

# gunicorn 27's control socket (gunicornc) is not used: nothing to open in the service's home.
control_socket_disable = True

# None by default: the node sits behind nginx (docs/deploy.md), whose access log has every
# request with the client's own address and the application's time ($upstream_response_time).
# A second line per request from gunicorn said nothing new and cost every request about a
# twentieth of its CPU (formatting, redacting, writing to the journal). WEB_ACCESS_LOG="-"
# (stderr) or a path writes it, for a node without nginx in front.
_access_log = _env("WEB_ACCESS_LOG", "off")
accesslog = None if _access_log.lower() == "off" else _access_log
# Tokens (Open311's api_key in the query string, Authorization headers) never reach the log.
logger_class = "wangge.core.logging.RedactingGunicornLogger"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def pre_fork(server: Any, worker: Any) -> None:
    # What the master built stays shared with the workers: without this, the first garbage
    # collection in a worker touches every object and copies its page.
    gc.freeze()
