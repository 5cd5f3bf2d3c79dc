"""`flask assess score SLUG ANSWERS.json --pdf OUT.pdf` writes the report of an unsaved result."""

from __future__ import annotations

import json
from pathlib import Path

from flask.testing import FlaskCliRunner

from assess.core import score
from tests.reports.pdfs import pdf_text, read_pdf, squash, varied_answers


def test_score_writes_a_valid_pdf(runner: FlaskCliRunner, tmp_path: Path) -> None:
    questionnaire = runner.app.extensions["catalog"].get("role-audit")
    answers = varied_answers(questionnaire, seed=3)
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps({"answers": answers}))
    out = tmp_path / "report.pdf"
    outcome = runner.invoke(args=["assess", "score", "role-audit", str(answers_file), "--pdf", str(out), "--json"])
    assert outcome.exit_code == 0, outcome.output
    json.loads(outcome.stdout)  # stdout stays clean JSON; the PDF note goes to stderr
    data = out.read_bytes()
    reader = read_pdf(data)
    assert 2 <= len(reader.pages) <= 12
    result = score(questionnaire, answers)
    text = pdf_text(data)
    assert result.verdict is not None
    assert squash(result.verdict.title) in text
    assert squash(f"{result.overall.score:.0f} out of 100") in text
    for flag in result.flags:
        assert squash(flag.title) in text
    assert abs(float(reader.pages[0].mediabox.height) - 841.9) < 1  # A4 by default


def test_score_pdf_in_letter(runner: FlaskCliRunner, tmp_path: Path) -> None:
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps({"answers": {}}))
    out = tmp_path / "letter.pdf"
    outcome = runner.invoke(
        args=["assess", "score", "employer-readiness", str(answers_file), "--pdf", str(out), "--paper", "letter"]
    )
    assert outcome.exit_code == 0, outcome.output
    assert abs(float(read_pdf(out.read_bytes()).pages[0].mediabox.height) - 792) < 1


def test_unwritable_pdf_path_exits_2(runner: FlaskCliRunner, tmp_path: Path) -> None:
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps({"answers": {}}))
    outcome = runner.invoke(
        args=["assess", "score", "role-audit", str(answers_file), "--pdf", str(tmp_path / "missing" / "r.pdf")]
    )
    assert outcome.exit_code == 2
    assert "error:" in outcome.output
