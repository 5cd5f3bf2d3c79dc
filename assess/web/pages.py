"""The landing page and the page that explains how scoring works."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from assess import jobs
from assess.extensions import db

from .lookup import catalog

bp = Blueprint("pages", __name__)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Path:
    """One of the three ways in, in plain words."""

    slug: str
    who: str
    produces: str
    minutes: int
    action: str


PATHS = (
    Path(
        "employer-readiness",
        "I'm interviewing for a social media role",
        "the employer's readiness with red flags, the questions to ask in your interview, and a check of your pitch",
        12,  # benchmarks/reading_time.py: the words on every page at a careful reading speed
        "check an employer",
    ),
    Path(
        "role-audit",
        "I'm a social media strategist now",
        "which career path your role is on, your exposure to the six challenges, and an action plan",
        8,
        "audit my role",
    ),
    Path(
        "org-readiness",
        "I'm hiring a social media strategist",
        "your organisation's readiness, what candidates will probe, and what to fix before you hire",
        11,
        "test my organisation",
    ),
)


@bp.get("/")
def landing() -> str:
    """The three paths, what each produces, and how privacy works."""
    return render_template("landing.html", questionnaires=catalog().questionnaires, paths=PATHS)


@bp.get("/healthz")
def health() -> tuple[str, int, dict[str, str]]:
    """A bare liveness check for load balancers (and the load benchmark's reference route)."""
    return "ok", 200, {"Content-Type": "text/plain"}


def _database() -> str:
    # A connection of its own, returned to the pool inside the check: a database going away between the query and
    # the request's end must fail the check, not the session's teardown (which answered 500 in a restart).
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return "ok"


def _redis() -> str:
    jobs.connection().ping()
    return "ok"


def _rate_limit_storage() -> str:
    if not current_app.extensions["escape_velocity_limiter"].storage.check():
        raise ConnectionError("the rate-limit storage did not answer (limits are counted per process meanwhile)")
    return "ok"


def _worker() -> str:
    count = jobs.live_workers()
    if not count:
        raise LookupError(f"no live worker on the queue {jobs.QUEUE!r}: team PDFs and exports wait")
    return f"{count} live"


@bp.get("/readyz")
def ready() -> ResponseReturnValue:
    """Readiness: the database answers a round trip; with REDIS_URL, Redis answers and a worker is alive; with a
    separate rate-limit store, it answers. 200 when all pass, 503 otherwise, with JSON naming each check and what
    failed. For monitoring and deploys; a load balancer's health check wants /healthz (the app keeps serving
    with Redis down or no worker)."""
    checks: dict[str, Callable[[], str]] = {"database": _database}
    if jobs.queue_enabled():
        checks["redis"] = _redis
        checks["worker"] = _worker
    storage = str(current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if not storage.startswith("memory://") and storage != current_app.config.get("REDIS_URL"):
        checks["rate_limit_storage"] = _rate_limit_storage
    results: dict[str, str] = {}
    failed: list[str] = []
    for name, check in checks.items():
        try:
            results[name] = check()
        except (SQLAlchemyError, RedisError, OSError, LookupError) as exc:
            failed.append(name)
            results[name] = f"failed: {_reason(exc)}"
            log.warning("readiness: %s failed: %s", name, _reason(exc))
    body = {"status": "not ready" if failed else "ready", "failed": failed, "checks": results}
    return jsonify(body), 503 if failed else 200, {"Cache-Control": "no-store"}


def _reason(exc: BaseException) -> str:
    """The first line of an error, short enough for a status page (no statement, no traceback)."""
    original = getattr(exc, "orig", None)  # a DBAPI error SQLAlchemy wrapped, whose message has no statement
    if isinstance(original, BaseException):
        exc = original
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return line[:200]


@bp.get("/how-scoring-works")
def method() -> str:
    """How scores, confidence, flags and bands are computed, with every criterion and source."""
    cat = catalog()
    return render_template("method.html", criteria=cat.criteria, figures=cat.figures, questionnaires=cat.questionnaires)
