"""Advice drawn from a scored result: recommendations, interview questions, action plans, verdict reasons.

All advice text comes from the questionnaire file (the article's advice in the project's own words); this
module only chooses and orders it, and says which answers called for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from .model import (
    UNKNOWN,
    AnswerIs,
    Condition,
    ConfidenceBelow,
    InterviewQuestion,
    Not,
    Question,
    Questionnaire,
    Recommendation,
    Result,
    ScoreBelow,
    Verdict,
    VerdictResult,
)
from .tally import Answers, Gains, Tally, part_score

WEAK_DIMENSION = 60.0
"""A dimension scoring below this gets a recommendation."""
WEAK_ANSWER = 0.5
"""An answer worth less than this share of its question's maximum is weak."""
SEVERITY_ORDER = {"critical": 0, "warning": 1, "notice": 2}


@dataclass(frozen=True)
class Verdicted:
    """The verdict whose condition held, with the questions and leaf conditions that made it hold."""

    verdict: Verdict
    questions: tuple[str, ...]
    leaves: tuple[Condition, ...]
    cleared: tuple[Condition, ...] = ()
    """For the fallback verdict: the earlier verdicts' tests, none of which held."""


def is_weak(question: Question, answer: str) -> bool:
    """True when a known answer is worth less than half of the question's best option."""
    return answer != UNKNOWN and question.option(answer).points < WEAK_ANSWER * question.max_points


def share(questionnaire: Questionnaire, question: Question) -> float:
    """The question's share of its part's weight: how much it can move that part's score."""
    return questionnaire.weight_share(question.id)


def _in_parts(questionnaire: Questionnaire, parts: set[str]) -> tuple[Question, ...]:
    if len(parts) == 1:
        return questionnaire.questions_in_part(next(iter(parts)))
    key = ("questions in parts", frozenset(parts))
    found = questionnaire.memo.get(key)
    if not isinstance(found, tuple):
        found = questionnaire.memo[key] = tuple(
            q for q in questionnaire.questions if questionnaire.dimension(q.dimension).part in parts
        )
    return found


def weak_answers(questionnaire: Questionnaire, answers: Answers) -> frozenset[str]:
    """The ids of the questions whose answers are weak (see is_weak); computed once per score."""
    weak_options = questionnaire.memo.get("weak options")
    if not isinstance(weak_options, dict):  # made once per questionnaire: question id -> its weak option ids
        weak_options = questionnaire.memo["weak options"] = {
            q.id: frozenset(o.id for o in q.options if is_weak(q, o.id)) for q in questionnaire.questions
        }
    return frozenset(qid for qid, options in weak_options.items() if answers[qid] in options)


def recommendations(
    questionnaire: Questionnaire,
    answers: Answers,
    sums: Mapping[str, Tally],
    result: Result,
    weak: frozenset[str],
    gains: Gains,
) -> tuple[Recommendation, ...]:
    """One recommendation per raised flag (most severe first), then one per weak dimension (largest gain first)."""
    for_flags = []
    for flag in result.flags:
        impact = sum(gains(questionnaire.question(q)) for q in flag.questions)
        for_flags.append(
            Recommendation(
                f"flag:{flag.id}", "flag", flag.title, flag.advice, (flag.criterion,), flag.questions, round(impact, 1)
            )
        )
    for_dimensions = []
    scores = {d.id: sums[d.id].score for d in questionnaire.dimensions}
    scored_weight: dict[str, float] = {}  # per part: the weight of its scored dimensions
    for dimension in questionnaire.dimensions:
        if scores[dimension.id] is not None:
            scored_weight[dimension.part] = scored_weight.get(dimension.part, 0.0) + dimension.weight
    for dimension in questionnaire.dimensions:
        dim_score = scores[dimension.id]
        if dim_score is None or dim_score >= WEAK_DIMENSION:
            continue
        scored = scored_weight[dimension.part]
        ids = questionnaire.question_ids_in(dimension.id)
        weak_here = tuple(qid for qid in ids if qid in weak)
        answered = tuple(qid for qid in ids if answers[qid] != UNKNOWN)
        for_dimensions.append(
            Recommendation(
                f"dimension:{dimension.id}",
                "dimension",
                dimension.title,
                dimension.advice,
                questionnaire.criteria_in(dimension.id),
                weak_here or answered,
                round(dimension.weight / scored * (100.0 - dim_score), 1),
            )
        )
    for_dimensions.sort(key=lambda r: -r.impact)  # stable: ties keep questionnaire order
    return tuple(for_flags) + tuple(for_dimensions)


