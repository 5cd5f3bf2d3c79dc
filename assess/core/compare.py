"""Comparisons of single results: before and after (a re-audit of the same questionnaire), and a candidate's view
of an employer beside the organisation's own view of itself. Team aggregation lives in `aggregate`."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Questionnaire, Result


@dataclass(frozen=True)
class Change:
    """One score before and after; `delta` is None when either side is unscored."""

    id: str
    title: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        """after - before, rounded to one decimal; None when either is unscored."""
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)

    @property
    def direction(self) -> str:
        """ "up", "down", "same" or "new"/"gone" when one side is unscored, "unknown" when both are."""
        if self.before is None and self.after is None:
            return "unknown"
        if self.before is None:
            return "new"
        if self.after is None:
            return "gone"
        delta = self.delta or 0.0
        return "up" if delta > 0 else "down" if delta < 0 else "same"


@dataclass(frozen=True)
class Comparison:
    """How a result moved since an earlier one: overall, per dimension, flags raised and cleared."""

    overall: Change
    confidence_before: float
    confidence_after: float
    dimensions: tuple[Change, ...]
    flags_raised: tuple[str, ...]
    flags_cleared: tuple[str, ...]
    band_before: str | None
    band_after: str | None


def compare(before: Result, after: Result) -> Comparison:
    """Set `after` beside `before`, dimension by dimension (matched by id, in `after`'s order)."""
    earlier = {d.id: d for d in before.dimensions}
    dimensions = tuple(
        Change(d.id, d.title, earlier[d.id].score if d.id in earlier else None, d.score) for d in after.dimensions
    )
    before_flags = {f.id: f.title for f in before.flags}
    after_flags = {f.id: f.title for f in after.flags}
    return Comparison(
        overall=Change("overall", "Overall", before.overall.score, after.overall.score),
        confidence_before=before.overall.confidence,
        confidence_after=after.overall.confidence,
        dimensions=dimensions,
        flags_raised=tuple(title for fid, title in after_flags.items() if fid not in before_flags),
        flags_cleared=tuple(title for fid, title in before_flags.items() if fid not in after_flags),
        band_before=before.overall.band_label,
        band_after=after.overall.band_label,
    )


# ---------------------------------------------------------------------------------------------------------
# A candidate's view of an employer beside the organisation's own view of itself.

GAP_AT = 15.0
"""A difference of this many points (or an unknown on either side) is worth a question."""


@dataclass(frozen=True)
class Gap:
    """One dimension seen from both sides, and the questions that would close the gap."""

    id: str
    title: str
    candidate: float | None
    organisation: float | None
    questions: tuple[str, ...]
    organisation_low: float | None = None
    """For a team: the lowest respondent's score (None for one organisation result)."""
    organisation_high: float | None = None
    """For a team: the highest respondent's score."""

    @property
    def within_team(self) -> bool | None:
        """For a team: True when the candidate's score lies within the respondents' range, so some of them see the
        dimension as the candidate does; None without a range or a candidate score."""
        if self.candidate is None or self.organisation_low is None or self.organisation_high is None:
            return None
        return self.organisation_low <= self.candidate <= self.organisation_high

    @property
    def team_split(self) -> bool:
        """For a team: True when its own respondents lie as far apart as a gap worth a question."""
        if self.organisation_low is None or self.organisation_high is None:
            return False
        return self.organisation_high - self.organisation_low >= GAP_AT

    @property
    def difference(self) -> float | None:
        """Organisation minus candidate; None when either side is unscored."""
        if self.candidate is None or self.organisation is None:
            return None
        return round(self.organisation - self.candidate, 1)

    @property
    def worth_asking(self) -> bool:
        """True when the two views lie far apart, or one side does not know."""
        return self.difference is None or abs(self.difference) >= GAP_AT


def contrast(
    candidate_questionnaire: Questionnaire,
    candidate: Result,
    organisation_questionnaire: Questionnaire,
    organisation: dict[str, float | None],
    per_side: int = 3,
    ranges: dict[str, tuple[float, float]] | None = None,
) -> tuple[Gap, ...]:
    """Dimension by dimension (the ids both questionnaires share): each side's score and what to ask.

    The questions come from the candidate's interview questions in that dimension, then from what the
    organisation's own questionnaire says a candidate will probe there. `ranges` gives, for a team, each
    dimension's lowest and highest respondent: the team's spread, not its median alone.
    """
    ranges = ranges or {}
    shared = candidate_questionnaire.dimensions_in(candidate_questionnaire.main_part.id)
    org_dimensions = {d.id for d in organisation_questionnaire.dimensions}
    gaps = []
    for dimension in shared:
        if dimension.id not in org_dimensions:
            continue
        score = candidate.dimension(dimension.id).score
        other = organisation.get(dimension.id)
        low, high = ranges.get(dimension.id, (None, None))
        gap = Gap(dimension.id, dimension.title, score, other, (), low, high)
        if gap.worth_asking:
            asks = [
                q.ask
                for q in candidate.interview_questions
                if candidate_questionnaire.question(q.question).dimension == dimension.id
            ][:per_side]
            asks += [q.ask for q in organisation_questionnaire.questions_in(dimension.id) if q.ask][:per_side]
            gap = Gap(dimension.id, dimension.title, score, other, tuple(dict.fromkeys(asks)), low, high)
        gaps.append(gap)
    return tuple(gaps)
