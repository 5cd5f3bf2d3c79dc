"""Several raters for one organisation: medians and spreads of known sets, and nobody singled out."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.core import UNKNOWN, Questionnaire, Result, load_catalog, score
from assess.core.aggregate import MIN_GROUP, MIN_REST, OTHER, aggregate, capped_band

ORG = load_catalog().get("org-readiness")
DEPARTMENTS = ["marketing", "it", "pr", "support", "executive", "other"]


def at_level(questionnaire: Questionnaire, level: float) -> Result:
    """A result whose every answer sits at the given share of its question's points (0 worst, 1 best)."""
    answers = {}
    for q in questionnaire.questions:
        ordered = sorted(q.options, key=lambda o: o.points)
        answers[q.id] = ordered[round(level * (len(ordered) - 1))].id
    return score(questionnaire, answers)


def test_median_and_spread_of_a_known_set() -> None:
    results = [at_level(ORG, level) for level in (0.0, 1.0, 1.0, 0.0, 1.0)]
    summary = aggregate([("marketing", r) for r in results])
    assert summary.overall.n == 5
    assert summary.overall.median == 100.0
    assert summary.overall.low == 0.0
    assert summary.overall.high == 100.0
    assert summary.overall.spread == 100.0
    assert summary.overall.disagreement


def test_even_count_takes_the_mean_of_the_middle_two() -> None:
    results = [at_level(ORG, level) for level in (0.0, 0.0, 1.0, 1.0)]
    assert aggregate([("it", r) for r in results]).overall.median == 50.0


def test_agreement_is_not_called_disagreement() -> None:
    summary = aggregate([("it", at_level(ORG, 1.0)) for _ in range(4)])
    assert summary.overall.spread == 0.0
    assert not summary.overall.disagreement
    assert not any(d.disagreement for d in summary.dimensions)


def test_nothing_is_shown_below_three_respondents() -> None:
    summary = aggregate([("marketing", at_level(ORG, 1.0)), ("it", at_level(ORG, 0.0))])
    assert summary.n == 2
    assert not summary.shown
    assert summary.overall.median is None
    assert summary.dimensions == ()
    assert summary.groups == ()


def test_small_departments_merge_into_other() -> None:
    responses = (
        [("marketing", at_level(ORG, 1.0))] * 3 + [("it", at_level(ORG, 0.0))] * 2 + [("pr", at_level(ORG, 0.5))]
    )
    summary = aggregate(responses)
    assert [(g.name, g.n) for g in summary.groups] == [("marketing", 3), ("other", 3)]


def test_marketing_and_it_disagreeing_on_ownership_is_a_divide() -> None:
    responses = [("marketing", at_level(ORG, 1.0))] * 3 + [("it", at_level(ORG, 0.0))] * 3
    summary = aggregate(responses)
    divides = summary.divides_between("marketing", "it")
    ownership = next(d for d in divides if d.dimension == "ownership")
    assert ownership.gap == 100.0
    assert summary.dimensions[0].disagreement


def test_flags_raised_by_enough_respondents_are_listed_with_their_share() -> None:
    responses = [("it", at_level(ORG, 0.0))] * 2 + [("it", at_level(ORG, 1.0))] * 4
    summary = aggregate(responses, flag_share=0.3)
    assert summary.flags
    assert all(f.count == 2 and f.share == pytest.approx(2 / 6, abs=1e-3) for f in summary.flags)
    assert aggregate(responses, flag_share=0.5).flags == ()


@settings(max_examples=40, deadline=None)
@given(
    departments=st.lists(st.sampled_from(DEPARTMENTS), min_size=1, max_size=14),
    seed=st.integers(0, 10_000),
)
def test_no_department_below_three_is_ever_shown_apart(departments: list[str], seed: int) -> None:
    rng = random.Random(seed)
    responses = [
        (d, score(ORG, {q.id: rng.choice([o.id for o in q.options] + [UNKNOWN]) for q in ORG.questions}))
        for d in departments
    ]
    summary = aggregate(responses)
    for group in summary.groups:
        assert group.n >= MIN_GROUP
        for spread in (group.overall, *group.dimensions):
            assert spread.median is None or spread.n >= MIN_GROUP
    for spread in (summary.overall, *summary.dimensions):
        assert spread.median is None or spread.n >= MIN_GROUP
    assert sum(g.n for g in summary.groups) <= len(responses)  # shown groups never overlap
    assert len({g.name for g in summary.groups}) == len(summary.groups)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(MIN_GROUP, 9))
