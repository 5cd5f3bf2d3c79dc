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


def bootstrap_without_fonts(tmp_path: Path, apt_status: int) -> subprocess.CompletedProcess[str]:
    """scripts/bootstrap (as `make run` calls it) on a machine where fontconfig finds none of the report's fonts and
    apt-get is a stand-in that talks a lot, then exits with `apt_status`. The environment is a stand-in too (a
    python that is the project's, a uv that does nothing), so nothing real is installed."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "bootstrap", tmp_path / "scripts" / "bootstrap")
    shutil.copy(ROOT / "requirements.txt", tmp_path / "requirements.txt")
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "python").symlink_to(ROOT / ".venv" / "bin" / "python")
    tools = tmp_path / "tools"
    tools.mkdir()
    for name, body in (
        ("uv", "exit 0"),
        ("fc-list", "exit 1"),
        (
            "apt-get",
            "for i in 1 2 3 4 5; do echo 'Get:'$i' http://deb.example fonts'; echo 'W: noise' >&2; done; "
            f"exit {apt_status}",
        ),
    ):
        stand_in = venv / name if name == "uv" else tools / name
        stand_in.write_text(f"#!/bin/sh\n{body}\n")
        stand_in.chmod(0o755)
    return subprocess.run(
        [str(tmp_path / "scripts" / "bootstrap")],
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{tools}:{os.environ['PATH']}", "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_optional_font_install_prints_one_line_not_apts_output(tmp_path: Path) -> None:
    """Issue 16: `make run`'s optional font install says one line, whatever apt does; apt's own output goes to a log
    file, named when the install fails."""
    fonts = "fonts-liberation fonts-wqy-microhei fonts-noto-color-emoji"
    for status, root_line in (
        (0, f"bootstrap: installed the PDF report's fonts: {fonts}"),
        (100, f"bootstrap: could not install {fonts} (apt's output: "),
    ):
        folder = tmp_path / f"apt-{status}"
        folder.mkdir()
        run = bootstrap_without_fonts(folder, status)
        assert run.returncode == 0, run.stderr
        assert run.stdout == ""
        lines = run.stderr.splitlines()
        assert len(lines) == 1, run.stderr
        if os.geteuid() == 0:
            assert lines[0].startswith(root_line), lines
        else:  # apt is not tried without root: the line says what to install
            assert lines[0].startswith("bootstrap: PDF reports look best with these Debian packages:"), lines
        assert "Get:" not in run.stderr
        assert "W: noise" not in run.stderr
    failed_log = next((tmp_path / "apt-100").glob("escape-velocity-fonts.*"), None)
    if os.geteuid() == 0:
        assert failed_log is not None
        assert "Get:1" in failed_log.read_text()
