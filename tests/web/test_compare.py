"""Side by side: a candidate's result beside the organisation's result or team, only with both links."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from assess import store
from assess.extensions import db
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


def compare_token_of(app: Flask, admin: str) -> str:
    """The compare token of the team with this manager token."""
    with app.app_context():
        team = store.get_team_by_admin(admin)
        assert team is not None
        return team.compare_token


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
    response = client.get(f"/compare/{organisation}/{candidate}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/compare/{candidate}/{organisation}")
    assert client.get(response.headers["Location"]).status_code == 200


def test_a_team_can_stand_for_the_organisation_and_its_manager_token_never_sits_in_the_address(
    client: FlaskClient, app: Flask
) -> None:
    """Defects: the comparison's address carried the team's manager token, so whoever saw it could delete the team;
    then the respondent token, so whoever it was passed on to could answer for the team. It carries the team's
    compare token, which opens nothing else."""
    admin, respondent = create_team(client)
    for _ in range(3):
        respond(app, respondent, "marketing", 1.0)
    candidate = result_at(client, app, "employer-readiness", 0.0)
    compare_token = compare_token_of(app, admin)
    assert compare_token not in (admin, respondent)
    pasted = compare(client, candidate, f"http://localhost/t/{admin}")
    assert pasted.status_code == 302
    assert pasted.headers["Location"].endswith(f"/compare/{candidate}/{compare_token}")
    html = client.get(pasted.headers["Location"]).get_data(as_text=True)
    assert "team of 3" in html
    assert admin not in html
    assert respondent not in html
    old = client.get(f"/compare/{candidate}/{admin}")  # an address saved before: moved to the compare token
    assert old.status_code == 302
    assert old.headers["Location"].endswith(f"/compare/{candidate}/{compare_token}")
    # The compare token opens only the comparison: not the team's page, its answering page or its API.
    assert client.get(f"/t/{compare_token}").status_code == 404
    assert client.get(f"/t/join/{compare_token}").status_code == 404
    assert client.get(f"/api/v1/teams/{compare_token}").status_code == 404


def test_the_link_colleagues_answer_with_opens_no_team_figures(client: FlaskClient, app: Flask) -> None:
    """Defect: the respondent link, which every colleague asked to answer holds, showed the team's medians and
    ranges through /compare, figures only the manager's link should read. It is refused beside its field, with what
    was pasted kept, and so is an address that carries it."""
    _, respondent = create_team(client)
    for _ in range(3):
        respond(app, respondent, "marketing", 1.0)
    candidate = result_at(client, app, "employer-readiness", 0.0)
    pasted = compare(client, candidate, f"http://localhost/t/join/{respondent}")
    assert pasted.status_code == 422
    html = pasted.get_data(as_text=True)
    assert "This is the link colleagues answer with" in html
    assert f'value="http://localhost/t/join/{respondent}"' in html
    assert "team of 3" not in html
    saved = client.get(f"/compare/{candidate}/{respondent}")
    assert saved.status_code == 422
    assert "This is the link colleagues answer with" in saved.get_data(as_text=True)
    assert "team of 3" not in saved.get_data(as_text=True)


def test_two_candidates_cannot_be_compared_and_the_page_keeps_both_links(client: FlaskClient, app: Flask) -> None:
    first = result_at(client, app, "employer-readiness", 0.0)
    second = result_at(client, app, "employer-readiness", 1.0)
    response = client.get(f"/compare/{first}/{second}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This is not the organisation&#39;s view" in html or "This is not the organisation's view" in html
    assert f'value="{second}"' in html


def test_a_wrong_kind_of_link_is_named_beside_its_field_and_nothing_pasted_is_lost(
    client: FlaskClient, app: Flask
) -> None:
    """Defect: a role audit's link gave a bare "Unprocessable Entity" page and lost what was pasted."""
    audit = result_at(client, app, "role-audit", 0.5)
    organisation = result_at(client, app, "org-readiness", 0.5)
    response = compare(client, audit, organisation)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Unprocessable Entity" not in html
    assert "error-summary" in html
    assert "This is not a candidate" in html
    assert f'value="http://localhost/r/{audit}"' in html
    assert f'value="{organisation}"' in html


