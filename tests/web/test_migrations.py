"""The Alembic migrations build exactly the schema the models describe, and can be undone, on SQLite and on
PostgreSQL alike."""

from __future__ import annotations

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade

from app import create_app
from assess.extensions import db
from tests.conftest import MIGRATIONS, dispose

ROOT = MIGRATIONS.parent

TABLES = {"assessments", "drafts", "report_pdfs", "teams", "team_responses"}


def test_migrated_schema_matches_the_models(db_app: Flask) -> None:
    """What autogenerate would write next is nothing: types, nullability, indexes, keys and constraints agree."""
    with db_app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata)
    assert differences == []


def test_migrations_downgrade_to_nothing_and_back(empty_database_url: str) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        assert set(db.inspect(db.engine).get_table_names()) >= TABLES
        downgrade(directory=str(MIGRATIONS), revision="base")
        assert set(db.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade(directory=str(MIGRATIONS))
        assert set(db.inspect(db.engine).get_table_names()) >= TABLES
    dispose(app)


def test_flask_db_upgrade_builds_the_schema_from_database_url(empty_database_url: str) -> None:
    """The deployment path: `flask --app app db upgrade` with DATABASE_URL as a hosting platform writes it (for
    PostgreSQL the bare postgres:// form, which assess.config points at psycopg)."""
    url = empty_database_url.replace("postgresql+psycopg://", "postgres://")
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("FLASK_SQLALCHEMY_DATABASE_URI", None)
    out = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        assert set(db.inspect(db.engine).get_table_names()) >= TABLES
        with db.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
    assert set(current) == set(ScriptDirectory(str(MIGRATIONS)).get_heads())  # every migration ran
    dispose(app)


def test_teams_made_before_the_compare_token_each_get_their_own(empty_database_url: str) -> None:
    """0007 gives every existing team a compare token of its own (the column is unique and required)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="0006")
        with db.engine.begin() as connection:
            for n in range(3):
                connection.execute(
                    db.text(
                        "INSERT INTO teams (admin_token, respondent_token, name, slug, version, closed, created_at) "
                        "VALUES (:admin, :respondent, :name, 'org-readiness', '1', false, CURRENT_TIMESTAMP)"
                    ),
                    {"admin": f"admin-token-{n:020d}", "respondent": f"respondent-{n:020d}", "name": f"Team {n}"},
                )
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as connection:
            tokens = connection.execute(db.text("SELECT compare_token FROM teams")).scalars().all()
    assert len(tokens) == 3
    assert len(set(tokens)) == 3
    assert all(len(token) == 43 for token in tokens)  # store.new_token's shape: 32 random bytes, URL-safe
    dispose(app)
