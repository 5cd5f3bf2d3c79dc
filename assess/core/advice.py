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


def is_weak(question: Question, answer: str) -> bool:
    """True when a known answer is worth less than half of the question's best option."""
    return answer != UNKNOWN and question.option(answer).points < WEAK_ANSWER * question.max_points


def share(questionnaire: Questionnaire, question: Question) -> float:
    """The question's share of its part's weight: how much it can move that part's score."""
    return questionnaire.weight_share(question.id)


def _in_parts(questionnaire: Questionnaire, parts: set[str]) -> list[Question]:
    if len(parts) == 1:
        return list(questionnaire.questions_in_part(next(iter(parts))))
    return [q for q in questionnaire.questions if questionnaire.dimension(q.dimension).part in parts]


def weak_answers(questionnaire: Questionnaire, answers: Answers) -> frozenset[str]:
    """The ids of the questions whose answers are weak (see is_weak); computed once per score."""
    return frozenset(q.id for q in questionnaire.questions if is_weak(q, answers[q.id]))


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
    for dimension in questionnaire.dimensions:
        dim_score = sums[dimension.id].score
        if dim_score is None or dim_score >= WEAK_DIMENSION:
            continue
        part = questionnaire.dimensions_in(dimension.part)
        scored = sum(d.weight for d in part if sums[d.id].score is not None)
        questions = questionnaire.questions_in(dimension.id)
        weak_here = tuple(q.id for q in questions if q.id in weak)
        answered = tuple(q.id for q in questions if answers[q.id] != UNKNOWN)
        for_dimensions.append(
            Recommendation(
                f"dimension:{dimension.id}",
                "dimension",
                dimension.title,
                dimension.advice,
                tuple(dict.fromkeys(q.criterion for q in questions)),
                weak_here or answered,
                round(dimension.weight / scored * (100.0 - dim_score), 1),
            )
        )
    for_dimensions.sort(key=lambda r: -r.impact)  # stable: ties keep questionnaire order
    return tuple(for_flags) + tuple(for_dimensions)


def steps(
    questionnaire: Questionnaire, answers: Answers, parts: set[str], weak_ids: frozenset[str], gains: Gains
) -> tuple[Recommendation, ...]:
    """Each weak answer's `improve` text, largest score gain first; then each unknown one, to find out."""
    weak, unknown = [], []
    for question in _in_parts(questionnaire, parts):
        if not question.improve:
            continue
        answer = answers[question.id]
        title = questionnaire.criterion(question.criterion).title
        if answer == UNKNOWN:
            unknown.append(
                Recommendation(
                    f"question:{question.id}",
                    "question",
                    f"Find out: {title}",
                    question.improve,
                    (question.criterion,),
                    (question.id,),
                    0.0,
                )
            )
        elif question.id in weak_ids:
            impact = round(gains(question), 1)
            weak.append(
                Recommendation(
                    f"question:{question.id}",
                    "question",
                    title,
                    question.improve,
                    (question.criterion,),
                    (question.id,),
                    impact,
                )
            )
    weak.sort(key=lambda r: -r.impact)
    return tuple(weak) + tuple(unknown)


def interview_questions(
    questionnaire: Questionnaire,
    answers: Answers,
    parts: set[str],
    weak: frozenset[str],
    include_strong: bool = False,
) -> tuple[InterviewQuestion, ...]:
    """The `ask` of each weak or unknown answer (and strong ones when asked), weightiest first."""
    found: list[tuple[int, float, int, InterviewQuestion]] = []
    for index, question in enumerate(_in_parts(questionnaire, parts)):
        if not question.ask:
            continue
        answer = answers[question.id]
        reason: Literal["unknown", "weak", "strong"] = (
            "unknown" if answer == UNKNOWN else "weak" if question.id in weak else "strong"
        )
        if reason == "strong" and not include_strong:
            continue
        item = InterviewQuestion(
            question.id,
            question.ask,
            questionnaire.criterion(question.criterion).description,
            question.criterion,
            reason,
        )
        found.append((1 if reason == "strong" else 0, -share(questionnaire, question), index, item))
    return tuple(item for *_, item in sorted(found, key=lambda t: t[:3]))


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


def verdict_result(
    questionnaire: Questionnaire, answers: Answers, sums: Mapping[str, Tally], verdicted: Verdicted
) -> VerdictResult:
    """The verdict with one plain reason per condition that made it hold."""
    reasons = tuple(dict.fromkeys(_describe(questionnaire, answers, sums, leaf) for leaf in verdicted.leaves))
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
