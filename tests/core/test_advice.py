"""Advice: recommendations, interview questions and plans name their questions and come in order."""

from __future__ import annotations

from assess.core import UNKNOWN, Questionnaire, score


def test_interview_questions_come_from_unknown_and_weak_answers_only(mini: Questionnaire) -> None:
    result = score(mini, {"a1": "best", "a2": "none", "b1": UNKNOWN})
    asked = {(q.question, q.reason) for q in result.interview_questions}
    assert asked == {("a2", "weak"), ("b1", "unknown")}


def test_interview_questions_carry_their_criterion_and_why(mini: Questionnaire) -> None:
    result = score(mini, {"a2": "none"})
    first = next(q for q in result.interview_questions if q.question == "a2")
    assert first.criterion == "ER-TWO"
    assert first.ask == "Ask about a2."
    assert first.why == "The second criterion."


def test_interview_questions_weightiest_first(mini: Questionnaire) -> None:
    # a2 carries 3/4 of alpha (weight 3 of 4): share 0.5625; a1 0.1875; b1 0.25
    result = score(mini, {})
    assert [q.question for q in result.interview_questions] == ["a2", "b1", "a1"]


def test_weak_dimension_gets_a_recommendation_naming_weak_answers(mini: Questionnaire) -> None:
    result = score(mini, {"a1": "best", "a2": "best", "b1": "no"})
    beta = next(r for r in result.recommendations if r.id == "dimension:beta")
    assert beta.text == "Fix beta."
    assert beta.questions == ("b1",)
    assert beta.criteria == ("ER-THREE",)
    # beta has weight 1 of the 4 scored: raising it from 0 to 100 adds 25 points
    assert beta.impact == 25.0


def test_flags_come_before_dimensions_in_recommendations(mini: Questionnaire) -> None:
    result = score(mini, {"a1": "none", "a2": "none", "b1": "no", "p1": "no"})
    kinds = [r.kind for r in result.recommendations]
    assert kinds == sorted(kinds, key=lambda k: 0 if k == "flag" else 1)
    assert result.recommendations[0].id == "flag:deal-breaker"


def test_strong_result_gets_no_dimension_recommendations(mini: Questionnaire) -> None:
    result = score(mini, {"a1": "best", "a2": "best", "b1": "yes", "p1": "yes"})
    assert result.recommendations == ()
    assert result.interview_questions == ()
