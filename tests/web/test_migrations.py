"""The Alembic migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade

from app import create_app
from assess.extensions import db


def test_migrated_schema_matches_the_models(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_migrations_downgrade_to_nothing_and_back(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}"})
    directory = str(Path(app.root_path) / "migrations")
    with app.app_context():
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")
        upgrade(directory=directory)
        assert {"assessments", "drafts", "teams", "team_responses"} <= set(db.inspect(db.engine).get_table_names())
        db.engine.dispose()
