"""Faults that lose nothing: a locked or unreachable database answers 503 and keeps what the person sent, on
SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import re
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from assess import store
from assess.web.forms import NOTE_FIELD, question_field
from tests.conftest import dispose, make_app
from tests.helpers import Walker, csrf_token

# Give up on a lock within 0.2 s instead of waiting for it: SQLite's busy timeout, PostgreSQL's lock_timeout.
QUICK = {
    "sqlite": {"connect_args": {"timeout": 0.2}},
    "postgresql": {"connect_args": {"options": "-c lock_timeout=200"}},
}


def app_on(database_url: str, backend: str) -> Flask:
    return make_app(database_url, SQLALCHEMY_ENGINE_OPTIONS=QUICK[backend])


@pytest.fixture
def quick_app(database_url: str, backend: str) -> Iterator[Flask]:
    """The app on a migrated database, giving up on a lock quickly."""
    app = app_on(database_url, backend)
    yield app
    dispose(app)


@contextlib.contextmanager
def writes_blocked(database_url: str, backend: str, table: str) -> Iterator[None]:
    """Another client holds a lock that lets the app read `table` but not write it, for the length of the block.

    SQLite can only lock the whole database (BEGIN IMMEDIATE: readers go on, writers wait); PostgreSQL locks the
    table (SHARE mode conflicts with INSERT, UPDATE and DELETE). Either way the request fails part-way, after
    reading the draft, which is the harder case for keeping everything.
    """
    url = make_url(database_url)
    if backend == "sqlite":
        locker = sqlite3.connect(str(url.database), isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            locker.rollback()
            locker.close()
        return
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database) as holder:
        holder.execute(f"LOCK TABLE {table} IN SHARE MODE")  # held until the connection's transaction ends
        yield
        holder.rollback()


@contextlib.contextmanager
def unreachable_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database URL nothing answers at: a SQLite file in a missing directory, or a PostgreSQL port that is bound
    but not listening (so connections are refused, and no other process can take the port meanwhile)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'no-such-dir' / 'gone.sqlite3'}"
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as closed:
        closed.bind(("127.0.0.1", 0))
        yield f"postgresql+psycopg://postgres@127.0.0.1:{closed.getsockname()[1]}/gone?connect_timeout=2"


def test_locked_database_keeps_the_answers_and_offers_a_retry(
    quick_app: Flask, database_url: str, backend: str
) -> None:
    app = quick_app
    client = app.test_client()
    walker = Walker(client, app.extensions["catalog"].get("role-audit"))
    token = walker.start()
    question = walker.questionnaire.questions[0]
    data = walker.page_data(
        token, 1, {question.id: question.options[0].id}, {NOTE_FIELD: "Budget <b>talk</b>", "action": "save"}
    )
    with writes_blocked(database_url, backend, "drafts"):
        response = client.post(f"/d/{token}/1", data=data)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    html = response.get_data(as_text=True)
    assert "Nothing was lost" in html
    assert f'name="{question_field(question.id)}" value="{question.options[0].id}"' in html
    assert "Budget &lt;b&gt;talk&lt;/b&gt;" in html  # kept, escaped
    # The retry form re-sends everything; with the lock gone it goes through.
    retry = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    retry = {k: v.replace("&lt;", "<").replace("&gt;", ">") for k, v in retry.items()}
    assert client.post(f"/d/{token}/1", data=retry).status_code == 302
    with app.app_context():
        draft = store.get_draft(token)
        assert draft.answers[question.id] == question.options[0].id
        assert draft.notes[walker.questionnaire.sections[0].id] == "Budget <b>talk</b>"


def test_unreachable_database_gives_503_and_keeps_the_answers(backend: str, tmp_path: Path) -> None:
    with unreachable_url(backend, tmp_path) as url:
        app = app_on(url, backend)
        client = app.test_client()
        landing = client.get("/")
        assert landing.status_code == 200  # the landing page needs no database
        assert client.get("/r/" + "x" * 43).status_code == 503
        api = client.get("/api/v1/assessments/" + "x" * 43)
        assert api.status_code == 503
        assert api.get_json()["error"]["code"] == "database_unavailable"
        questionnaire = app.extensions["catalog"].get("role-audit")
        question = questionnaire.questions[0]
        sent = {
            "csrf_token": csrf_token(landing.get_data(as_text=True)),
            question_field(question.id): question.options[0].id,
            NOTE_FIELD: "Ask about the budget",
            "action": "save",
        }
        response = client.post("/d/" + "x" * 43 + "/1", data=sent)
        assert response.status_code == 503
        assert response.headers["Retry-After"]
        html = response.get_data(as_text=True)
        assert "Try again" in html
        for name, value in sent.items():
            assert f'<input type="hidden" name="{name}" value="{value}">' in html


def test_submission_is_one_transaction(quick_app: Flask, database_url: str, backend: str) -> None:
    """If storing the result fails, neither a result nor a 'submitted' mark on the draft is left behind."""
    app = quick_app
    client = app.test_client()
    walker = Walker(client, app.extensions["catalog"].get("role-audit"))
    token = walker.start()
    review = client.get(f"/d/{token}/review").get_data(as_text=True)
    with writes_blocked(database_url, backend, "assessments"):
        response = client.post(f"/d/{token}/submit", data={"csrf_token": csrf_token(review)})
    assert response.status_code == 503
    with app.app_context():
        assert store.get_draft(token).result_token is None
        assert store.db.session.query(store.Assessment).count() == 0
    assert client.get(f"/d/{token}/review").status_code == 200  # the draft is intact and can be sent again


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite's connections are files: none to drop
def test_connections_the_database_dropped_are_replaced_unseen(db_app: Flask, database_url: str) -> None:
    """A database restart or an idle timeout between two visits: the page reads get a live connection from the
    pool (pool_pre_ping)."""
    client = db_app.test_client()
    walker = Walker(client, db_app.extensions["catalog"].get("role-audit"))
    draft = walker.start()
    result = walker.submit(walker.start())
    pages = [f"/r/{result}", f"/d/{draft}/1"]
    assert [client.get(page).status_code for page in pages] == [200, 200]  # the pool now holds connections
    url = make_url(database_url)
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True
    ) as admin:
        dropped = admin.execute(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()) AS terminated"
        ).fetchone()
    assert dropped is not None
    assert dropped[0] >= 1
    assert [client.get(page).status_code for page in pages] == [200, 200]
