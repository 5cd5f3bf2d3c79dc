"""The ranked findings list: one item per criterion, ranked by what acting on it changes, and honest when little
is known."""

from __future__ import annotations

from typing import Any

import pytest

from assess.core import UNKNOWN, Catalog, Questionnaire, score
from assess.core.findings import (
    FIRM_CONFIDENCE,
    LOW_CONFIDENCE,
    confidence_words,
    is_low_confidence,
    rank_findings,
)

SLUGS = ["employer-readiness", "role-audit", "org-readiness"]


def best(q: Questionnaire) -> dict[str, str]:
    return {x.id: max(x.options, key=lambda o: o.points).id for x in q.questions}


def worst(q: Questionnaire) -> dict[str, str]:
    return {x.id: min(x.options, key=lambda o: o.points).id for x in q.questions}


def unknown(q: Questionnaire) -> dict[str, str]:
    return {x.id: UNKNOWN for x in q.questions}


def mixed(q: Questionnaire) -> dict[str, str]:
    """Every fourth question unknown, the rest walking through the options."""
    return {x.id: UNKNOWN if i % 4 == 0 else x.options[(i * 3) % len(x.options)].id for i, x in enumerate(q.questions)}


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("answers", [best, worst, unknown, mixed])
def test_one_finding_per_criterion_with_a_plain_title_an_action_and_a_reason(
    catalog: Catalog, slug: str, answers: object
) -> None:
    q = catalog.get(slug)
    given = answers(q)  # type: ignore[operator]
    findings = rank_findings(q, score(q, given), given)
    criteria = [f.criterion for f in findings]
    assert len(criteria) == len(set(criteria))
    for finding in findings:
        assert finding.title
        assert finding.action
        assert finding.why
        assert finding.criterion not in finding.title  # plain words, never the id
        own = {x.id for x in q.questions if x.criterion == finding.criterion}
        assert set(finding.questions) <= {x.id for x in q.questions}
        if own:  # a flag on one of the six challenges rests only on the answers that raised it
            assert set(finding.questions) & own


@pytest.mark.parametrize("slug", SLUGS)
def test_red_flags_lead_most_severe_first_then_weak_answers_by_what_fixing_them_adds(
    catalog: Catalog, slug: str
) -> None:
    q = catalog.get(slug)
    given = worst(q)
    result = score(q, given)
    findings = rank_findings(q, result, given)
    assert result.flags, "the weakest answers raise flags"
    states = [f.state for f in findings]
    assert states == sorted(states, key=["flag", "weak", "unknown", "strong"].index)
    severities = [f.severity for f in findings if f.state == "flag"]
    order = ["critical", "warning", "notice"]
    assert severities == sorted(severities, key=lambda s: order.index(s or "notice"))
    gains = [f.gain for f in findings if f.state == "weak"]
    assert gains == sorted(gains, reverse=True)
    assert {f.criterion for f in findings if f.state == "flag"} == {flag.criterion for flag in result.flags}


def test_two_wordings_of_one_criterion_become_one_question_to_ask(catalog: Catalog) -> None:
    q = catalog.get("employer-readiness")

    def unknown_on(criterion: str) -> dict[str, str]:
        given = best(q)
        for question in q.questions:
            if question.criterion == criterion:
                given[question.id] = UNKNOWN
        return given

    def asked_on(criterion: str) -> list[Any]:
        return [i for i in score(q, unknown_on(criterion)).interview_questions if i.criterion == criterion]

    # The first criterion, in question order, whose advice asks it in more than one wording (chosen in a fixed
    # order: a set's order changes from one process to the next).
    in_order = list(dict.fromkeys(x.criterion for x in q.questions))
    twice = next((c for c in in_order if len(asked_on(c)) > 1), None)
    assert twice is not None, "some criterion's advice asks it in more than one wording"
    given = unknown_on(twice)
    result = score(q, given)
    asked = asked_on(twice)
    findings = [f for f in rank_findings(q, result, given) if f.criterion == twice]
    assert len(findings) == 1
    assert findings[0].action == asked[0].ask  # the weightiest wording, once
    assert findings[0].state == "unknown"


@pytest.mark.parametrize("slug", SLUGS)
def test_when_little_is_known_the_questions_that_would_tell_come_first(catalog: Catalog, slug: str) -> None:
    q = catalog.get(slug)
    given = worst(q)
    main = [x for x in q.questions if q.dimension(x.dimension).part == q.main_part.id]
    for question in main[: int(len(main) * 0.75)]:  # three quarters unknown: low confidence
        given[question.id] = UNKNOWN
    result = score(q, given)
    assert is_low_confidence(result.overall.confidence)
    findings = rank_findings(q, result, given)
    first = next(i for i, f in enumerate(findings) if f.state != "unknown")
    assert first > 0
    assert all(f.state != "unknown" for f in findings[first:] if f.part == q.main_part.id)
    for finding in findings[:first]:
        assert finding.action == finding.ask  # the question that would tell


def test_answers_given_well_are_kept_only_to_confirm_or_probe(catalog: Catalog) -> None:
    seeker = catalog.get("employer-readiness")
    strong = rank_findings(seeker, score(seeker, best(seeker)), best(seeker))
    assert strong
    assert all(f.state == "strong" and f.part == seeker.main_part.id for f in strong)
    strategist = catalog.get("role-audit")
    assert rank_findings(strategist, score(strategist, best(strategist)), best(strategist)) == ()


@pytest.mark.parametrize(
    ("confidence", "word", "low"),
    [
        (0.0, "low", True),
        (LOW_CONFIDENCE - 0.01, "low", True),
        (LOW_CONFIDENCE, "moderate", False),
        (FIRM_CONFIDENCE - 0.01, "moderate", False),
        (FIRM_CONFIDENCE, "high", False),
        (1.0, "high", False),
    ],
)
def test_confidence_in_words_and_the_low_confidence_threshold(confidence: float, word: str, low: bool) -> None:
    assert confidence_words(confidence) == word
    assert is_low_confidence(confidence) is low
