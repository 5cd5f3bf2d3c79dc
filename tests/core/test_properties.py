"""Properties that must hold for every answer set of every questionnaire (hypothesis)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.core import UNKNOWN, Questionnaire, load_catalog, result_from_dict, result_to_dict, score
from assess.core.findings import rank_findings
from assess.core.tally import part_score, tally

QUESTIONNAIRES = list(load_catalog().questionnaires.values())
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def answer_sets(questionnaire: Questionnaire) -> st.SearchStrategy[dict[str, str]]:
    """Any complete answer set: each question gets one of its options or "unknown"."""
    return st.fixed_dictionaries(
        {q.id: st.sampled_from([o.id for o in q.options] + [UNKNOWN]) for q in questionnaire.questions}
    )


def each_questionnaire(test):  # type: ignore[no-untyped-def]
    return pytest.mark.parametrize("questionnaire", QUESTIONNAIRES, ids=[q.slug for q in QUESTIONNAIRES])(test)


def answered_weight_share(questionnaire: Questionnaire, answers: dict[str, str], part: str) -> float:
    """The answered share of a part's weight, computed independently of the scoring code."""
    dims = questionnaire.dimensions_in(part)
    total = sum(d.weight for d in dims)
    answered = 0.0
    for dim in dims:
        questions = questionnaire.questions_in(dim.id)
        dim_weight = sum(q.weight for q in questions)
        answered += dim.weight * sum(q.weight for q in questions if answers[q.id] != UNKNOWN) / dim_weight
    return answered / total


@each_questionnaire
@SETTINGS
@given(data=st.data())
def test_every_score_is_in_range_or_null(questionnaire: Questionnaire, data: st.DataObject) -> None:
    result = score(questionnaire, data.draw(answer_sets(questionnaire)))
    scores = [p.score for p in result.parts.values()] + [d.score for d in result.dimensions]
    scores += [c.exposure for c in result.challenges]
    assert all(s is None or 0 <= s <= 100 for s in scores)
    assert all(0 <= p.confidence <= 1 for p in result.parts.values())


@each_questionnaire
@SETTINGS
@given(data=st.data())
def test_confidence_equals_the_answered_share_of_the_weight(questionnaire: Questionnaire, data: st.DataObject) -> None:
    answers = data.draw(answer_sets(questionnaire))
    result = score(questionnaire, answers)
    for part in questionnaire.parts:
        assert result.parts[part.id].confidence == pytest.approx(answered_weight_share(questionnaire, answers, part.id))


@each_questionnaire
@SETTINGS
@given(data=st.data())
def test_turning_an_answer_unknown_lowers_confidence_and_fabricates_no_points(
    questionnaire: Questionnaire, data: st.DataObject
) -> None:
    answers = data.draw(answer_sets(questionnaire))
    known = [q for q in questionnaire.questions if answers[q.id] != UNKNOWN]
    if not known:
        return
    question = data.draw(st.sampled_from(known))
    before = score(questionnaire, answers)
    after = score(questionnaire, {**answers, question.id: UNKNOWN})
    part = questionnaire.dimension(question.dimension).part
    assert after.parts[part].confidence < before.parts[part].confidence
    # The dimension's points won can only drop (the answer's points leave the sum, nothing is added).
    won_before = tally(questionnaire, answers)[question.dimension].won
    won_after = tally(questionnaire, {**answers, question.id: UNKNOWN})[question.dimension].won
    assert won_after == pytest.approx(won_before - question.weight * question.option(answers[question.id]).points)


