"""score(questionnaire, answers) -> Result: pure, deterministic, and explainable.

- A dimension's score is 100 x sum(weight x points) / sum(weight x max) over its answered questions; None when
  none was answered. Its confidence is the answered share of its question weight.
- A part's score (the overall score is the first part's) is the weight-averaged score of its scored dimensions;
  its confidence is the answered share of all its weight.
- "unknown" is kept out of the score and only lowers confidence.
- Rules raise flags whatever the total; a critical flag caps its part's band.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from . import advice
from .model import (
    UNKNOWN,
    AllOf,
    Always,
    AnswerIs,
    AnyOf,
    ChallengeExposure,
    Condition,
    ConfidenceBelow,
    DimensionScore,
    Flag,
    Not,
    Part,
    Question,
    Questionnaire,
    Result,
    Score,
    ScoreBelow,
)
from .tally import Answers, Tally, part_score, tally


class AnswerError(ValueError):
    """An answer set does not fit its questionnaire; `field` names the question at fault."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message


def check_answers(questionnaire: Questionnaire, answers: Mapping[str, object]) -> dict[str, str]:
    """Validate raw answers and return them complete: every question present, missing ones "unknown"."""
    checked: dict[str, str] = {}
    for question_id, option_id in answers.items():
        try:
            question = questionnaire.question(question_id)
        except KeyError:
            raise AnswerError(
                "unknown_question", str(question_id), f"{questionnaire.slug} has no question {question_id!r}"
            ) from None
        if not isinstance(option_id, str):
            raise AnswerError(
                "invalid_answer", question_id, f"the answer to {question_id!r} must be an option id (text)"
            )
        if option_id != UNKNOWN and not question.has_option(option_id):
            choices = ", ".join([o.id for o in question.options] + [UNKNOWN])
            raise AnswerError(
                "unknown_option",
                question_id,
                f"question {question_id!r} has no option {option_id!r} (choose one of: {choices})",
            )
        checked[question_id] = option_id
    return {q.id: checked.get(q.id, UNKNOWN) for q in questionnaire.questions}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _band_index(part: Part, score: float) -> int:
    for index, band in enumerate(part.bands):
        if band.low <= score < band.high:
            return index
    return len(part.bands) - 1  # 100 itself belongs to the top band


def _score(
    questionnaire: Questionnaire, part: Part, sums: Mapping[str, Tally], flags: tuple[Flag, ...], answers: Answers
) -> Score:
    raw, confidence = part_score(questionnaire, part.id, sums)
    score = _rounded(raw)
    questions = questionnaire.questions_in_part(part.id)
    answered = sum(1 for q in questions if answers[q.id] != UNKNOWN)
    if score is None:
        return Score(None, None, None, None, confidence, answered, len(questions))
    index = _band_index(part, score)
    capped = False
    if part.critical_cap is not None and any(f.severity == "critical" and f.part == part.id for f in flags):
        cap = next(i for i, b in enumerate(part.bands) if b.id == part.critical_cap)
        if index > cap:
            index, capped = cap, True
    band = part.bands[index]
    return Score(score, band.id, band.label, band.message, confidence, answered, len(questions), capped)


class _Evaluator:
    """Evaluates conditions against one answer set, and says which questions made each one true."""

    def __init__(self, questionnaire: Questionnaire, answers: Answers, sums: Mapping[str, Tally]) -> None:
        self.q = questionnaire
        self.answers = answers
        self.sums = sums
        self.overall, self.confidence = part_score(questionnaire, questionnaire.main_part.id, sums)

    def dimension_score(self, dimension_id: str | None) -> float | None:
        raw = self.overall if dimension_id is None else self.sums[dimension_id].score
        return _rounded(raw)

    def pulled_below(self, dimension_id: str | None, value: float) -> tuple[str, ...]:
        """The answers that pulled one dimension, or the main part (None), below `value`: those worth less than
        `value` per cent of their question's best option, in questionnaire order. Answers at or above the line
        only held the score up, and unknown ones are out of the score, so neither is a reason."""
        questions = (
            self.q.questions_in(dimension_id)
            if dimension_id is not None
            else self.q.questions_in_part(self.q.main_part.id)
        )
        pulled = []
        for question in questions:
            answer = self.answers.get(question.id, UNKNOWN)
            if answer != UNKNOWN and 100.0 * question.option(answer).points < value * question.max_points:
                pulled.append(question.id)
        return tuple(pulled)

    def holds(self, condition: Condition) -> tuple[bool, tuple[str, ...], tuple[Condition, ...]]:
        """Whether the condition holds, the questions behind it, and the leaf conditions that made it hold."""
        if isinstance(condition, Always):
            return True, (), ()
        if isinstance(condition, AnswerIs):
            holds = self.answers.get(condition.question, UNKNOWN) in condition.options
            return holds, (condition.question,), (condition,) if holds else ()
        if isinstance(condition, ScoreBelow):
            score = self.dimension_score(condition.dimension)
            holds = score is not None and score < condition.value
            return (
                holds,
                self.pulled_below(condition.dimension, condition.value) if holds else (),
                ((condition,) if holds else ()),
            )
        if isinstance(condition, ConfidenceBelow):
            holds = self.confidence < condition.value
            return holds, (), (condition,) if holds else ()
        if isinstance(condition, Not):
            inner, questions, _ = self.holds(condition.condition)
            # An unknown answer under a negation did not move anything: it only failed to prevent it.
            known = tuple(q for q in questions if self.answers.get(q, UNKNOWN) != UNKNOWN)
            return not inner, known, (condition,) if not inner else ()
        results = [self.holds(c) for c in condition.conditions]
        if isinstance(condition, AllOf):
            holds = all(r[0] for r in results)
            chosen = results
        else:  # AnyOf
            holds = any(r[0] for r in results)
            chosen = [r for r in results if r[0]]
        questions = tuple(dict.fromkeys(q for r in chosen for q in r[1]))
        leaves = tuple(leaf for r in chosen for leaf in r[2])
        return holds, questions, leaves if holds else ()


