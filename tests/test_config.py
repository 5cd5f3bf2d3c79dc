"""Start-up rules: no serving without a real secret key; configuration from the environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from assess.config import ConfigurationError

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("secret", [None, "", "dev", "changeme", "short"])
def test_refuses_to_serve_without_a_real_secret(monkeypatch: pytest.MonkeyPatch, secret: str | None) -> None:
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    config = {} if secret is None else {"SECRET_KEY": secret}
    with pytest.raises(ConfigurationError, match="FLASK_SECRET_KEY"):
        create_app(config)


def test_serves_with_a_real_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FLASK_SECRET_KEY", "a" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("FLASK_DRAFT_DAYS", "7")
    app = create_app()
    assert app.config["SECRET_KEY"] == "a" * 40
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")
    assert app.config["DRAFT_DAYS"] == 7


def test_debug_and_tests_need_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    assert create_app({"TESTING": True}).testing


def test_offline_commands_run_without_a_secret(tmp_path: Path) -> None:
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "assess", "validate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "criteria" in out.stdout


def test_flask_run_without_a_secret_exits_with_the_message(tmp_path: Path) -> None:
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "run", "--port", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode != 0
    assert "needs a real secret key" in out.stderr


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://ev:pw@db.example:5432/ev", "postgresql+psycopg://ev:pw@db.example:5432/ev"),
        ("postgresql://ev@db.example/ev?sslmode=require", "postgresql+psycopg://ev@db.example/ev?sslmode=require"),
        ("postgresql+psycopg://ev@db.example/ev", "postgresql+psycopg://ev@db.example/ev"),
        ("sqlite:////var/lib/ev/ev.sqlite3", "sqlite:////var/lib/ev/ev.sqlite3"),
    ],
)
def test_database_url_forms_all_reach_the_installed_driver(
    monkeypatch: pytest.MonkeyPatch, given: str, used: str
) -> None:
    """Hosting platforms hand out postgres:// and postgresql://; SQLAlchemy would refuse the first and look for
    psycopg2 (not installed) for the second."""
    monkeypatch.setenv("DATABASE_URL", given)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == used
    with app.app_context():
        from assess.extensions import db

        assert db.engine.url.render_as_string(hide_password=False) == used  # the engine is built, driver and all


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("LABEL_MAX", 201, "between 1 and 200"),  # the label and team name columns hold 200
        ("LABEL_MAX", 0, "between 1 and 200"),
        ("NOTE_MAX", "lots", "whole number"),
        ("NOTE_MAX", 1.5, "whole number"),
    ],
)
def test_refuses_free_text_limits_the_database_cannot_hold(
    tmp_path: Path, name: str, value: object, words: str
) -> None:
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}", name: value}
    with pytest.raises(ConfigurationError, match=f"FLASK_{name} must be .*{words}"):
        create_app(config)


def test_takes_free_text_limits_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FLASK_LABEL_MAX", "200")
    monkeypatch.setenv("FLASK_NOTE_MAX", "500")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert (app.config["LABEL_MAX"], app.config["NOTE_MAX"]) == (200, 500)
