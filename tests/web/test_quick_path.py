"""The quick path: a few questions on one page, a result with its confidence, and "Go deeper" in the same draft;
and team respondents asked only what their department can answer."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess import store
from assess.core import UNKNOWN
from assess.core.model import QUICK_MAX
from assess.web.forms import LABEL_FIELD, question_field
from tests.helpers import Walker, checked_value, csrf_token

SLUGS = ("employer-readiness", "role-audit", "org-readiness")


def start_quick(client: FlaskClient, slug: str) -> str:
    intro = client.get(f"/q/{slug}").get_data(as_text=True)
    assert "Start the quick check" in intro
    response = client.post(f"/q/{slug}/start?path=quick", data={"csrf_token": csrf_token(intro)})
    assert response.status_code == 302
    match = re.search(r"/d/([A-Za-z0-9_-]+)/quick$", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def quick_data(client: FlaskClient, token: str, answers: dict[str, str], action: str) -> dict[str, str]:
    page = client.get(f"/d/{token}/quick")
    assert page.status_code == 200
    return {"csrf_token": csrf_token(page.get_data(as_text=True)), "action": action} | {
        question_field(qid): option for qid, option in answers.items()
    }


@pytest.mark.parametrize("slug", SLUGS)
def test_quick_page_asks_only_the_quick_questions(client: FlaskClient, app: Flask, slug: str) -> None:
    questionnaire = app.extensions["catalog"].get(slug)
    token = start_quick(client, slug)
    page = client.get(f"/d/{token}/quick").get_data(as_text=True)
    asked = set(re.findall(r'name="(q_[a-z0-9_]+)" type="radio"', page))
    assert asked == {question_field(qid) for qid in questionnaire.quick}
    assert 0 < len(asked) <= QUICK_MAX
    assert f"Quick check: {len(asked)} questions" in page
    assert "Go deeper" in page


def test_quick_result_keeps_the_rest_unknown_and_states_its_confidence(client: FlaskClient, app: Flask) -> None:
    questionnaire = app.extensions["catalog"].get("role-audit")
    token = start_quick(client, "role-audit")
    answers = {qid: questionnaire.question(qid).options[0].id for qid in questionnaire.quick}
    data = quick_data(client, token, answers, "result") | {LABEL_FIELD: "My role, quickly"}
    response = client.post(f"/d/{token}/quick", data=data)
    assert response.status_code == 302
    result_token = re.search(r"/r/([A-Za-z0-9_-]+)$", response.headers["Location"]).group(1)  # type: ignore[union-attr]
    page = client.get(f"/r/{result_token}").get_data(as_text=True)
    assert "My role, quickly" in page
    assert f"{len(answers)} of {len(questionnaire.questions)} questions answered" in page  # the confidence, stated
    assert "Confidence: moderate." in page
    with app.app_context():
        stored = store.get_assessment(result_token)
        assert stored is not None
        assert {qid for qid, answer in stored.answers.items() if answer != UNKNOWN} == set(answers)
        assert stored.result["verdict"]["id"] == "strategist"


def test_go_deeper_continues_the_same_draft_with_the_quick_answers(client: FlaskClient, app: Flask) -> None:
    questionnaire = app.extensions["catalog"].get("employer-readiness")
    token = start_quick(client, "employer-readiness")
    first = questionnaire.question(questionnaire.quick[0])
    response = client.post(
        f"/d/{token}/quick", data=quick_data(client, token, {first.id: first.options[0].id}, "deeper")
    )
    assert response.status_code == 302
    step = re.search(rf"/d/{token}/(\d+)$", response.headers["Location"])
    assert step
    assert step.group(1) == "1"  # the first section still has open questions
    page = client.get(f"/d/{token}/1").get_data(as_text=True)
    assert checked_value(page, question_field(first.id)) == first.options[0].id
    # The resume link now continues the full questionnaire, not the quick page.
    assert client.get(f"/d/{token}").headers["Location"].endswith(f"/d/{token}/1")


def test_resume_link_of_a_quick_draft_opens_the_quick_page(client: FlaskClient, app: Flask) -> None:
    token = start_quick(client, "org-readiness")
    assert client.post(f"/d/{token}/quick", data=quick_data(client, token, {}, "save")).status_code == 302
    assert client.get(f"/d/{token}").headers["Location"].endswith(f"/d/{token}/quick")


def test_a_wrong_quick_answer_is_refused_naming_it_and_keeps_the_rest(client: FlaskClient, app: Flask) -> None:
    questionnaire = app.extensions["catalog"].get("org-readiness")
    token = start_quick(client, "org-readiness")
    good, bad = questionnaire.quick[0], questionnaire.quick[1]
    answers = {good: questionnaire.question(good).options[0].id, bad: "nope"}
    response = client.post(f"/d/{token}/quick", data=quick_data(client, token, answers, "result"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    fieldset = re.search(rf'<fieldset[^>]*id="{question_field(bad)}".*?</fieldset>', html, re.S)
    assert fieldset
    assert "Not a valid choice" in fieldset.group(0)
    assert checked_value(html, question_field(good)) == answers[good]


def test_team_respondent_gets_only_their_departments_questions(client: FlaskClient, app: Flask) -> None:
    questionnaire = app.extensions["catalog"].get("org-readiness")
    form = client.get("/teams/new")
    made = client.post("/teams/new", data={"csrf_token": csrf_token(form.get_data(as_text=True)), "name": "Acme"})
    admin = re.search(r"/t/([A-Za-z0-9_-]+)$", made.headers["Location"]).group(1)  # type: ignore[union-attr]
    respondent = re.search(r"/t/join/([A-Za-z0-9_-]+)", client.get(f"/t/{admin}").get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    join = client.get(f"/t/join/{respondent}")
    response = client.post(
        f"/t/join/{respondent}", data={"csrf_token": csrf_token(join.get_data(as_text=True)), "department": "it"}
    )
    token = re.search(r"/d/([A-Za-z0-9_-]+)/1$", response.headers["Location"]).group(1)  # type: ignore[union-attr]
    walker = Walker(client, questionnaire, "it")
    asked = {q.id for q in questionnaire.questions if q.asked_in_team("it")}
    seen: set[str] = set()
    for step in range(1, len(walker.sections) + 1):
        page = client.get(f"/d/{token}/{step}").get_data(as_text=True)
        seen |= set(re.findall(r'name="(q_[a-z0-9_]+)" type="radio"', page))
    assert seen == {question_field(qid) for qid in asked}
    assert not any(question_field(q.id) in seen for q in questionnaire.questions_in_part("hiring"))
    assert client.get(f"/d/{token}/{len(walker.sections) + 1}").status_code == 404
    assert client.get(f"/d/{token}/quick").status_code == 404  # team respondents answer their department's path
    walker.answer_all(token, {q.id: q.options[0].id for q in questionnaire.questions})
    review = client.get(f"/d/{token}/review").get_data(as_text=True)
    assert f"{len(asked)} of {len(asked)} questions answered" in review
    client.post(f"/d/{token}/submit", data={"csrf_token": csrf_token(review)})
    with app.app_context():
        team = store.get_team_by_admin(admin)
        assert team is not None
        (response_row,) = store.team_responses(team)
        given = {qid for qid, answer in response_row.answers.items() if answer != UNKNOWN}
        assert given == asked
