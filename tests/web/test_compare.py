"""Side by side: a candidate's result beside the organisation's result or team, only with both links."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from tests.helpers import Walker, csrf_token
from tests.web.test_teams import create_team, respond


def result_at(client: FlaskClient, app: Flask, slug: str, level: float) -> str:
    questionnaire = app.extensions["catalog"].get(slug)
    walker = Walker(client, questionnaire)
    token = walker.start()
    answers = {}
    for q in questionnaire.questions:
        ordered = sorted(q.options, key=lambda o: o.points)
        answers[q.id] = ordered[round(level * (len(ordered) - 1))].id
    walker.answer_all(token, answers)
    return walker.submit(token)


def compare(client: FlaskClient, first: str, second: str):  # type: ignore[no-untyped-def]
    form = client.get("/compare")
    return client.post(
        "/compare",
        data={
            "csrf_token": csrf_token(form.get_data(as_text=True)),
            "candidate": f"http://localhost/r/{first}",
            "organisation": second,
        },
    )


def test_candidate_beside_organisation_shows_gaps_and_questions(client: FlaskClient, app: Flask) -> None:
    candidate = result_at(client, app, "employer-readiness", 0.0)
    organisation = result_at(client, app, "org-readiness", 1.0)
    response = compare(client, candidate, organisation)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Two views of one employer" in html
    assert "organisation 100 higher" in html
    org = app.extensions["catalog"].get("org-readiness")
    asked = next(q.ask for q in org.questions_in("ownership") if q.ask)
    assert str(escape(asked)) in html


def test_links_may_come_in_either_order(client: FlaskClient, app: Flask) -> None:
    candidate = result_at(client, app, "employer-readiness", 0.5)
    organisation = result_at(client, app, "org-readiness", 0.5)
    assert client.get(f"/compare/{organisation}/{candidate}").status_code == 200


def test_a_team_can_stand_for_the_organisation(client: FlaskClient, app: Flask) -> None:
    admin, respondent = create_team(client)
    for _ in range(3):
        respond(app, respondent, "marketing", 1.0)
    candidate = result_at(client, app, "employer-readiness", 0.0)
    html = client.get(f"/compare/{candidate}/{admin}").get_data(as_text=True)
    assert "team of 3" in html


def test_a_team_link_for_respondents_is_not_enough(client: FlaskClient, app: Flask) -> None:
    _, respondent = create_team(client)
    candidate = result_at(client, app, "employer-readiness", 0.0)
    assert client.get(f"/compare/{candidate}/{respondent}").status_code == 404


def test_two_candidates_cannot_be_compared(client: FlaskClient, app: Flask) -> None:
    first = result_at(client, app, "employer-readiness", 0.0)
    second = result_at(client, app, "employer-readiness", 1.0)
    response = client.get(f"/compare/{first}/{second}")
    assert response.status_code == 422
    assert "needs one candidate" in response.get_data(as_text=True)


def test_nonsense_links_are_refused_naming_the_field(client: FlaskClient) -> None:
    form = client.get("/compare")
    response = client.post(
        "/compare",
        data={"csrf_token": csrf_token(form.get_data(as_text=True)), "candidate": "hello", "organisation": ""},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "does not look like an Escape Velocity result link" in html
    assert "Paste the organisation" in html
    assert 'value="hello"' in html  # what was typed is kept
    assert re.search(r'id="candidate"', html)


def test_a_team_shows_its_spread_and_where_some_respondents_side_with_the_candidate(
    client: FlaskClient, app: Flask
) -> None:
    """Three marketers rate everything best, three IT colleagues worst, and the candidate agrees with IT: the team's
    median alone would call the organisation far ahead; its spread shows that some respondents see it as they do."""
    admin, respondent = create_team(client)
    for level in (1.0, 1.0, 1.0):
        respond(app, respondent, "marketing", level)
    for level in (0.0, 0.0, 0.0):
        respond(app, respondent, "it", level)
    candidate = result_at(client, app, "employer-readiness", 0.0)
    html = client.get(f"/compare/{candidate}/{admin}").get_data(as_text=True)
    ownership = html.split("Ownership and teamwork</th>")[1].split("</tr>")[0]
    assert "(median; respondents 0 to 100)" in ownership
    assert "respondents disagree; some see it as the candidate does" in ownership
    assert "organisation" not in ownership.split("</td>")[-2]  # not "organisation N higher"