def steps(
    questionnaire: Questionnaire, answers: Answers, parts: set[str], weak_ids: frozenset[str], gains: Gains
) -> tuple[Recommendation, ...]:
    """One step per criterion with weak answers, largest score gain first; then one per criterion with unknown
    answers, to find out. Questions that share a criterion share a step (its title is the criterion's), with each
    question's `improve` text in order and the gains added up, so a plan never shows the same heading twice."""
    weak: dict[str, list[Question]] = {}
    unknown: dict[str, list[Question]] = {}
    for question in _in_parts(questionnaire, parts):
        if not question.improve:
            continue
        answer = answers[question.id]
        if answer == UNKNOWN:
            unknown.setdefault(question.criterion, []).append(question)
        elif question.id in weak_ids:
            weak.setdefault(question.criterion, []).append(question)

    improve = [
        _step(
            questions,
            questionnaire.criterion(criterion).title,
            round(gains(questions[0]) if len(questions) == 1 else sum(gains(q) for q in questions), 1),
        )
        for criterion, questions in weak.items()
    ]
    improve.sort(key=lambda r: -r.impact)  # stable: ties keep questionnaire order
    find_out = []
    for criterion, questions in unknown.items():
        key = ("find out", tuple(q.id for q in questions))
        item = questionnaire.memo.get(key)  # depends only on which questions are unknown: made once
        if not isinstance(item, Recommendation):
            item = questionnaire.memo[key] = _step(
                questions, f"Find out: {questionnaire.criterion(criterion).title}", 0.0
            )
        find_out.append(item)
    return tuple(improve) + tuple(find_out)


def _step(questions: list[Question], title: str, impact: float) -> Recommendation:
    """One plan step for questions sharing a criterion: their `improve` texts in order, all their ids."""
    first = questions[0]
    if len(questions) == 1:
        return Recommendation(
            f"question:{first.id}", "question", title, first.improve, (first.criterion,), (first.id,), impact
        )
    return Recommendation(
        f"question:{first.id}",
        "question",
        title,
        " ".join(dict.fromkeys(q.improve for q in questions)),
        (first.criterion,),
        tuple(q.id for q in questions),
        impact,
    )


def interview_questions(
    questionnaire: Questionnaire,
    answers: Answers,
    parts: set[str],
    weak: frozenset[str],
    include_strong: bool = False,
) -> tuple[InterviewQuestion, ...]:
    """The `ask` of each weak or unknown answer (and strong ones when asked), weightiest first: weak and unknown
    before strong, then by the question's share of its part's weight, then in questionnaire order."""
    key = ("interview order", frozenset(parts))
    ordered = questionnaire.memo.get(key)
    if not isinstance(ordered, tuple):  # the weight order never changes: sorted once per questionnaire
        asked = [(index, q) for index, q in enumerate(_in_parts(questionnaire, parts)) if q.ask]
        ordered = questionnaire.memo[key] = tuple(
            q for _, q in sorted(asked, key=lambda pair: (-share(questionnaire, pair[1]), pair[0]))
        )
    first: list[InterviewQuestion] = []
    strong: list[InterviewQuestion] = []
    for question in ordered:
        answer = answers[question.id]
        reason: Literal["unknown", "weak", "strong"] = (
            "unknown" if answer == UNKNOWN else "weak" if question.id in weak else "strong"
        )
        if reason == "strong" and not include_strong:
            continue
        memo_key = ("interview question", question.id, reason)
        item = questionnaire.memo.get(memo_key)  # the same for every score: made once
        if not isinstance(item, InterviewQuestion):
            item = questionnaire.memo[memo_key] = InterviewQuestion(
                question.id,
                question.ask,
                questionnaire.criterion(question.criterion).description,
                question.criterion,
                reason,
            )
        (strong if reason == "strong" else first).append(item)
    return tuple(first) + tuple(strong)