def test_equal_scores_read_the_same_never_candidate_0_higher(client: FlaskClient, app: Flask) -> None:
    """Defect: a difference under half a point was printed as "candidate 0 higher"."""
    candidate = result_at(client, app, "employer-readiness", 0.5)
    organisation = result_at(client, app, "org-readiness", 0.5)
    with app.app_context():
        first, second = store.get_assessment(candidate), store.get_assessment(organisation)
        moved = dict(first.result)
        moved["dimensions"] = [dict(d) for d in first.result["dimensions"]]
        other = {d["id"]: d["score"] for d in second.result["dimensions"]}
        for dimension in moved["dimensions"]:
            if other.get(dimension["id"]) is not None:
                # the same whole number as the organisation's, a few tenths off it
                dimension["score"] = float(f"{other[dimension['id']]:.0f}") + 0.3
        first.result = moved
        db.session.commit()
    html = client.get(f"/compare/{candidate}/{organisation}").get_data(as_text=True)
    assert "candidate 0 higher" not in html
    assert "organisation 0 higher" not in html
    assert "the same" in html


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
    html = client.get(f"/compare/{candidate}/{admin}", follow_redirects=True).get_data(as_text=True)
    ownership = html.split("Ownership and teamwork</th>")[1].split("</tr>")[0]
    assert '50 <span class="range">(0 to 100)</span>' in ownership  # the median, then the respondents' range
    assert "some respondents agree with the candidate" in ownership
    assert "organisation" not in ownership.split("</td>")[-2]  # not "organisation N higher"
    assert "Team median" in html


def test_a_team_split_on_what_the_candidate_sees_says_so_instead_of_all_agree(client: FlaskClient, app: Flask) -> None:
    """Defect: with the candidate near the team's median everywhere, the page said "the two views agree" while
    every row said the respondents disagree. It now says the candidate is near the median, then names the
    dimensions on which the team itself lies far apart, and what to do about it."""
    admin, respondent = create_team(client)
    for level in (0.0, 0.0, 0.3):
        respond(app, respondent, "marketing", level)
    for level in (0.0, 0.3, 0.6):
        respond(app, respondent, "it", level)
    respond(app, respondent, "pr", 1.0)
    candidate = result_at(client, app, "employer-readiness", 0.3)
    html = client.get(f"/compare/{candidate}/{admin}", follow_redirects=True).get_data(as_text=True)
    assert "agree within a few points" not in html
    assert "within a few points of the team&#39;s median on every dimension" in html
    split = html.split('<p class="team-split">')[1].split("</p>")[0]
    assert "far apart on" in split
    assert "Settle that within the team" in split
    for title in ("Leadership and backing", "Financial footing"):
        assert title in split


def test_a_single_organisation_result_is_named_as_such(client: FlaskClient, app: Flask) -> None:
    candidate = result_at(client, app, "employer-readiness", 0.5)
    organisation = result_at(client, app, "org-readiness", 0.5)
    html = client.get(f"/compare/{candidate}/{organisation}").get_data(as_text=True)
    assert "Team median" not in html
    assert 'data-label="Organisation"' in html
    assert "team-split" not in html


def test_the_team_page_compares_a_candidate_with_one_paste(client: FlaskClient, app: Flask) -> None:
    """The manager pastes only the candidate's link on the team's page: the team's side is the page's own."""
    admin, respondent = create_team(client)
    early = client.get(f"/t/{admin}").get_data(as_text=True)
    assert 'class="compare-form"' not in early  # nothing to compare before three have answered
    assert "Once 3 colleagues have answered" in early
    for _ in range(3):
        respond(app, respondent, "marketing", 1.0)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    form = page.split('<form class="compare-form"')[1].split("</form>")[0]
    assert 'name="candidate"' in form
    assert 'for="compare-candidate"' in form
    candidate = result_at(client, app, "employer-readiness", 0.0)
    sent = client.post(
        "/compare",
        data={"csrf_token": csrf_token(page), "organisation": admin, "candidate": f"http://localhost/r/{candidate}"},
    )
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(f"/compare/{candidate}/{compare_token_of(app, admin)}")
    assert "team of 3" in client.get(sent.headers["Location"]).get_data(as_text=True)
    empty = client.post("/compare", data={"csrf_token": csrf_token(page), "organisation": admin, "candidate": ""})
    assert empty.status_code == 422
    assert "Paste the candidate" in empty.get_data(as_text=True)