def test_one_respondents_answers_never_appear_individually(seed: int, n: int) -> None:
    """The summary holds group statistics only: no per-respondent list, result or answer anywhere in it."""
    rng = random.Random(seed)
    responses = [
        ("marketing", score(ORG, {q.id: rng.choice([o.id for o in q.options]) for q in ORG.questions}))
        for _ in range(n)
    ]
    summary = aggregate(responses)
    # The summary holds statistics only: no per-respondent list anywhere in it.
    fields = set(vars(summary))
    assert fields == {
        "n",
        "shown",
        "overall",
        "dimensions",
        "groups",
        "flags",
        "divides",
        "unshown",
        "rest",
        "disputed_by",
    }
    for spread in summary.dimensions:
        assert set(vars(spread)) == {"id", "title", "n", "median", "low", "high", "disagreement_at"}


def test_a_small_department_is_named_with_its_count_and_where_it_is_counted() -> None:
    responses = [("marketing", at_level(ORG, 1.0))] * 3 + [("it", at_level(ORG, 0.0))] * 2
    summary = aggregate(responses)
    assert [g.name for g in summary.groups] == ["marketing"]
    assert [(u.department, u.n, u.counted_in) for u in summary.unshown] == [("it", 2, "overall")]
    # With a third small department the merged "other" group is shown, and the small ones are counted there.
    summary = aggregate([*responses, ("pr", at_level(ORG, 0.0))])
    assert [g.name for g in summary.groups] == ["marketing", OTHER]
    assert [(u.department, u.n, u.counted_in) for u in summary.unshown] == [("it", 2, OTHER), ("pr", 1, OTHER)]


def test_the_rest_of_the_organisation_is_said_to_agree_or_differ_without_figures() -> None:
    responses = [("marketing", at_level(ORG, 1.0))] * 3 + [("it", at_level(ORG, 0.0))] * 2
    rest = aggregate(responses).rest
    assert rest is not None
    assert (rest.department, rest.n_rest) == ("marketing", 2)
    assert rest.overall.agrees is False
    assert {a.id for a in rest.differs} >= {"ownership", "workload"}
    assert set(vars(rest.overall)) == {"id", "title", "agrees"}  # agree or differ only: no figure of the two
    agreeing = aggregate([("marketing", at_level(ORG, 1.0))] * 3 + [("it", at_level(ORG, 1.0))] * 2).rest
    assert agreeing is not None
    assert agreeing.differs == ()


def test_one_colleague_outside_the_department_is_never_compared_with_it() -> None:
    assert MIN_REST == 2
    responses = [("marketing", at_level(ORG, 1.0))] * 3 + [("it", at_level(ORG, 0.0))]
    assert aggregate(responses).rest is None


def test_a_critical_flag_raised_by_a_third_caps_the_team_band() -> None:
    best = at_level(ORG, 1.0)
    battle = score(
        ORG,
        {"o-budget-owner": "disputed", "o-shared-tool": "informal"}
        | {
            q.id: max(q.options, key=lambda o: o.points).id
            for q in ORG.questions
            if q.id not in ("o-budget-owner", "o-shared-tool")
        },
    )
    assert [f.id for f in battle.flags if f.severity == "critical"] == ["hiring-into-budget-battle"]
    summary = aggregate([("marketing", best)] * 4 + [("it", battle)] * 2)  # two of six: a third
    assert [f.id for f in summary.disputed_by] == ["hiring-into-budget-battle"]
    band, capped = capped_band(ORG.main_part, summary.overall.median, bool(summary.disputed_by))
    assert band is not None
    assert (band.id, capped) == ("caution", True)
    fewer = aggregate([("marketing", best)] * 5 + [("it", battle)])  # one of six: below a third
    assert fewer.disputed_by == ()
    band, capped = capped_band(ORG.main_part, fewer.overall.median, bool(fewer.disputed_by))
    assert band is not None
    assert (band.id, capped) == ("ready", False)
