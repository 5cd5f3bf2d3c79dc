"""Abuse limits: rate limits on submitting, PDF rendering and the API (Flask-Limiter).

In memory by default; shared through Redis when REDIS_URL is set, so several app servers count together. Each
limit answers 429 with a message saying what the limit is and what to do (see errors.py).

Redis down is no outage: Flask-Limiter's in-memory fallback counts in each process while Redis cannot be reached
(each server then allows its own share), logs "Rate limit storage unreachable - falling back to in-memory storage"
once, and goes back to Redis when it answers again ("Rate limit storage recovered").
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

SUBMIT = ("RATELIMIT_SUBMIT", "20 per minute; 300 per hour")
SAVE = ("RATELIMIT_SAVE", "120 per minute")
PDF = ("RATELIMIT_PDF", "15 per minute")
API = ("RATELIMIT_API", "120 per minute")
WRITES = ("RATELIMIT_WRITES", "40 per minute; 400 per hour")
"""One budget per client address across every state-changing request (POST, PUT, PATCH, DELETE on any endpoint),
on top of each endpoint's own limit: without it 20 creates, 20 imports and 20 teams a minute were all accepted."""
WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]

STATE_CHANGING = frozenset(WRITE_METHODS)
"""Every rule answering one of these methods must declare its own limit (`limit`), besides the write budget:
`init_app` refuses to start the app otherwise."""

Kind = tuple[str, str]
View = TypeVar("View", bound=Callable[..., Any])


def limit(kind: Kind, methods: list[str] | None = None) -> Callable[[View], View]:
    """Declare a view's rate limit, beside its route: `@limit(SUBMIT)` under `@bp.post(...)`.

    `kind` is one of SUBMIT, SAVE, PDF, API (its config key and default); `methods` the methods it counts (all
    of the view's by default). Only marks the view; `init_app` puts the limits on when the app is built.
    """

    def mark(view: View) -> View:
        view.rate_limit = (kind, methods)  # type: ignore[attr-defined]
        return view

    return mark


MESSAGE = (
    "Too many requests from your address: the limit here is {limit}. Wait a little and try again; "
    "nothing you have saved is lost."
)
WRITE_MESSAGE = (
    "Too many requests from your address: the limit on saving, sending and deleting across the whole site is "
    "{limit}. Wait a little and try again; nothing you have saved is lost."
)


def init_app(app: Flask) -> None:
    """Give this app its own limiter and put the limits on its endpoints (after the blueprints are registered)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", os.environ.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    # Redis unreachable: count in this process instead of failing the request; short timeouts so a Redis that
    # does not answer at all costs a request two seconds once, not a hung worker.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 2, "socket_timeout": 2})
    _log_to_stderr(logging.getLogger("flask-limiter"))
    for key, default in (SUBMIT, SAVE, PDF, API, WRITES):
        app.config.setdefault(key, default)
    # One limiter per app (not a module global), so apps built side by side (tests, workers) never share state.
    limiter = Limiter(get_remote_address)
    limiter.init_app(app)
    app.extensions["escape_velocity_limiter"] = limiter
    limited: set[str] = set()
    for endpoint, view in list(app.view_functions.items()):
        declared = getattr(view, "rate_limit", None)
        if declared is None:
            continue
        (key, _), methods = declared
        spec = app.config[key]
        decorate = limiter.limit(spec, methods=methods, error_message=MESSAGE.format(limit=spec))
        app.view_functions[endpoint] = decorate(view)  # type: ignore[assignment]  # same view, limit-checked
        limited.add(endpoint)
    if "api" in app.blueprints:
        spec = app.config[API[0]]
        limit_blueprint = limiter.limit(spec, error_message=MESSAGE.format(limit=spec))
        limit_blueprint(app.blueprints["api"])  # type: ignore[call-overload]  # a registered Blueprint
        limited.update(endpoint for endpoint in app.view_functions if endpoint.startswith("api."))
    _limit_writes(app, limiter)
    app.extensions["escape_velocity_limited"] = frozenset(limited)
    unlimited = sorted(
        f"{sorted(STATE_CHANGING & (rule.methods or set()))} {rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if STATE_CHANGING & (rule.methods or set()) and rule.endpoint not in limited
    )
    if unlimited:
        raise RuntimeError(
            "These routes change state but have no rate limit; declare one with @limits.limit(...): "
            + "; ".join(unlimited)
        )


def limited_endpoints(app: Flask) -> frozenset[str]:
    """The endpoints this app rate-limits (the views marked with `limit`, and every API endpoint)."""
    found: frozenset[str] = app.extensions["escape_velocity_limited"]
    return found


def _limit_writes(app: Flask, limiter: Limiter) -> None:
    """Put the one write budget (Flask-Limiter's shared limit: one counter, scope "writes", per address) on every
    endpoint that takes a state-changing method, counting those methods only. Endpoints are found in the URL map,
    so a new form or API call is covered without being listed."""
    spec = app.config[WRITES[0]]
    budget = limiter.shared_limit(
        spec,
        scope="writes",
        methods=WRITE_METHODS,
        override_defaults=False,  # in addition to the endpoint's own and the API's limits
        error_message=WRITE_MESSAGE.format(limit=spec),
    )
    writing = {rule.endpoint for rule in app.url_map.iter_rules() if set(WRITE_METHODS) & (rule.methods or set())}
    for endpoint in sorted(writing):
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = budget(view)  # type: ignore[assignment]  # same view, limit-checked


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a line is logged (as logging's own last-resort handler does)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: object) -> None:
        pass


def _log_to_stderr(logger: logging.Logger) -> None:
    """Flask-Limiter logs the switch to its fallback (and back) on its own logger, which has only a NullHandler:
    without a handler of ours the line would be dropped. It goes to stderr, the server's error log."""
    if not any(isinstance(handler, _StderrHandler) for handler in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
