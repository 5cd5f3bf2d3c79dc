"""`make run` is for one machine on SQLite: given a server database's URL it refuses before installing,
migrating or serving anything, says how to go on, and never prints the password."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = "postgresql+psycopg://ev:s3cret-pw@db.internal:5432/escape_velocity"


def make_run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    make = shutil.which("make")
    assert make, "make is not installed"
    # A copy of the scripts alone, so that a run which got past the refusal would fail at once (no .venv there).
    (tmp_path / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "run", tmp_path / "scripts" / "run")
    stand_in = tmp_path / "scripts" / "bootstrap"
    stand_in.write_text("#!/bin/sh\necho bootstrap ran; exit 7\n")
    stand_in.chmod(0o755)
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    return subprocess.run(
        [make, "--no-print-directory", "run", *(f"{k}={v}" for k, v in env.items() if k == "ALLOW_SERVER_DB")],
        cwd=tmp_path,
        env={**os.environ, **{k: v for k, v in env.items() if k != "ALLOW_SERVER_DB"}},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_make_run_refuses_a_server_database_and_says_how(tmp_path: Path) -> None:
    outcome = make_run(tmp_path, DATABASE_URL=URL)
    assert outcome.returncode != 0
    assert "refusing to migrate and serve DATABASE_URL=postgresql+psycopg://ev:***@db.internal" in outcome.stderr
    assert "make run ALLOW_SERVER_DB=1" in outcome.stderr
    assert "s3cret-pw" not in outcome.stderr + outcome.stdout
    assert "bootstrap ran" not in outcome.stdout  # refused before installing anything


def test_the_explicit_switch_goes_on_and_sqlite_needs_none(tmp_path: Path) -> None:
    switched = make_run(tmp_path / "switched", DATABASE_URL=URL, ALLOW_SERVER_DB="1")
    assert "bootstrap ran" in switched.stdout  # past the refusal: the (stand-in) install step ran
    assert "refusing" not in switched.stderr
    sqlite = make_run(tmp_path / "sqlite", DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert "bootstrap ran" in sqlite.stdout
