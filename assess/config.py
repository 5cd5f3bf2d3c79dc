"""Configuration: defaults, then FLASK_-prefixed environment variables, then DATABASE_URL, then test config.

DATABASE_URL is any SQLAlchemy URL; SQLite (the default) and PostgreSQL are the two the tests prove. A PostgreSQL
URL may be written `postgresql+psycopg://`, or in the shorter `postgresql://` and `postgres://` forms that hosting
platforms and libpq tools hand out: both are read as psycopg 3, the driver installed (see `database_uri`).
"""

from __future__ import annotations

import os
from typing import Any

import click
from flask import Flask

DEFAULTS: dict[str, Any] = {
    "DRAFT_DAYS": 30,  # drafts (unfinished questionnaires) are deleted this many days after their last save
    "MAX_CONTENT_LENGTH": 256 * 1024,  # no legitimate form or API body comes near this
    "LABEL_MAX": 120,  # characters in the assessment's label
    "NOTE_MAX": 1000,  # characters in one section note
    "WTF_CSRF_TIME_LIMIT": None,  # a wizard page may stay open for hours; the token is tied to the session
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # also Secure whenever a request arrives over HTTPS (assess.web.security)
    "TRUSTED_PROXIES": 0,  # reverse proxies in front of the app whose X-Forwarded-* headers to trust
    "PDF_CACHE_DAYS": 30,  # kept PDFs older than this are dropped (and rendered again if asked for)
    "PDF_CACHE_MAX_MB": 512,  # the kept PDFs' total size; the oldest go first beyond it
    "TEAM_FLAG_SHARE": 0.3,  # a team report lists flags raised by at least this share of respondents
}

LABEL_LENGTH = 200
"""The longest label or team name the database holds (assess.store's column): a varchar, which PostgreSQL refuses
to overfill, so LABEL_MAX may not exceed it."""

WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development"}


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration; the message says how to fix it."""


def configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, the environment and the test config, then check it."""
    app.config.from_mapping(DEFAULTS)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "escape-velocity.sqlite3")
    app.config.from_prefixed_env()  # FLASK_SECRET_KEY -> SECRET_KEY, FLASK_DRAFT_DAYS -> DRAFT_DAYS, ...
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A server database's connections can drop (restarts, idle timeouts): test each one as it leaves the pool.
        # SQLite's are files, never dropped, so they skip the extra round trip on every request.
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {}).setdefault("pool_pre_ping", True)
    hosts = app.config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):  # FLASK_TRUSTED_HOSTS="example.org, .example.org" (JSON lists are parsed already)
        app.config["TRUSTED_HOSTS"] = [host.strip() for host in hosts.split(",") if host.strip()] or None
    _check_secret(app)
    _check_limits(app)


def database_uri(url: str) -> str:
    """The database URL with a PostgreSQL scheme pointed at psycopg 3.

    SQLAlchemy reads a bare `postgresql://` as psycopg2, which is not installed, and refuses `postgres://` (the
    form Heroku-style platforms put in DATABASE_URL) outright; both mean psycopg 3 here. Other URLs, and
    PostgreSQL URLs that name a driver, pass through unchanged.
    """
    scheme, separator, rest = url.partition("://")
    if separator and scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return url


def serving() -> bool:
    """True unless the app was loaded for a `flask` command other than `run` (migrations, assess, ...)."""
    ctx = click.get_current_context(silent=True)
    return ctx is None or ctx.info_name == "run"


def _check_limits(app: Flask) -> None:
    """The free-text limits must be whole numbers the database can hold: a label longer than its column passed
    the form and then failed the request with a 500 on PostgreSQL."""
    for name, most in (("LABEL_MAX", LABEL_LENGTH), ("NOTE_MAX", 100_000)):
        value = app.config[name]
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
            raise ConfigurationError(f"FLASK_{name} must be a whole number of characters, not {value!r}.")
        number = int(value)
        if not 1 <= number <= most:
            raise ConfigurationError(f"FLASK_{name} must be between 1 and {most:,} characters, not {number:,}.")
        app.config[name] = number


def _check_secret(app: Flask) -> None:
    secret = app.config.get("SECRET_KEY") or ""
    if app.debug or app.testing or not serving():
        return
    if str(secret) in WEAK_SECRETS or len(str(secret)) < 16:
        raise ConfigurationError(
            "Escape Velocity needs a real secret key to serve requests. Set FLASK_SECRET_KEY to a long random "
            "value, for example:\n"
            "  export FLASK_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
