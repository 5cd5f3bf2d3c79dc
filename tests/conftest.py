"""App fixtures for the web, API and report tests: a fresh migrated SQLite database per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from app import create_app


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file built once by running the real migrations; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(Path(app.root_path) / "migrations"))
        from assess.extensions import db

        db.engine.dispose()
    return path


@pytest.fixture
def app(tmp_path: Path, migrated_db: Path) -> Iterator[Flask]:
    """The app on a private copy of the migrated database, CSRF on as in production."""
    database = tmp_path / "test.sqlite3"
    shutil.copy(migrated_db, database)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SERVER_NAME": "localhost",
            "RATELIMIT_ENABLED": False,  # tests/web/test_limits.py turns them on where they are the subject
        }
    )
    yield app
    with app.app_context():
        from assess.extensions import db

        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for the `flask assess` commands."""
    return app.test_cli_runner()
