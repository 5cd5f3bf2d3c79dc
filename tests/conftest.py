"""App fixtures for the web, API and report tests: a fresh migrated database per test.

`app` and `client` run on SQLite, as most tests do. `db_app` and `db_client` (and the `database_url` beneath them)
run a test twice, on SQLite and on PostgreSQL, each time on a private database copied from one that the real
migrations built once per session. PostgreSQL is a private cluster the session starts itself (tests/pg_service.py),
only when a test asks for it.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from jinja2 import FileSystemBytecodeCache
from playwright.sync_api import Browser, sync_playwright

from app import create_app
from assess.core import Catalog, load_catalog
from assess.jobads import Signals, load_signals
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:  # imported for real as a plugin below; an earlier import would escape pytest's assert rewriting
    from tests.pg_service import Cluster

pytest_plugins = [
    "tests.pg_service",
    "tests.redis_service",
]

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
BACKENDS = ["sqlite", "postgresql"]


@functools.cache
def session_catalog() -> Catalog:
    """The questionnaire catalogue, loaded once per test session and shared by every app the fixtures build (it is
    immutable; loading it was most of the cost of building an app)."""
    return load_catalog()


@functools.cache
def session_signals() -> Signals:
    """The job-ad reader's signals, loaded and compiled once per test session against the session's catalogue."""
    return load_signals(session_catalog())


@functools.cache
def session_bytecode_cache() -> FileSystemBytecodeCache:
    """Jinja's compiled templates, shared by every app this test process builds: each app has its own Jinja
    environment, which would otherwise parse and compile every template it renders again (a third of the web tests'
    time). Keyed by template name and source checksum, in a folder of this process's own, removed at its exit."""
    folder = tempfile.mkdtemp(prefix="ev-jinja-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return FileSystemBytecodeCache(folder)


def with_shared_templates(app: Flask) -> Flask:
    """`app`, its Jinja environment reading and writing the session's compiled templates."""
    app.jinja_env.bytecode_cache = session_bytecode_cache()
    return app


def make_app(database_url: str, **config: Any) -> Flask:
    """The app as the tests run it, on this database: CSRF on as in production, rate limits off."""
    return with_shared_templates(
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret-key-not-for-production",
                "SQLALCHEMY_DATABASE_URI": database_url,
                "SERVER_NAME": "localhost",
                "RATELIMIT_ENABLED": False,  # tests/web/test_limits.py turns them on where they are the subject
                **config,
            },
            catalog=session_catalog(),
            signals=session_signals(),
        )
    )


def dispose(app: Flask) -> None:
    """Close the app's pooled connections: a PostgreSQL database cannot be dropped, nor copied, while in use."""
    with app.app_context():
        from assess.extensions import db

        db.engine.dispose()


def migrate(database_url: str) -> None:
    """Build the schema on an empty database by running the real migrations, as `flask db upgrade` does."""
    from flask_migrate import upgrade

    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url}, catalog=session_catalog(), signals=session_signals()
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
    dispose(app)


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database file built once by running the real migrations; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template(postgres: Cluster) -> str:
    """A PostgreSQL database built once by running the real migrations; each test gets a copy (CREATE DATABASE
    ... TEMPLATE), which takes milliseconds where migrating would take a second."""
    name = postgres.create_database("migrated_template")
    migrate(postgres.database_url(name))
    return name


@pytest.fixture
def sqlite_url(tmp_path: Path, migrated_db: Path) -> str:
    """The URL of a private copy of the migrated SQLite database."""
    database = tmp_path / "test.sqlite3"
    shutil.copy(migrated_db, database)
    return f"sqlite:///{database}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test runs on this time: "sqlite" or "postgresql"."""
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a private, freshly migrated database on the backend under test, dropped afterwards."""
    if backend == "sqlite":
        yield request.getfixturevalue("sqlite_url")
        return
    cluster: Cluster = request.getfixturevalue("postgres")
    with cluster.fresh_database(template=request.getfixturevalue("pg_template")) as url:
        yield url


@pytest.fixture
def empty_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a private database with no tables at all, on the backend under test (for the migrations)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    cluster: Cluster = request.getfixturevalue("postgres")
    with cluster.fresh_database() as url:
        yield url


@pytest.fixture
def app(sqlite_url: str) -> Iterator[Flask]:
    """The app on a private copy of the migrated SQLite database."""
    app = make_app(sqlite_url)
    yield app
    dispose(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for the `flask assess` commands."""
    return app.test_cli_runner()


@pytest.fixture
def db_app(database_url: str) -> Iterator[Flask]:
    """The app on a private migrated database, once on SQLite and once on PostgreSQL."""
    app = make_app(database_url)
    yield app
    dispose(app)


@pytest.fixture
def db_client(db_app: Flask) -> FlaskClient:
    """A test client of `db_app`."""
    return db_app.test_client()


@pytest.fixture
def stub_renderer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """WeasyPrint's layout (`pdf.write_pdf`) replaced by a stand-in that answers at once, for tests about caching,
    HTTP, jobs or limits rather than the PDF itself: the report's HTML is still built from its templates, and the
    stand-in's bytes differ with that HTML and the paper size. Returns the page sizes rendered, one entry a render.
    The PDF's content is tested with the real renderer in tests/reports/."""
    from assess.reports import pdf

    rendered: list[str] = []

    def write_pdf(html: str, page_size: str = "a4", static_folder: Any = None) -> bytes:
        rendered.append(page_size)
        digest = hashlib.sha256(html.encode()).hexdigest()
        return f"%PDF-1.7\n% stand-in for a {page_size} render of {digest}\n%%EOF\n".encode()

    monkeypatch.setattr(pdf, "write_pdf", write_pdf)
    return rendered


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless: the test run's one Playwright session (tests/chromium.py says why one)."""
    assert Path(CHROMIUM).exists(), "Chromium is missing: run scripts/bootstrap --dev (it installs Debian's chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
