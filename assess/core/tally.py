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
    sums = {d.id: Tally() for d in questionnaire.dimensions}
    for question in questionnaire.questions:
        sums[question.dimension] = sums[question.dimension].add(question, answers.get(question.id, UNKNOWN))
    return sums


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
    part = questionnaire.dimension(question.dimension).part
    best = max(question.options, key=lambda o: o.points)
    current = answers.get(question.id, UNKNOWN)
    base = sums[question.dimension]
    if current != UNKNOWN:
        # Take the current answer out, then count the best one in its place.
        base = Tally(
            base.won - question.weight * question.option(current).points,
            base.possible - question.weight * question.max_points,
            base.answered_weight - question.weight,
            base.total_weight - question.weight,
        )
    changed = base.add(question, best.id)
    # The part score before and after, in one pass (part_score's arithmetic, one dimension swapped): the action
    # plan asks this for every weak answer, so it is most of the scoring time.
    weighted = scored = weighted_after = scored_after = 0.0
    for dimension in questionnaire.dimensions_in(part):
        before_score = sums[dimension.id].score
        after_score = changed.score if dimension.id == question.dimension else before_score
        if before_score is not None:
            weighted += dimension.weight * before_score
            scored += dimension.weight
        if after_score is not None:
            weighted_after += dimension.weight * after_score
            scored_after += dimension.weight
    if not scored_after:
        return 0.0
    after = weighted_after / scored_after
    before = weighted / scored if scored else after
    return max(0.0, after - before)
