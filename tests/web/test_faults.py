"""Faults that lose nothing: a locked or missing database answers 503 and keeps what the person sent."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from assess import store
from assess.web.forms import NOTE_FIELD, question_field
from tests.helpers import Walker, csrf_token


@pytest.fixture
def database(tmp_path: Path, migrated_db: Path) -> Path:
    path = tmp_path / "faults.sqlite3"
    shutil.copy(migrated_db, path)
    return path


def app_on(database: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 0.2}},  # give up on a lock quickly
            "RATELIMIT_ENABLED": False,
        }
    )


def test_locked_database_keeps_the_answers_and_offers_a_retry(database: Path) -> None:
    app = app_on(database)
    client = app.test_client()
    walker = Walker(client, app.extensions["catalog"].get("role-audit"))
    token = walker.start()
    question = walker.questionnaire.questions[0]
    data = walker.page_data(
        token, 1, {question.id: question.options[0].id}, {NOTE_FIELD: "Budget <b>talk</b>", "action": "save"}
    )
    locker = sqlite3.connect(database)
    locker.execute("BEGIN EXCLUSIVE")  # another process holds the database
    try:
        response = client.post(f"/d/{token}/1", data=data)
    finally:
        locker.rollback()
        locker.close()
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


def test_missing_database_gives_503_not_500(tmp_path: Path) -> None:
    app = app_on(tmp_path / "no-such-dir" / "gone.sqlite3")
    client = app.test_client()
    assert client.get("/").status_code == 200  # the landing page needs no database
    response = client.get("/r/" + "x" * 43)
    assert response.status_code == 503
    assert "Try again" in response.get_data(as_text=True)
    api = client.get("/api/v1/assessments/" + "x" * 43)
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "database_unavailable"


def test_submission_is_one_transaction(database: Path) -> None:
    """If storing the result fails, neither a result nor a 'submitted' mark on the draft is left behind."""
    app = app_on(database)
    client = app.test_client()
    walker = Walker(client, app.extensions["catalog"].get("role-audit"))
    token = walker.start()
    review = client.get(f"/d/{token}/review").get_data(as_text=True)
    locker = sqlite3.connect(database)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        response = client.post(f"/d/{token}/submit", data={"csrf_token": csrf_token(review)})
    finally:
        locker.rollback()
        locker.close()
    assert response.status_code == 503
    with app.app_context():
        assert store.get_draft(token).result_token is None
        assert store.db.session.query(store.Assessment).count() == 0
    assert client.get(f"/d/{token}/review").status_code == 200  # the draft is intact and can be sent again
