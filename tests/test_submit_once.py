"""A draft is submitted at most once, even by simultaneous requests: real ones, to gunicorn with four workers, on
SQLite and on PostgreSQL. Eight submits of one draft store one result (each answer leads to it), and eight
submits of one team draft store one response."""

from __future__ import annotations

import http.client
import json
import re
import threading
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, func, select

from assess.store import Assessment, TeamResponse
from tests.pg_service import free_port
from tests.test_serving import HOST, gunicorn

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
SUBMITS = 8


class Browser:
    """One visitor: a session cookie kept between requests on fresh connections (sync workers close each one)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Status, Location and body text of one request."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=urlencode(form) if form is not None else None, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def page(self, path: str) -> str:
        status, _, text = self.request("GET", path)
        assert status == 200, (path, status, text[:300])
        return text


def csrf(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def submit_all_at_once(browser: Browser, draft: str) -> list[tuple[int, str]]:
    """SUBMITS simultaneous POSTs of the review page's button; each answer's status and Location."""
    token = csrf(browser.page(f"/d/{draft}/review"))
    ready = threading.Barrier(SUBMITS)
    answers: list[tuple[int, str]] = []

    def send() -> None:
        ready.wait()
        status, location, _ = browser.request("POST", f"/d/{draft}/submit", {"csrf_token": token})
        answers.append((status, location))

    threads = [threading.Thread(target=send) for _ in range(SUBMITS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def count(database_url: str, statement: object) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(statement) or 0)  # type: ignore[call-overload]
    finally:
        engine.dispose()


def test_simultaneous_submits_store_one_result_and_one_team_response(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    with gunicorn(database_url, port, tmp_path / "gunicorn.log", "-w", "4"):
        browser = Browser(port)
        status, location, _ = browser.request("POST", "/q/role-audit/start", {"csrf_token": csrf(browser.page("/"))})
        assert status == 302
        draft = re.search(r"/d/([^/]+)/1$", location)
        assert draft
        answers = submit_all_at_once(browser, draft.group(1))
        assert {status for status, _ in answers} == {302}, answers
        results = {location.rsplit("/r/", 1)[-1] for _, location in answers}
        assert len(results) == 1, answers  # every submit leads to the same result
        assert count(database_url, select(func.count()).select_from(Assessment)) == 1

        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.request("POST", "/api/v1/teams", json.dumps({"name": "Once"}), {"Content-Type": "application/json"})
        team = json.loads(connection.getresponse().read())
        connection.close()
        respondent = team["respondent_token"]
        join = browser.page(f"/t/join/{respondent}")
        status, location, _ = browser.request(
            "POST", f"/t/join/{respondent}", {"csrf_token": csrf(join), "department": "it"}
        )
        assert status == 302
        team_draft = re.search(r"/d/([^/]+)/1$", location)
        assert team_draft
        answers = submit_all_at_once(browser, team_draft.group(1))
        assert {status for status, _ in answers} == {302}, answers
        assert {location.rsplit("/", 2)[-1] for _, location in answers} == {"thanks"}
        assert count(database_url, select(func.count()).select_from(TeamResponse)) == 1
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
