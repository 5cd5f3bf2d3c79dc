"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py 'app:create_app()'`.

Sync workers, one per core: a PDF render holds one core for ~0.1-0.2 s, and processes (not threads) are what
scale WeasyPrint. Every setting can be overridden with the environment variable named beside it.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
# Sync workers only: a threaded worker rendering two PDFs at once corrupted memory in pango/GLib here
# ("corrupted double-linked list"), so one render per process at a time.
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # a PDF at the page cap renders well inside this
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so any slow growth in a long-lived process (fonts, caches) is returned.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Build the app once, in the master, and fork workers from it. Building it takes about 0.7 s of CPU (imports, the
# questionnaire catalogue); without preloading every recycled worker paid that again, which at full load was about
# half of all CPU time (the bare route served 1,900 requests a second with it, 3,850 without). GUNICORN_PRELOAD=false
# turns it off, e.g. to pick up new code on a HUP without a full restart.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").strip().lower() not in ("0", "false", "no")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
# Request paths carry the private tokens of results, drafts and teams: both logs go through a logger that writes
# every token as "[token]" (assess/logs.py), so reading the logs opens nothing.
logger_class = "assess.logs.GunicornLogger"
# Addresses whose X-Forwarded-Proto and SCRIPT_NAME-style headers gunicorn believes: none unless configured (a
# comma-separated list, "*" for any). gunicorn's own default trusts loopback, so anything on the machine could set
# the app's scheme and script root. Behind a reverse proxy the app itself reads X-Forwarded-For and -Proto from the
# number of proxies in FLASK_TRUSTED_PROXIES (werkzeug's ProxyFix), which needs nothing from gunicorn.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")
# gunicorn 25.1 and later open a control socket for `gunicornc` (add or remove workers, reload, shut down) at
# $XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl. The service user has no home it may write to, and the
# two app servers of a release would share one path, each replacing the other's socket: off unless
# GUNICORN_CONTROL_SOCKET names a path of the server's own (e.g. /run/escape-velocity/1.ctl).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip() or None
control_socket_disable = control_socket is None


def when_ready(server):  # type: ignore[no-untyped-def]
    """With the app preloaded, warm it in the master too (templates compiled, WeasyPrint imported, the heap
    frozen: `assess.web.warm`), so each worker is born ready."""
    if server.cfg.preload_app:
        from assess.web import warm

        warm(server.app.wsgi())


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """A forked worker must not share database connections with the master or its siblings: drop any pooled
    connection it inherited (the master opens none; this keeps it so if that ever changes)."""
    if server.cfg.preload_app:
        from assess.extensions import db

        with server.app.wsgi().app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
