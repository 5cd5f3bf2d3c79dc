"""CSRF tokens (Flask-WTF's, signed per request): every page's token is accepted, and bound to its session."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner

from tests.conftest import dispose, make_app
from tests.helpers import Walker, csrf_token


@pytest.fixture
def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every signature gets a later timestamp, so a token signed afresh always differs from the last one."""
    seconds = itertools.count(1_800_000_000)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: next(seconds))


def tokens_seen(walker: Callable[[str], Walker], client: FlaskClient) -> tuple[str, list[str]]:
    """A draft, and the CSRF token of the landing page, two wizard pages, the review page, a result page and a
    page whose form renders its own hidden field (a new team), all visited in one session."""
    w = walker("role-audit")
    draft = w.start()
    result = w.submit(w.start())
    pages = ["/", f"/d/{draft}/1", f"/d/{draft}/2", f"/d/{draft}/review", f"/r/{result}", "/teams/new"]
    return draft, [csrf_token(client.get(page).get_data(as_text=True)) for page in pages]


@pytest.mark.usefixtures("ticking_clock")
def test_the_token_of_every_page_is_accepted_in_its_session(
    walker: Callable[[str], Walker], client: FlaskClient
) -> None:
    draft, tokens = tokens_seen(walker, client)
    assert all(tokens), tokens
    for token in tokens:
        response = client.post(f"/d/{draft}/1", data={"csrf_token": token, "action": "save"})
        assert response.status_code == 302  # saved (nothing answered yet is fine for "save")


@pytest.mark.usefixtures("ticking_clock")
def test_another_session_gets_its_own_token_which_this_session_refuses(
    walker: Callable[[str], Walker], client: FlaskClient, app: Flask
) -> None:
    draft, tokens = tokens_seen(walker, client)
    other = app.test_client()
    theirs = csrf_token(other.get(f"/d/{draft}/1").get_data(as_text=True))
    assert theirs != tokens[0]
    response = client.post(f"/d/{draft}/1", data={"csrf_token": theirs, "action": "save"})
    assert response.status_code == 422
    assert "press the button again" in response.get_data(as_text=True)


@pytest.fixture
def time_limited(sqlite_url: str) -> Iterator[Flask]:
    app = make_app(sqlite_url, WTF_CSRF_TIME_LIMIT=3600)
    yield app
    dispose(app)


@pytest.mark.usefixtures("ticking_clock")
def test_with_a_time_limit_every_page_signs_afresh(time_limited: Flask) -> None:
    """With a time limit configured, each page's token carries its own timestamp, and a fresh one is accepted."""
    client = time_limited.test_client()
    client.get("/")
    second, third = (csrf_token(client.get("/").get_data(as_text=True)) for _ in range(2))
    assert second != third
    response = client.post("/q/role-audit/start", data={"csrf_token": third})
    assert response.status_code == 302
    assert re.search(r"/d/[A-Za-z0-9_-]+/1$", response.headers["Location"])
