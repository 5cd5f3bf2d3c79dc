"""scripts/audit.py, behind `make lint`: a pass only when pip-audit checked every package; "not checked" (exit 3)
when it could not reach vulnerability data, as pip-audit itself calls that a pass. pip-audit is replaced by a
stand-in that prints the JSON report the real one writes in each case (the real one needs PyPI's vulnerability
data, which a machine may not reach; `make lint` runs the real one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECKED = {"name": "flask", "version": "3.1.0", "vulns": []}
SKIPPED = {"name": "alembic", "skip_reason": "Dependency not found on PyPI and could not be audited: alembic (1.20.1)"}
VULNERABLE = {
    "name": "jinja2",
    "version": "3.1.4",
    "vulns": [{"id": "GHSA-q2x7-8rv6-6q7h", "fix_versions": ["3.1.5"], "aliases": [], "description": "..."}],
}


def audit(tmp_path: Path, dependencies: list[dict[str, object]] | None) -> subprocess.CompletedProcess[str]:
    report = json.dumps({"dependencies": dependencies, "fixes": []}) if dependencies is not None else ""
    stand_in = tmp_path / "pip-audit"
    stand_in.write_text(f"#!{sys.executable}\nimport sys\nsys.stdout.write({report!r})\n")
    stand_in.chmod(0o755)
    env = {**os.environ, "PIP_AUDIT": str(stand_in)}
    return subprocess.run(
        [sys.executable, "scripts/audit.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("dependencies", "status", "says"),
    [
        ([CHECKED, CHECKED], 0, "pip-audit: 2 packages checked, no known vulnerabilities"),
        ([SKIPPED, SKIPPED], 3, "not checked: no vulnerability data reachable"),
        (None, 3, "not checked: no vulnerability data reachable"),
        ([CHECKED, SKIPPED], 3, "not checked: no vulnerability data reachable for 1 of 2 packages: alembic"),
        ([CHECKED, VULNERABLE, SKIPPED], 1, "jinja2 3.1.4: GHSA-q2x7-8rv6-6q7h (fixed in 3.1.5)"),
    ],
)
def test_the_audit_passes_only_when_every_package_was_checked(
    tmp_path: Path, dependencies: list[dict[str, object]] | None, status: int, says: str
) -> None:
    run = audit(tmp_path, dependencies)
    assert run.returncode == status, run.stdout + run.stderr
    assert says in run.stdout
    if status:
        assert "no known vulnerabilities" not in run.stdout
