"""The `flask assess` commands as scripts use them: exit 0 with JSON on stdout, or exit 2 with one line on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from assess.core import questionnaire_to_dict, result_to_dict, score

ROOT = Path(__file__).resolve().parent.parent


def best_answers(app: Flask, slug: str) -> dict[str, str]:
    return {q.id: max(q.options, key=lambda o: o.points).id for q in app.extensions["catalog"].get(slug).questions}


def write(tmp_path: Path, data: Any, name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def one_line_error(result: Any) -> str:
    """The run failed for bad input: exit 2, nothing on stdout, exactly one line on stderr."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return str(lines[0])


def test_validate(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["assess", "validate"])
    assert result.exit_code == 0, result.output
    assert "role-audit: " in result.output


def test_show_prints_the_definition_as_the_api_serves_it(runner: FlaskCliRunner, app: Flask) -> None:
    result = runner.invoke(args=["assess", "show", "role-audit"])
    assert result.exit_code == 0
    expected = json.loads(json.dumps(questionnaire_to_dict(app.extensions["catalog"].get("role-audit"))))
    assert json.loads(result.stdout) == expected


def test_show_unknown_slug(runner: FlaskCliRunner) -> None:
    assert "unknown questionnaire 'nope'" in one_line_error(runner.invoke(args=["assess", "show", "nope"]))


def test_score_a_plain_answers_file(runner: FlaskCliRunner, app: Flask, tmp_path: Path) -> None:
    answers = best_answers(app, "role-audit")
    result = runner.invoke(args=["assess", "score", "role-audit", str(write(tmp_path, {"answers": answers})), "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    expected = result_to_dict(score(app.extensions["catalog"].get("role-audit"), answers))
    assert json.loads(result.stdout) == json.loads(json.dumps(expected))


def test_score_an_export_gives_the_exported_result(
    runner: FlaskCliRunner, app: Flask, client: Any, tmp_path: Path
) -> None:
    created = client.post(
        "/api/v1/questionnaires/org-readiness/assessments", json={"answers": best_answers(app, "org-readiness")}
    ).get_json()
    export = client.get(created["links"]["export_json"]).get_json()
    result = runner.invoke(args=["assess", "score", "org-readiness", str(write(tmp_path, export)), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == export["result"]


def test_score_prints_a_summary_without_json(runner: FlaskCliRunner, app: Flask, tmp_path: Path) -> None:
    path = write(tmp_path, {"answers": best_answers(app, "role-audit")})
    result = runner.invoke(args=["assess", "score", "role-audit", str(path)])
    assert result.exit_code == 0
    assert "Overall: 100/100" in result.stdout


def _export_of(slug: str, **extra: Any) -> dict[str, Any]:
    return (
        {"format": "escape-velocity-result", "format_version": 1, "questionnaire": slug, "version": "1.0"}
        | {"answers": {}}
        | extra
    )


@pytest.mark.parametrize(
    ("slug", "content", "words"),
    [
        ("nope", {"answers": {}}, "unknown questionnaire 'nope'"),
        ("role-audit", "{not json", "not valid JSON"),
        ("role-audit", "", "not valid JSON"),
        ("role-audit", [1, 2], 'expected a JSON object with "answers"'),
        ("role-audit", {"answer": {}}, 'expected a JSON object with "answers"'),
        ("role-audit", {"answers": {"no-such-question": "x"}}, "role-audit has no question 'no-such-question'"),
        ("role-audit", {"answers": {"time-split": "no-such-option"}}, "has no option 'no-such-option'"),
        ("role-audit", {"answers": {"time-split": 3}}, "must be an option id"),
        (
            "role-audit",
            _export_of("employer-readiness"),
            "an export of questionnaire 'employer-readiness', not 'role-audit'",
        ),
        ("role-audit", _export_of("role-audit", format_version=2), "written by a newer version"),
    ],
)
def test_score_bad_input_exits_2_with_one_line(
    runner: FlaskCliRunner, tmp_path: Path, slug: str, content: Any, words: str
) -> None:
    path = write(tmp_path, content)
    line = one_line_error(runner.invoke(args=["assess", "score", slug, str(path), "--json"]))
    assert words in line


def test_score_unreadable_files(runner: FlaskCliRunner, tmp_path: Path) -> None:
    missing = one_line_error(runner.invoke(args=["assess", "score", "role-audit", str(tmp_path / "missing.json")]))
    assert "cannot be read" in missing
    directory = one_line_error(runner.invoke(args=["assess", "score", "role-audit", str(tmp_path)]))
    assert "cannot be read" in directory
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\xfa")
    assert "not valid JSON" in one_line_error(runner.invoke(args=["assess", "score", "role-audit", str(binary)]))


def _flask_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    env.pop("FLASK_SECRET_KEY", None)
    return env


def test_score_in_a_real_shell_pipeline(app: Flask, tmp_path: Path) -> None:
    """As a script would: the JSON on stdout feeds the next command; a failure is exit 2 and one stderr line."""
    flask = str(Path(sys.executable).parent / "flask")
    good = write(tmp_path, {"answers": best_answers(app, "role-audit")}, "good.json")
    pipeline = (
        f"set -o pipefail; {flask} --app app assess score role-audit {good} --json"
        f' | {sys.executable} -c \'import json,sys; print(json.load(sys.stdin)["overall"]["score"])\''
    )
    run = subprocess.run(
        ["bash", "-c", pipeline], cwd=ROOT, env=_flask_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "100.0"

    bad = write(tmp_path, {"answers": {"nope": "x"}}, "bad.json")
    failed = subprocess.run(
        [flask, "--app", "app", "assess", "score", "role-audit", str(bad), "--json"],
        cwd=ROOT,
        env=_flask_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode == 2
    assert failed.stdout == ""
    assert failed.stderr.splitlines() == [f"error: {bad}: role-audit has no question 'nope'"]
