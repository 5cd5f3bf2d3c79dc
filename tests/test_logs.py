"""No token is ever written to a log: gunicorn's access and error logs and the development server's request log.

The servers run for real (gunicorn with gunicorn.conf.py; `flask run`), every kind of private link is requested,
and the log files are then searched for each token.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assess.logs import RedactTokens, redact
from tests.conftest import session_catalog
from tests.pg_service import free_port
from tests.test_serving import ROOT, call, gunicorn

TOKEN = secrets.token_urlsafe(32)


@pytest.mark.parametrize(
    "line",
    [
        f'127.0.0.1 - - "GET /r/{TOKEN} HTTP/1.1" 200',
        f'"GET /t/{TOKEN}/jobs/{secrets.token_urlsafe(32)}/status HTTP/1.1" 200',
        f'"GET /compare/{TOKEN}/{secrets.token_urlsafe(32)}?size=a4 HTTP/1.1" 404',
        f"Error handling request //r/{TOKEN}/report.pdf",
        f'"GET /x?next=/d/{TOKEN}/2 HTTP/1.1" 404 "-" "referer http://h/r/{TOKEN}"',
        f"/api/v1/assessments/{TOKEN[:20]}",  # a truncated token is still hidden
    ],
    # Named by kind, not by the random tokens: test ids must be the same in every process that collects them.
    ids=["access-line", "two-tokens", "query-string", "error-line", "referer", "truncated"],
)
def test_redact_hides_every_token(line: str) -> None:
    cleaned = redact(line)
    assert "[token]" in cleaned
    assert not re.search(r"[A-Za-z0-9_-]{16,}", cleaned.replace("[token]", "")), cleaned


def test_redact_keeps_the_path_words() -> None:
    line = '"POST /q/employer-readiness/start HTTP/1.1" 302 "GET /how-scoring-works" Mozilla/5.0 (X11; Linux x86_64)'
    assert redact(line) == line


def test_filter_redacts_arguments_and_tracebacks() -> None:
    try:
        raise RuntimeError(f"[parameters: ('{TOKEN}',)]")
    except RuntimeError:
        record = logging.LogRecord("app", logging.ERROR, __file__, 1, "Exception on %s", (f"/r/{TOKEN}",), None)
        record.exc_info = sys.exc_info()
    assert RedactTokens().filter(record)
    text = logging.Formatter().format(record)
    assert TOKEN not in text
    assert "Exception on /r/[token]" in text
    assert "[parameters: ('[token]',)]" in text


def test_a_traceback_keeps_its_file_paths_and_function_names_but_not_its_tokens() -> None:
    def _fail_with_a_long_underscored_name() -> None:
        raise RuntimeError(f"[parameters: ('{TOKEN}',)]")

    try:
        _fail_with_a_long_underscored_name()
    except RuntimeError:
        record = logging.LogRecord("app", logging.ERROR, __file__, 1, "failed", (), None)
        record.exc_info = sys.exc_info()
    assert RedactTokens().filter(record)
    text = logging.Formatter().format(record)
    assert TOKEN not in text
    assert "in _fail_with_a_long_underscored_name" in text  # 36 characters with underscores: not a token
    assert f'File "{__file__}"' in text


def _visit_everything(port: int) -> list[str]:
    """Request every kind of private link once (API and site pages, a PDF, a team, a miss, a wrong method) and
    return the tokens involved."""
    questionnaire = session_catalog().get("role-audit")
    answers = {question.id: question.options[0].id for question in questionnaire.questions}
    status, body = call(port, "POST", "/api/v1/questionnaires/role-audit/assessments", {"answers": answers})
    assert status == 201, body[:300]
    result = json.loads(body)["token"]
    status, body = call(port, "POST", "/api/v1/teams", {"name": "Log test"})
    assert status == 201, body[:300]
    team = json.loads(body)
    admin, respondent = team["admin_token"], team["respondent_token"]
    team_questionnaire = session_catalog().get("org-readiness")
    team_answers = {question.id: question.options[0].id for question in team_questionnaire.questions}
    response = {"department": "it", "answers": team_answers}
    assert call(port, "POST", f"/api/v1/teams/{respondent}/responses", response)[0] == 201
    missing = secrets.token_urlsafe(32)
    for method, path, expected in [
        ("GET", f"/r/{result}", 200),
        ("GET", f"/r/{result}/export.json?size=a4", 200),
        ("GET", f"/r/{result}/report.pdf", 200),
        ("GET", f"/r/{result}/delete", 200),
        ("PUT", f"/r/{result}", 405),
        ("GET", f"/api/v1/assessments/{result}", 200),
        ("GET", f"/t/{admin}", 200),
        ("GET", f"/t/{admin}/export.csv", 409),  # one response: nothing to export yet
        ("GET", f"/t/join/{respondent}", 200),
        ("GET", f"/api/v1/teams/{admin}", 200),
        ("GET", f"/d/{missing}", 404),
        ("GET", f"/r/{missing}/report.pdf", 404),
        ("DELETE", f"/api/v1/assessments/{result}", 204),
    ]:
        assert call(port, method, path)[0] == expected, (method, path)
    return [result, admin, respondent, missing]


def test_gunicorn_logs_carry_no_token(tmp_path: Path, sqlite_url: str) -> None:
    port, log = free_port(), tmp_path / "gunicorn.log"  # the access log and the error log, both into this file
    with gunicorn(sqlite_url, port, log, "-w", "1"):
        tokens = _visit_everything(port)
    text = log.read_text()
    assert "GET /r/[token]/report.pdf HTTP/1.1" in text, text[-3000:]  # the access log was written
    assert '"PUT /r/[token] HTTP/1.1" 405' in text
    for token in tokens:
        assert token not in text


def test_development_server_log_carries_no_token(tmp_path: Path, sqlite_url: str) -> None:
    port, log = free_port(), tmp_path / "flask-run.log"
    env = {
        **os.environ,
        "DATABASE_URL": sqlite_url,
        "FLASK_SECRET_KEY": "log-test-" + secrets.token_urlsafe(32),
        "FLASK_RATELIMIT_ENABLED": "false",
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "flask", "--app", "app", "run", "--port", str(port)]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if call(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "flask run did not start: " + log.read_text()
            time.sleep(0.1)
        tokens = _visit_everything(port)
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = log.read_text()
    assert "GET /r/[token]/report.pdf HTTP/1.1" in text, text[-3000:]  # the request log was written
    for token in tokens:
        assert token not in text