@each_questionnaire
@SETTINGS
@given(data=st.data())
def test_raising_one_answer_never_lowers_its_dimension_or_the_overall(
    questionnaire: Questionnaire, data: st.DataObject
) -> None:
    answers = data.draw(answer_sets(questionnaire))
    known = [q for q in questionnaire.questions if answers[q.id] != UNKNOWN]
    if not known:
        return
    question = data.draw(st.sampled_from(known))
    current = question.option(answers[question.id]).points
    better = [o.id for o in question.options if o.points > current]
    if not better:
        return
    raised = {**answers, question.id: data.draw(st.sampled_from(better))}
    sums_before, sums_after = tally(questionnaire, answers), tally(questionnaire, raised)
    assert sums_after[question.dimension].score >= sums_before[question.dimension].score  # type: ignore[operator]
    part = questionnaire.dimension(question.dimension).part
    before_score, _ = part_score(questionnaire, part, sums_before)
    after_score, _ = part_score(questionnaire, part, sums_after)
    assert after_score >= before_score  # type: ignore[operator]
    assert score(questionnaire, raised).parts[part].score >= score(questionnaire, answers).parts[part].score  # type: ignore[operator]


@each_questionnaire
@SETTINGS
@given(data=st.data())
def test_scoring_is_deterministic(questionnaire: Questionnaire, data: st.DataObject) -> None:
    answers = data.draw(answer_sets(questionnaire))
    shuffled = dict(reversed(list(answers.items())))
    assert score(questionnaire, answers) == score(questionnaire, answers) == score(questionnaire, shuffled)


@each_questionnaire
@SETTINGS
@given(data=st.data())
def test_every_finding_names_real_questions(questionnaire: Questionnaire, data: st.DataObject) -> None:
    result = score(questionnaire, data.draw(answer_sets(questionnaire)))
    ids = {q.id for q in questionnaire.questions}
    for flag in result.flags:
        assert flag.questions
        assert set(flag.questions) <= ids
    for item in (*result.recommendations, *result.action_plan, *result.fixes, *result.pitch_advice):
        assert item.questions
        assert set(item.questions) <= ids
    for dimension in result.dimensions:
        assert dimension.questions
        assert set(dimension.answered) <= set(dimension.questions)


@each_questionnaire
def test_all_unknown_scores_nothing(questionnaire: Questionnaire) -> None:
    result = score(questionnaire, {})
    assert all(p.score is None and p.confidence == 0 for p in result.parts.values())


@each_questionnaire
@SETTINGS
@given(data=st.data())
def test_a_stored_result_rebuilds_to_the_same_result(questionnaire: Questionnaire, data: st.DataObject) -> None:
    """What the store keeps (result_to_dict, through JSON) rebuilds to an equal Result, field types included."""
    result = score(questionnaire, data.draw(answer_sets(questionnaire)))
    stored = json.loads(json.dumps(result_to_dict(result)))
    rebuilt = result_from_dict(stored)
    assert rebuilt == result
    assert all(isinstance(c.exposure, float | None) for c in rebuilt.challenges)
    assert isinstance(rebuilt.dimensions, tuple)
    assert isinstance(rebuilt.action_plan, tuple)


def runs_of_six(text: str) -> set[str]:
    """Every run of six words in `text`, lower-cased."""
    words = re.findall(r"[a-z']+", text.lower())
    return {" ".join(words[i : i + 6]) for i in range(len(words) - 5)}


@each_questionnaire
@SETTINGS
@given(data=st.data())
def test_no_two_findings_give_the_same_advice_in_other_words(questionnaire: Questionnaire, data: st.DataObject) -> None:
    """rank_findings says advice two criteria share once, when a later action holds an earlier one whole. Paraphrases
    slipped past it: a strategist read "involve the departments that push back early, and show them results in
    their own terms" in a red flag, then again in a plan step. No run of six words is in two findings' actions."""
    answers = data.draw(answer_sets(questionnaire))
    seen: dict[str, str] = {}
    for finding in rank_findings(questionnaire, score(questionnaire, answers), answers):
        for run in runs_of_six(finding.action):
            first = seen.setdefault(run, finding.title)
            assert first == finding.title, f"{run!r} is advised under {first!r} and again under {finding.title!r}"
