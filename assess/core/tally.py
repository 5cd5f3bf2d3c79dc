"""The arithmetic of scoring: per-dimension running sums and the weighted score of a part."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model import UNKNOWN, Question, Questionnaire

Answers = Mapping[str, str]


@dataclass(frozen=True)
class Tally:
    """One dimension's sums: points won, points possible, weight answered, weight in all."""

    won: float = 0.0
    possible: float = 0.0
    answered_weight: float = 0.0
    total_weight: float = 0.0

    @property
    def score(self) -> float | None:
        """100 x points won / points possible over the answered questions; None when none was answered."""
        return 100.0 * self.won / self.possible if self.possible else None

    @property
    def confidence(self) -> float:
        """The answered share of the dimension's question weight."""
        return self.answered_weight / self.total_weight if self.total_weight else 0.0

    def add(self, question: Question, answer: str) -> Tally:
        """This tally with one more question counted."""
        if answer == UNKNOWN:
            return Tally(self.won, self.possible, self.answered_weight, self.total_weight + question.weight)
        return Tally(
            self.won + question.weight * question.option(answer).points,
            self.possible + question.weight * question.max_points,
            self.answered_weight + question.weight,
            self.total_weight + question.weight,
        )


def tally(questionnaire: Questionnaire, answers: Answers) -> dict[str, Tally]:
    """Every dimension's tally, keyed by dimension id."""
    # Plain running sums, made into Tallies once at the end (Tally.add's arithmetic without an object a question).
    running = {d.id: [0.0, 0.0, 0.0, 0.0] for d in questionnaire.dimensions}
    for question in questionnaire.questions:
        sums = running[question.dimension]
        weight = question.weight
        sums[3] += weight
        answer = answers.get(question.id, UNKNOWN)
        if answer != UNKNOWN:
            sums[0] += weight * question.option(answer).points
            sums[1] += weight * question.max_points
            sums[2] += weight
    return {dimension: Tally(*values) for dimension, values in running.items()}


def part_score(questionnaire: Questionnaire, part_id: str, sums: Mapping[str, Tally]) -> tuple[float | None, float]:
    """A part's unrounded score (None when nothing in it was answered) and its confidence.

    The score is the weight-averaged score of the scored dimensions; the confidence is the answered share of
    all the part's weight, each dimension's weight spread over its questions by their own weights.
    """
    weighted = scored_weight = all_weight = confidence = 0.0
    for dimension in questionnaire.dimensions_in(part_id):
        dim = sums[dimension.id]
        all_weight += dimension.weight
        confidence += dimension.weight * dim.confidence
        dim_score = dim.score
        if dim_score is not None:
            weighted += dimension.weight * dim_score
            scored_weight += dimension.weight
    score = weighted / scored_weight if scored_weight else None
    return score, (confidence / all_weight if all_weight else 0.0)


def gain(questionnaire: Questionnaire, answers: Answers, sums: Mapping[str, Tally], question: Question) -> float:
    """How many points the question's part score would rise if this one answer were the best option."""
    return Gains(questionnaire, answers, sums)(question)


class Gains:
    """`gain` for many questions of one scored answer set: each part's dimension scores are read once.

    The plans ask for the gain of every weak answer, which made this most of the scoring time.
    """

    def __init__(self, questionnaire: Questionnaire, answers: Answers, sums: Mapping[str, Tally]) -> None:
        self.questionnaire = questionnaire
        self.answers = answers
        self.sums = sums
        self._parts: dict[str, tuple[tuple[str, float, float | None], ...]] = {}

    def _dimension_scores(self, part: str) -> tuple[tuple[str, float, float | None], ...]:
        scores = self._parts.get(part)
        if scores is None:
            scores = tuple((d.id, d.weight, self.sums[d.id].score) for d in self.questionnaire.dimensions_in(part))
            self._parts[part] = scores
        return scores

    def __call__(self, question: Question) -> float:
        """How many points the question's part score would rise if its answer were the best option."""
        part = self.questionnaire.dimension(question.dimension).part
        base = self.sums[question.dimension]
        current = self.answers.get(question.id, UNKNOWN)
        # The dimension with the best option in place of the current answer (or of "don't know").
        won = base.won + question.weight * question.max_points
        possible = base.possible
        if current == UNKNOWN:
            possible += question.weight * question.max_points
        else:
            won -= question.weight * question.option(current).points
        changed_score = 100.0 * won / possible if possible else None
        # The part score before and after (part_score's arithmetic, in the same order), in one pass.
        weighted = scored = weighted_after = scored_after = 0.0
        for dimension_id, weight, before_score in self._dimension_scores(part):
            after_score = changed_score if dimension_id == question.dimension else before_score
            if before_score is not None:
                weighted += weight * before_score
                scored += weight
            if after_score is not None:
                weighted_after += weight * after_score
                scored_after += weight
        if not scored_after:
            return 0.0
        after = weighted_after / scored_after
        before = weighted / scored if scored else after
        return max(0.0, after - before)
