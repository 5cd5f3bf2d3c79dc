"""`flask --app app assess read-ad FILE [--json]`: the findings of an ad file, or one line of error and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from flask.testing import FlaskCliRunner

from tests.jobads.test_files import docx_of
from tests.test_cli import one_line_error

AD = """Social Media Strategist
You will respond to customer comments and messages every day.
You will win buy-in from stakeholders across the business.
"""


def test_read_ad_prints_findings_with_their_quotes(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "ad.txt"
    path.write_text(AD, encoding="utf-8")
    result = runner.invoke(args=["assess", "read-ad", str(path)])
    assert result.exit_code == 0, result.stderr
    assert '"You will win buy-in from stakeholders across the business."' in result.stdout
    assert "ER-CLIMATE" in result.stdout
    assert "climate-jobad: win-buy-in" in result.stdout
    assert "Questions to ask:" in result.stdout


def test_read_ad_json_has_the_api_shape(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "ad.docx"
    path.write_bytes(docx_of(AD))
    result = runner.invoke(args=["assess", "read-ad", str(path), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {f["signal"] for f in data["findings"]} == {"helpdesk-duties", "buy-in", "always-on"}  # always-on: the table
    assert data["answers"]["employer-readiness"]["sep-jobad"]["option"] == "small-part"


def test_read_ad_refuses_a_missing_or_malformed_file(runner: FlaskCliRunner, tmp_path: Path) -> None:
    missing = one_line_error(runner.invoke(args=["assess", "read-ad", str(tmp_path / "nope.txt")]))
    assert "cannot be read" in missing
    broken = tmp_path / "ad.pdf"
    broken.write_bytes(b"%PDF-1.4 nonsense")
    assert "could not be read" in one_line_error(runner.invoke(args=["assess", "read-ad", str(broken)]))