def _describe(questionnaire: Questionnaire, answers: Answers, sums: Mapping[str, Tally], leaf: Condition) -> str:
    """One plain sentence saying why a leaf condition held."""
    if isinstance(leaf, AnswerIs):
        question = questionnaire.question(leaf.question)
        answer = answers[leaf.question]
        label = "don't know" if answer == UNKNOWN else question.option(answer).label
        return f"“{question.text}”: {label}."
    if isinstance(leaf, ScoreBelow):
        if leaf.dimension is None:
            overall, _ = part_score(questionnaire, questionnaire.main_part.id, sums)
            return f"The overall score, {overall or 0:.0f}, is below {leaf.value:g}."
        dimension = questionnaire.dimension(leaf.dimension)
        return f"{dimension.title} scores {sums[leaf.dimension].score or 0:.0f}, below {leaf.value:g}."
    if isinstance(leaf, ConfidenceBelow):
        _, confidence = part_score(questionnaire, questionnaire.main_part.id, sums)
        return (
            f"Only {confidence:.0%} of the questionnaire's weight is answered; "
            f"a verdict needs at least {leaf.value:.0%}."
        )
    if isinstance(leaf, Not) and isinstance(leaf.condition, AnswerIs):
        question = questionnaire.question(leaf.condition.question)
        answer = answers[leaf.condition.question]
        label = "don't know" if answer == UNKNOWN else question.option(answer).label
        return f"“{question.text}”: {label}."
    return "The questionnaire's conditions for this verdict hold."


def _describe_passed(questionnaire: Questionnaire, answers: Answers, sums: Mapping[str, Tally], leaf: Condition) -> str:
    """One plain sentence saying that an earlier verdict's test did not hold ("" for an unknown answer)."""
    if isinstance(leaf, AnswerIs):
        answer = answers[leaf.question]
        if answer == UNKNOWN:
            return ""
        question = questionnaire.question(leaf.question)
        return f"“{question.text}”: {question.option(answer).label}."
    if isinstance(leaf, ScoreBelow):
        if leaf.dimension is None:
            overall, _ = part_score(questionnaire, questionnaire.main_part.id, sums)
            return "" if overall is None else f"The overall score, {overall:.0f}, is {leaf.value:g} or more."
        score = sums[leaf.dimension].score
        title = questionnaire.dimension(leaf.dimension).title
        return "" if score is None else f"{title} scores {score:.0f}, {leaf.value:g} or more."
    return ""


def verdict_result(
    questionnaire: Questionnaire, answers: Answers, sums: Mapping[str, Tally], verdicted: Verdicted
) -> VerdictResult:
    """The verdict with one plain reason per condition that made it hold (for the fallback verdict: per earlier
    test that did not hold)."""
    reasons = tuple(dict.fromkeys(_describe(questionnaire, answers, sums, leaf) for leaf in verdicted.leaves))
    if verdicted.cleared:
        passed = (_describe_passed(questionnaire, answers, sums, leaf) for leaf in verdicted.cleared)
        reasons += tuple(dict.fromkeys(reason for reason in passed if reason))
    verdict = verdicted.verdict
    return VerdictResult(verdict.id, verdict.title, verdict.message, reasons, verdicted.questions)


def advise(
    questionnaire: Questionnaire,
    answers: Answers,
    sums: Mapping[str, Tally],
    result: Result,
    verdicted: Verdicted | None,
) -> Result:
    """The result with the advice its questionnaire asks for filled in."""
    extras = set(questionnaire.extras)
    main = {questionnaire.main_part.id}
    others = {p.id for p in questionnaire.parts} - main
    weak = weak_answers(questionnaire, answers)
    gains = Gains(questionnaire, answers, sums)
    recommended = recommendations(questionnaire, answers, sums, result, weak, gains)
    # Plans start with the raised flags (most severe first), then the steps by the gain they bring.
    flagged = tuple(r for r in recommended if r.kind == "flag")
    return replace(
        result,
        recommendations=recommended,
        interview_questions=interview_questions(questionnaire, answers, main, weak)
        if "interview_questions" in extras
        else (),
        pitch_advice=steps(questionnaire, answers, others, weak, gains) if "pitch" in extras else (),
        action_plan=flagged + steps(questionnaire, answers, main, weak, gains) if "action_plan" in extras else (),
        probes=interview_questions(questionnaire, answers, main, weak, include_strong=True)
        if "probes" in extras
        else (),
        fixes=flagged + steps(questionnaire, answers, main | others, weak, gains) if "fixes" in extras else (),
        verdict=verdict_result(questionnaire, answers, sums, verdicted) if verdicted else None,
    )
