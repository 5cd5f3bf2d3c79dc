"""gunicorn as production runs it, with the project's gunicorn.conf.py.

- The app is preloaded in the master and forked into workers, which are recycled: recycled workers keep reading
  and writing the database correctly (nothing shared across the fork).
- Two app servers share one port (SO_REUSEPORT, the kernel spreads connections) and one database: what one
  writes, the other reads, and a result deleted through one is gone from both at once, although each keeps
  rendered results pages in memory.
Both run on SQLite and on the PostgreSQL cluster the test set-up starts.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import session_catalog
from tests.pg_service import free_port

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SLUG = "role-audit"


def call(port: int, method: str, path: str, body: object = None) -> tuple[int, bytes]:
    """One request on a new connection (sync workers close every connection)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextmanager
def gunicorn(
    database_url: str, port: int, log: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn with gunicorn.conf.py on `port` (and `env` on top of this process's environment); its access and
    error log in `log`; stopped afterwards."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FLASK_SECRET_KEY": "serving-test-" + secrets.token_urlsafe(32),
        "FLASK_RATELIMIT_ENABLED": "false",
        "GUNICORN_ACCESS_LOG": str(log),
        **(env or {}),
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"{HOST}:{port}", *args]
    with open(log, "ab") as errors:
        process = subprocess.Popen([*command, "app:create_app()"], cwd=ROOT, env=env, stdout=errors, stderr=errors)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                # Its own worker must be up too: with --reuse-port a second server's port already answers
                # through the first, and requests made before it listens all go to the first.
                if call(port, "GET", "/healthz")[0] == 200 and "Booting worker" in log.read_text():
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start: " + log.read_text()
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=60)


def new_result(port: int, label: str) -> str:
    questionnaire = session_catalog().get(SLUG)
    answers = {question.id: question.options[0].id for question in questionnaire.questions}
    body = {"answers": answers, "label": label}
    status, data = call(port, "POST", f"/api/v1/questionnaires/{SLUG}/assessments", body)
    assert status == 201, data[:500]
    token: str = json.loads(data)["token"]
    return token


def test_preloaded_workers_are_recycled_and_keep_serving(database_url: str, tmp_path: Path) -> None:
    """Every fifth request recycles a worker; 25 rounds of write, read (and now and then a PDF), delete, read keep
    answering right."""
    port, log = free_port(), tmp_path / "gunicorn.log"
    with gunicorn(database_url, port, log, "-w", "2", "--max-requests", "5", "--max-requests-jitter", "0"):
        for round_number in range(25):
            token = new_result(port, f"Recycled {round_number}")
            status, page = call(port, "GET", f"/r/{token}")
            assert status == 200
            assert f"Recycled {round_number}" in page.decode()
            if round_number % 12 == 0:  # a PDF from a worker forked after WeasyPrint was imported in the master
                status, pdf = call(port, "GET", f"/r/{token}/report.pdf")
                assert status == 200
                assert pdf.startswith(b"%PDF")
            assert call(port, "DELETE", f"/api/v1/assessments/{token}")[0] == 204
            assert call(port, "GET", f"/r/{token}")[0] == 404
    text = log.read_text()
    assert text.count("Autorestarting worker") >= 10, text[-3000:]
    assert "Traceback" not in text


def test_two_app_servers_share_one_port_and_one_database(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    with (
        gunicorn(database_url, port, logs[0], "-w", "1", "--reuse-port"),
        gunicorn(database_url, port, logs[1], "-w", "1", "--reuse-port"),
    ):
        tokens = [new_result(port, f"Shared {number}") for number in range(20)]
        for token in tokens:  # written through either server, read through either
            assert call(port, "GET", f"/r/{token}")[0] == 200
        doomed = tokens[0]
        # The access logs write tokens as "[token]" (assess/logs.py): a query word marks this result's requests.
        mark = re.escape("GET /r/[token]?doomed ")
        for _ in range(30):  # spread over both servers by the kernel
            assert call(port, "GET", f"/r/{doomed}?doomed")[0] == 200
        served = [re.findall(mark, log.read_text()) for log in logs]
        assert all(served), "the kernel sent every request to one server: " + str([len(s) for s in served])
        assert call(port, "DELETE", f"/api/v1/assessments/{doomed}")[0] == 204
        assert {call(port, "GET", f"/r/{doomed}?doomed")[0] for _ in range(30)} == {404}
        after = [len(re.findall(mark, log.read_text())) for log in logs]
        assert all(count > len(before) for count, before in zip(after, served, strict=True)), after
    for log in logs:
        assert "Traceback" not in log.read_text()


def test_gunicorn_believes_no_forwarded_headers_by_default(tmp_path: Path, sqlite_url: str) -> None:
    """gunicorn's own default trusts loopback's SCRIPT_NAME and X-Forwarded-Proto; gunicorn.conf.py trusts nobody
    unless FORWARDED_ALLOW_IPS names them (the app reads its proxy's headers itself, FLASK_TRUSTED_PROXIES)."""
    port, log = free_port(), tmp_path / "gunicorn.log"
    with gunicorn(sqlite_url, port, log, "-w", "1"):
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            headers = {"SCRIPT_NAME": "//127.0.0.1:5404", "X-Forwarded-Proto": "https"}
            connection.request("GET", "/how-scoring-works", headers=headers)
            response = connection.getresponse()
            page = response.read().decode()
        finally:
            connection.close()
        assert response.status == 200, page[:500]
        assert "Strict-Transport-Security" not in response.headers  # not taken for HTTPS
        assert "5404" not in page  # no link built on the header's script root
    assert "Traceback" not in log.read_text()


def test_no_control_socket_unless_one_is_named(tmp_path: Path, sqlite_url: str) -> None:
    """gunicorn's own default opens a control socket (gunicornc: add workers, reload, shut down) in the user's home,
    one path for both app servers; gunicorn.conf.py opens none unless GUNICORN_CONTROL_SOCKET names a path."""
    home, log = tmp_path / "home", tmp_path / "gunicorn.log"
    home.mkdir()
    # gunicorn's default path is then ~/.gunicorn/gunicorn.ctl, a folder it leaves behind
    environment = {"HOME": str(home), "XDG_RUNTIME_DIR": str(tmp_path / "no-such-folder")}
    port = free_port()
    with gunicorn(sqlite_url, port, log, "-w", "1", env=environment):
        assert call(port, "GET", "/healthz")[0] == 200
    assert list(home.iterdir()) == []
    assert "Control socket" not in log.read_text()

    named = tmp_path / "server-1.ctl"
    with gunicorn(sqlite_url, free_port(), log, "-w", "1", env={**environment, "GUNICORN_CONTROL_SOCKET": str(named)}):
        deadline = time.monotonic() + 30
        while not named.is_socket():  # opened just after the first worker boots
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        assert named.stat().st_mode & 0o077 == 0  # its owner's alone
    assert list(home.iterdir()) == []
    assert "Traceback" not in log.read_text()
