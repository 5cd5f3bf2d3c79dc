"""Drafts after submission and deletion, on SQLite and PostgreSQL: a draft gives at most one result or team
response, and deleting a result deletes the drafts made from it. (Simultaneous submits through a real server are in
tests/test_submit_once.py.)"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess import store
from tests.helpers import Walker, csrf_token
from tests.reports.pdfs import varied_answers
from tests.storage.conftest import Scored, found
from tests.web.test_teams import create_team


def test_a_draft_is_submitted_once(in_app: Flask, scored: Scored) -> None:
    questionnaire, answers, result = scored("role-audit")
    draft = store.create_draft(questionnaire.slug, questionnaire.version, answers)
    first = store.create_assessment(questionnaire.slug, questionnaire.version, answers, result, draft=draft).token
    with pytest.raises(store.AlreadySubmitted) as again:
        store.create_assessment(questionnaire.slug, questionnaire.version, answers, result, draft=draft)
    assert again.value.result_token == first
    assert found(store.get_draft(draft.token)).result_token == first


def test_a_team_draft_gives_one_response(in_app: Flask, scored: Scored) -> None:
    questionnaire, answers, result = scored("org-readiness")
    team = store.create_team("Once", questionnaire.slug, questionnaire.version)
    draft = store.create_draft(questionnaire.slug, questionnaire.version, answers, team=team, department="it")
    store.add_team_response(team, "it", answers, result, draft=draft)
    with pytest.raises(store.AlreadySubmitted):
        store.add_team_response(team, "it", answers, result, draft=draft)
    assert store.count_team_responses(team) == 1


def test_a_second_team_submit_thanks_again_and_stores_nothing(db_app: Flask, db_client: FlaskClient) -> None:
    admin, respondent = create_team(db_client)
    join = db_client.get(f"/t/join/{respondent}")
    joined = db_client.post(
        f"/t/join/{respondent}", data={"csrf_token": csrf_token(join.get_data(as_text=True)), "department": "it"}
    )
    draft = re.search(r"/d/([^/]+)/1$", joined.headers["Location"]).group(1)  # type: ignore[union-attr]
    review = db_client.get(f"/d/{draft}/review")
    data = {"csrf_token": csrf_token(review.get_data(as_text=True))}
    for _ in range(2):
        sent = db_client.post(f"/d/{draft}/submit", data=data)
        assert sent.status_code == 302
        assert sent.headers["Location"].endswith(f"/t/join/{respondent}/thanks")
    assert db_client.get(f"/d/{draft}/1").headers["Location"].endswith("/thanks")  # the page, too
    with db_app.app_context():
        assert store.count_team_responses(found(store.get_team_by_admin(admin))) == 1


def test_deleting_a_result_deletes_the_drafts_made_from_it(db_app: Flask, db_client: FlaskClient) -> None:
    walker = Walker(db_client, db_app.extensions["catalog"].get("role-audit"))
    answers = varied_answers(walker.questionnaire)
    original = walker.start()
    walker.answer_all(original, answers)
    source = walker.submit(original)

    def reaudit() -> str:
        page = db_client.get(f"/r/{source}")
        started = db_client.post(f"/r/{source}/reaudit", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
        return re.search(r"/d/([^/]+)/1$", started.headers["Location"]).group(1)  # type: ignore[union-attr]

    unsent = reaudit()  # "Update my answers", left unfinished: a copy of the answers, label and notes
    sent = reaudit()
    newer = walker.submit(sent)  # a result of its own, which keeps its draft
    assert db_client.delete(f"/api/v1/assessments/{source}").status_code == 204
    with db_app.app_context():
        assert store.get_draft(original) is None
        assert store.get_draft(unsent) is None
        assert found(store.get_draft(sent)).result_token == newer
    assert db_client.get(f"/d/{unsent}/1").status_code == 404
    assert db_client.get(f"/r/{newer}").status_code == 200
