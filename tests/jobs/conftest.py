"""Fixtures for the job queue tests: the app with REDIS_URL on the session's private Redis, and RQ's worker run
in this process."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess import jobs
from tests.conftest import dispose, make_app


@pytest.fixture
def queued_app(sqlite_url: str, redis_url: str) -> Iterator[Flask]:
    """The app with its job queue on: REDIS_URL points at the session's private Redis (emptied for the test)."""
    app = make_app(sqlite_url, REDIS_URL=redis_url)
    yield app
    dispose(app)


@pytest.fixture
def queued_db_app(database_url: str, redis_url: str) -> Iterator[Flask]:
    """`queued_app` once on SQLite and once on PostgreSQL."""
    app = make_app(database_url, REDIS_URL=redis_url)
    yield app
    dispose(app)


@pytest.fixture
def queued_client(queued_app: Flask) -> FlaskClient:
    """A test client of `queued_app`."""
    return queued_app.test_client()


@pytest.fixture
def run_jobs() -> Callable[[Flask], None]:
    """Run RQ's Worker (the app's AppWorker) in burst mode in this process: each job still runs in a forked
    work-horse, which shares this process's monkeypatches and the app's configuration. Quicker than a subprocess,
    which must import the app and WeasyPrint first."""

    def run(app: Flask) -> None:
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            with app.app_context():
                jobs.make_worker(app).work(burst=True)
        finally:
            for sig, handler in handlers.items():  # the worker installs its own; pytest's come back
                signal.signal(sig, handler)

    return run