def _flags(evaluator: _Evaluator) -> tuple[Flag, ...]:
    order = {"critical": 0, "warning": 1, "notice": 2}
    raised = []
    for rule in evaluator.q.rules:
        holds, questions, _ = evaluator.holds(rule.when)
        if holds:
            raised.append(
                Flag(rule.id, rule.part, rule.severity, rule.criterion, rule.title, rule.why, rule.advice, questions)
            )
    return tuple(sorted(raised, key=lambda f: order[f.severity]))


def _tagged(questionnaire: Questionnaire) -> tuple[tuple[tuple[Question, ...], float, tuple[str, ...]], ...]:
    """Per challenge, in order: its tagged questions, their total weight and their ids (made once per questionnaire)."""
    tagged = questionnaire.memo.get("challenge questions")
    if not isinstance(tagged, tuple):
        made = []
        for challenge in questionnaire.challenges:
            questions = tuple(q for q in questionnaire.questions if challenge.id in q.challenges)
            made.append((questions, sum(q.weight for q in questions), tuple(q.id for q in questions)))
        tagged = questionnaire.memo["challenge questions"] = tuple(made)
    return tagged


def _challenges(questionnaire: Questionnaire, answers: Answers) -> tuple[ChallengeExposure, ...]:
    found = []
    for challenge, (tagged, total_weight, ids) in zip(questionnaire.challenges, _tagged(questionnaire), strict=True):
        won = possible = answered_weight = 0.0
        for question in tagged:
            answer = answers.get(question.id, UNKNOWN)
            if answer != UNKNOWN:
                won += question.weight * question.option(answer).points
                possible += question.weight * question.max_points
                answered_weight += question.weight
        exposure = _rounded(100.0 - 100.0 * won / possible) if possible else None
        found.append(
            ChallengeExposure(
                challenge.id,
                challenge.title,
                exposure,
                answered_weight / total_weight if total_weight else 0.0,
                ids,
            )
        )
    return tuple(found)


def _leaves(condition: Condition) -> tuple[AnswerIs | ScoreBelow, ...]:
    """The answer and score tests inside a condition, in order (not the confidence test, which a fallback verdict
    passing says nothing about)."""
    if isinstance(condition, (AnswerIs, ScoreBelow)):
        return (condition,)
    if isinstance(condition, Not):
        return _leaves(condition.condition)
    if isinstance(condition, (AllOf, AnyOf)):
        return tuple(leaf for inner in condition.conditions for leaf in _leaves(inner))
    return ()


def _strictest(leaves: Iterable[AnswerIs | ScoreBelow]) -> tuple[Condition, ...]:
    """The tests, each once, keeping of several score tests on one dimension only the highest line."""
    found: dict[object, AnswerIs | ScoreBelow] = {}
    for leaf in leaves:
        if isinstance(leaf, ScoreBelow):
            kept = found.get(("score", leaf.dimension))
            if not isinstance(kept, ScoreBelow) or leaf.value > kept.value:
                found[("score", leaf.dimension)] = leaf
        else:
            found.setdefault(leaf, leaf)
    return tuple(found.values())


def score(questionnaire: Questionnaire, answers: Mapping[str, object]) -> Result:
    """Score one answer set against its questionnaire, with flags, advice and what the questionnaire adds."""
    checked = check_answers(questionnaire, answers)
    sums = tally(questionnaire, checked)
    evaluator = _Evaluator(questionnaire, checked, sums)
    flags = _flags(evaluator)
    parts = {part.id: _score(questionnaire, part, sums, flags, checked) for part in questionnaire.parts}
    dimensions = tuple(
        DimensionScore(
            d.id,
            d.title,
            d.part,
            _rounded(sums[d.id].score),
            sums[d.id].confidence,
            ids,
            tuple(qid for qid in ids if checked[qid] != UNKNOWN),
        )
        for d in questionnaire.dimensions
        for ids in (questionnaire.question_ids_in(d.id),)
    )
    result = Result(
        questionnaire=questionnaire.slug,
        version=questionnaire.version,
        overall=parts[questionnaire.main_part.id],
        parts=parts,
        dimensions=dimensions,
        flags=flags,
        challenges=_challenges(questionnaire, checked) if "challenges" in questionnaire.extras else (),
    )
    verdict = None
    if "verdict" in questionnaire.extras:
        for index, candidate in enumerate(questionnaire.verdicts):
            holds, questions, leaves = evaluator.holds(candidate.when)
            if holds:
                cleared: tuple[Condition, ...] = ()
                if isinstance(candidate.when, Always):
                    # The fallback holds because none of the earlier verdicts did: its reasons are their tests,
                    # passed, and the answers behind it the known answers those tests read.
                    cleared = _strictest(
                        leaf for earlier in questionnaire.verdicts[:index] for leaf in _leaves(earlier.when)
                    )
                    questions = tuple(
                        dict.fromkeys(
                            leaf.question
                            for leaf in cleared
                            if isinstance(leaf, AnswerIs) and checked.get(leaf.question, UNKNOWN) != UNKNOWN
                        )
                    )
                verdict = advice.Verdicted(candidate, questions, leaves, cleared)
                break
    return advice.advise(questionnaire, checked, sums, result, verdict)
