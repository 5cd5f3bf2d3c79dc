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
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
