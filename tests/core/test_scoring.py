"""Scoring, worked out by hand on the mini questionnaire: scores, bands, confidence, flags, caps."""

from __future__ import annotations

import pytest

from assess.core import UNKNOWN, AnswerError, Questionnaire, score

ALL_BEST = {"a1": "best", "a2": "best", "b1": "yes", "p1": "yes"}


@pytest.mark.parametrize(
    ("answers", "overall", "band", "alpha", "beta"),
    [
        (ALL_BEST, 100.0, "high", 100.0, 100.0),
        # alpha = (1x2 + 3x1) / (1x4 + 3x4) = 31.25; beta = 0; overall = (3 x 31.25 + 0) / 4
        ({"a1": "half", "a2": "some", "b1": "no", "p1": "yes"}, 23.4, "low", 31.2, 0.0),
        # alpha = 12/16 = 75, beta = 100: overall 81.25, but the critical flag caps the band at "middle"
        ({"a1": "none", "a2": "best", "b1": "yes", "p1": "no"}, 81.2, "middle", 75.0, 100.0),
        # only a2 known: alpha 25, beta unscored, so the overall is alpha's score alone
        ({"a2": "some"}, 25.0, "low", 25.0, None),
    ],
)
def test_scores_match_hand_computation(
    mini: Questionnaire, answers: dict[str, str], overall: float, band: str, alpha: float, beta: float | None
) -> None:
    result = score(mini, answers)
    assert result.overall.score == overall
    assert result.overall.band == band
    assert result.dimension("alpha").score == alpha
    assert result.dimension("beta").score == beta


def test_critical_flag_caps_the_band_and_says_so(mini: Questionnaire) -> None:
    result = score(mini, {"a1": "none", "a2": "best", "b1": "yes", "p1": "no"})
    assert [f.id for f in result.flags] == ["deal-breaker"]
    assert result.flags[0].questions == ("a1", "p1")
    assert result.overall.capped is True
    assert result.overall.band_label == "Middle"


def test_warning_flag_does_not_cap(mini: Questionnaire) -> None:
    result = score(mini, {"a1": "best", "a2": "best", "b1": "no", "p1": "yes"})
    assert [f.id for f in result.flags] == ["low-beta"]
    assert result.flags[0].questions == ("b1",)
    assert result.overall.capped is False


def test_unknown_answers_lower_confidence_not_score(mini: Questionnaire) -> None:
    result = score(mini, {"a2": "best"})
    # alpha: a2 carries 3 of alpha's 4 question weight; beta unanswered; dimension weights 3 and 1.
    assert result.dimension("alpha").confidence == pytest.approx(0.75)
    assert result.overall.confidence == pytest.approx((3 * 0.75 + 1 * 0) / 4)
    assert result.overall.score == 100.0
    assert result.overall.answered == 1
    assert result.overall.total == 3


def test_all_unknown_gives_no_score_and_no_band(mini: Questionnaire) -> None:
    result = score(mini, {})
    assert result.overall.score is None
    assert result.overall.band is None
    assert result.overall.confidence == 0.0
    assert all(d.score is None for d in result.dimensions)
    assert result.flags == ()


def test_pitch_is_scored_apart_from_the_employer(mini: Questionnaire) -> None:
    strong_employer_weak_pitch = score(mini, {"a1": "best", "a2": "best", "b1": "yes", "p1": "no"})
    assert strong_employer_weak_pitch.overall.score == 100.0
    assert strong_employer_weak_pitch.parts["pitch"].score == 0.0
    assert strong_employer_weak_pitch.parts["pitch"].band == "weak"
    assert [r.id for r in strong_employer_weak_pitch.pitch_advice] == ["question:p1"]


def test_dimension_lists_its_questions_and_the_answered_ones(mini: Questionnaire) -> None:
    result = score(mini, {"a1": "best", "a2": UNKNOWN})
    alpha = result.dimension("alpha")
    assert alpha.questions == ("a1", "a2")
    assert alpha.answered == ("a1",)


@pytest.mark.parametrize(
    ("answers", "code", "field"),
    [
        ({"zz": "best"}, "unknown_question", "zz"),
        ({"a1": "maybe"}, "unknown_option", "a1"),
        ({"a1": 4}, "invalid_answer", "a1"),
        ({"a1": None}, "invalid_answer", "a1"),
    ],
)
def test_bad_answers_name_the_field(mini: Questionnaire, answers: dict[str, object], code: str, field: str) -> None:
    with pytest.raises(AnswerError) as caught:
        score(mini, answers)
    assert caught.value.code == code
    assert caught.value.field == field
    assert field in caught.value.message


def test_challenge_exposure_is_the_shortfall_of_tagged_answers(mini: Questionnaire) -> None:
    result = score(mini, {"a1": "half", "a2": "none", "b1": "yes"})
    exposure = {c.id: c for c in result.challenges}
    # CH-CULTURE: a1 (2 of 4) and b1 (2 of 2), weights 1 and 1: won 4 of 6 -> exposure 33.3
    assert exposure["CH-CULTURE"].exposure == 33.3
    assert exposure["CH-CULTURE"].questions == ("a1", "b1")
    # CH-ROI: a2 none -> fully exposed
    assert exposure["CH-ROI"].exposure == 100.0
