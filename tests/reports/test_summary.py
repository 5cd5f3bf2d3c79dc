"""The summary's "Do these first" and "At a glance", and what empty advice lists say, at the answer sets' extremes:
nothing known yet (a job seeker before the interview), everything strong, everything weak."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from assess.core import UNKNOWN, Questionnaire, score
from tests.reports.pdfs import pdf_text, squash


def all_unknown(questionnaire: Questionnaire) -> dict[str, str]:
    return {q.id: UNKNOWN for q in questionnaire.questions}


def all_best(questionnaire: Questionnaire) -> dict[str, str]:
    return {q.id: max(q.options, key=lambda o: o.points).id for q in questionnaire.questions}


def all_worst(questionnaire: Questionnaire) -> dict[str, str]:
    return {q.id: min(q.options, key=lambda o: o.points).id for q in questionnaire.questions}


def actions_in(html: str) -> list[str]:
    """The summary's "Do these first" items, as text."""
    block = re.search(r'<div class="top-actions">(.*?)</div>', html, re.S)
    assert block, "no 'Do these first' block"
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]


def test_a_job_seeker_who_knows_nothing_yet_is_told_which_questions_to_ask_first(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Questionnaire]
) -> None:
    q = questionnaire("employer-readiness")
    token, result = make_result(q.slug, all_unknown(q))
    assert not result.recommendations  # nothing scored: no flag, no weak dimension to advise on
    actions = actions_in(client.get(f"/r/{token}").get_data(as_text=True))

    criteria = list(dict.fromkeys(item.criterion for item in result.interview_questions))[:3]
    expected = [next(item for item in result.interview_questions if item.criterion == c) for c in criteria]
    assert len(actions) == 3
    for action, item in zip(actions, expected, strict=True):
        assert action == str(escape(f"Ask: {item.ask} Why it matters: {item.why}"))


def mixed_answers(q: Questionnaire) -> dict[str, str]:
    """Strong answers but for one weak answer that calls for one or two pieces of advice, and one "don't know" on
    another criterion, so the summary's actions need topping up with a question to ask."""
    for weak in q.questions:
        for unknown in q.questions:
            if not unknown.ask or unknown.criterion == weak.criterion:
                continue
            answers = all_best(q)
            answers[weak.id] = min(weak.options, key=lambda o: o.points).id
            answers[unknown.id] = UNKNOWN
            result = score(q, answers)
            covered = {c for r in result.recommendations for c in r.criteria}
            if 0 < len(result.recommendations) < 3 and any(
                i.criterion not in covered for i in result.interview_questions
            ):
                return answers
    pytest.fail("no answer set with one or two pieces of advice and a question on another criterion")


def test_a_job_seekers_advice_comes_first_and_questions_top_it_up_on_other_criteria(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Questionnaire]
) -> None:
    q = questionnaire("employer-readiness")
    token, result = make_result(q.slug, mixed_answers(q))
    actions = actions_in(client.get(f"/r/{token}").get_data(as_text=True))

    advice = result.recommendations
    assert actions[: len(advice)] == [str(escape(f"{r.title}. {r.text}")) for r in advice]
    asked = actions[len(advice) :]
    assert 1 <= len(asked) <= 3 - len(advice)
    covered = {c for r in advice for c in r.criteria}
    for action in asked:
        item = next(i for i in result.interview_questions if action.startswith(str(escape(f"Ask: {i.ask} "))))
        assert item.criterion not in covered  # a question never repeats what the advice above already covers
        covered.add(item.criterion)


@pytest.mark.parametrize("slug", ["employer-readiness", "role-audit", "org-readiness"])
def test_strong_answers_say_nothing_needs_doing_first_and_a_tie_names_no_weakest_area(
    slug: str, client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Questionnaire]
) -> None:
    q = questionnaire(slug)
    token, result = make_result(slug, all_best(q))
    summary = client.get(f"/r/{token}").get_data(as_text=True)
    assert not (result.action_plan)
    assert not (result.fixes)
    assert not (result.recommendations)
    assert not (result.interview_questions)
    assert actions_in(summary) == []
    assert "Nothing needs doing first: these answers raise no red flag" in summary

    text = squash(pdf_text(client.get(f"/r/{token}/report.pdf").data))
    main = [d for d in result.dimensions if d.part == q.main_part.id]
    assert len({d.score for d in main}) == 1  # every dimension at the top: a tie
    assert squash("Weakest area") not in text
    assert squash("Strongest area") not in text
    assert squash("Every area 100") in text


def test_weak_answers_still_name_the_strongest_and_weakest_areas_when_they_differ(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Questionnaire]
) -> None:
    q = questionnaire("role-audit")
    answers = all_worst(q)
    best_dimension = q.dimensions[0]
    for question in q.questions:
        if question.dimension == best_dimension.id:
            answers[question.id] = max(question.options, key=lambda o: o.points).id
    token, _result = make_result(q.slug, answers)
    text = squash(pdf_text(client.get(f"/r/{token}/report.pdf").data))
    assert squash(f"Strongest area {best_dimension.title}: 100") in text
    assert squash("Weakest area") in text
    assert squash("Every area") not in text


def test_an_empty_advice_list_says_which_dimensions_had_no_answers_rather_than_none_was_weak(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Questionnaire]
) -> None:
    q = questionnaire("employer-readiness")
    token, _ = make_result(q.slug, all_unknown(q))
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert "No dimension has a score yet: every answer was “Don’t know”." in html
    assert "no dimension scored weak" not in html

    answers = all_best(q)
    blank = q.dimensions[0]
    for question in q.questions:
        if question.dimension == blank.id:
            answers[question.id] = UNKNOWN
    token, result = make_result(q.slug, answers)
    assert not result.recommendations
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert (
        f"No scored dimension is weak. 1 could not be scored, because every answer on it was “Don’t know”: "
        f"{escape(blank.title)}." in html
    )
