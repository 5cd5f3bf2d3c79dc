"""Before and after: what changed between two results of the same questionnaire (a re-audit)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Flag, Questionnaire, Result


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
# Several raters for one organisation: medians, spreads, departments and where they disagree.

MIN_GROUP = 3
"""No statistic is shown for fewer respondents than this, so no one's answers can be singled out."""
OTHER = "other"


@dataclass(frozen=True)
class Spread:
    """How a group of respondents scored one dimension (or overall): count, median, lowest, highest."""

    id: str
    title: str
    n: int
    median: float | None
    low: float | None
    high: float | None
    disagreement_at: float

    @property
    def spread(self) -> float | None:
        """Highest minus lowest; None when nothing is shown."""
        return None if self.low is None or self.high is None else round(self.high - self.low, 1)

    @property
    def disagreement(self) -> bool:
        """True when the respondents' scores lie at least `disagreement_at` points apart."""
        return self.spread is not None and self.spread >= self.disagreement_at


@dataclass(frozen=True)
class Group:
    """One department's view (only departments with at least MIN_GROUP respondents are shown apart)."""

    name: str
    n: int
    overall: Spread
    dimensions: tuple[Spread, ...]

    def dimension(self, dimension_id: str) -> Spread:
        """This group's spread on one dimension; KeyError when there is none."""
        for spread in self.dimensions:
            if spread.id == dimension_id:
                return spread
        raise KeyError(dimension_id)


@dataclass(frozen=True)
class SharedFlag:
    """A flag raised by at least the given share of respondents."""

    id: str
    title: str
    severity: str
    criterion: str
    advice: str
    count: int
    share: float


@dataclass(frozen=True)
class Divide:
    """Two departments whose medians on one dimension lie far apart."""

    dimension: str
    title: str
    first: str
    first_median: float
    second: str
    second_median: float

    @property
    def gap(self) -> float:
        """The distance between the two medians."""
        return round(abs(self.first_median - self.second_median), 1)


@dataclass(frozen=True)
class TeamSummary:
    """Everything a team report shows. Empty statistics until at least MIN_GROUP people have answered."""

    n: int
    shown: bool
    overall: Spread
    dimensions: tuple[Spread, ...]
    groups: tuple[Group, ...]
    flags: tuple[SharedFlag, ...]
    divides: tuple[Divide, ...]

    def divides_between(self, first: str, second: str) -> tuple[Divide, ...]:
        """The divides between two named departments, in either order."""
        pair = {first, second}
        return tuple(d for d in self.divides if {d.first, d.second} == pair)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return round((ordered[middle - 1] + ordered[middle]) / 2, 1)


def _spread(ident: str, title: str, scores: list[float | None], disagreement: float) -> Spread:
    known = [s for s in scores if s is not None]
    if len(known) < MIN_GROUP:
        return Spread(ident, title, len(known), None, None, None, disagreement)
    return Spread(ident, title, len(known), _median(known), min(known), max(known), disagreement)


def _spreads(results: list[Result], disagreement: float) -> tuple[Spread, tuple[Spread, ...]]:
    overall = _spread("overall", "Overall", [r.overall.score for r in results], disagreement)
    first = results[0]
    dimensions = tuple(
        _spread(d.id, d.title, [r.dimension(d.id).score for r in results], disagreement) for d in first.dimensions
    )
    return overall, dimensions


def aggregate(
    responses: list[tuple[str, Result]],
    flag_share: float = 0.3,
    disagreement: float = 40.0,
    divide_at: float = 20.0,
) -> TeamSummary:
    """Combine several respondents' results of one questionnaire, keeping every respondent unidentifiable.

    `responses` pairs each result with the department the respondent speaks for. Departments with fewer than
    MIN_GROUP respondents are merged into "other"; a group still below MIN_GROUP is not shown apart. Nothing
    is shown at all until MIN_GROUP people have answered.
    """
    results = [result for _, result in responses]
    n = len(results)
    if n < MIN_GROUP:
        empty = Spread("overall", "Overall", n, None, None, None, disagreement)
        return TeamSummary(n, False, empty, (), (), (), ())
    overall, dimensions = _spreads(results, disagreement)

    by_department: dict[str, list[Result]] = {}
    for department, result in responses:
        by_department.setdefault(department, []).append(result)
    merged: dict[str, list[Result]] = {}
    for department, members in by_department.items():
        name = department if len(members) >= MIN_GROUP and department != OTHER else OTHER
        merged.setdefault(name, []).extend(members)
    groups = []
    for name in sorted(merged, key=lambda g: (g == OTHER, g)):
        members = merged[name]
        if len(members) < MIN_GROUP or len(merged) == 1:
            continue  # too few to show apart, or the only group (the whole team already says it)
        group_overall, group_dimensions = _spreads(members, disagreement)
        groups.append(Group(name, len(members), group_overall, group_dimensions))

    counts: dict[str, int] = {}
    raised: dict[str, Flag] = {}
    for result in results:
        for flag in result.flags:
            counts[flag.id] = counts.get(flag.id, 0) + 1
            raised.setdefault(flag.id, flag)
    severity = {"critical": 0, "warning": 1, "notice": 2}
    flags = sorted(
        (
            SharedFlag(f.id, f.title, f.severity, f.criterion, f.advice, counts[f.id], round(counts[f.id] / n, 3))
            for f in raised.values()
            if counts[f.id] / n >= flag_share
        ),
        key=lambda f: (severity[f.severity], -f.count, f.id),
    )

    divides = []
    for index, first in enumerate(groups):
        for second in groups[index + 1 :]:
            for a, b in zip(first.dimensions, second.dimensions, strict=True):
                if a.median is not None and b.median is not None and abs(a.median - b.median) >= divide_at:
                    divides.append(Divide(a.id, a.title, first.name, a.median, second.name, b.median))
    divides.sort(key=lambda d: -d.gap)
    return TeamSummary(n, True, overall, dimensions, tuple(groups), tuple(flags), tuple(divides))


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
) -> tuple[Gap, ...]:
    """Dimension by dimension (the ids both questionnaires share): each side's score and what to ask.

    The questions come from the candidate's interview questions in that dimension, then from what the
    organisation's own questionnaire says a candidate will probe there.
    """
    shared = candidate_questionnaire.dimensions_in(candidate_questionnaire.main_part.id)
    org_dimensions = {d.id for d in organisation_questionnaire.dimensions}
    gaps = []
    for dimension in shared:
        if dimension.id not in org_dimensions:
            continue
        score = candidate.dimension(dimension.id).score
        other = organisation.get(dimension.id)
        gap = Gap(dimension.id, dimension.title, score, other, ())
        if gap.worth_asking:
            asks = [
                q.ask
                for q in candidate.interview_questions
                if candidate_questionnaire.question(q.question).dimension == dimension.id
            ][:per_side]
            asks += [q.ask for q in organisation_questionnaire.questions_in(dimension.id) if q.ask][:per_side]
            gap = Gap(dimension.id, dimension.title, score, other, tuple(dict.fromkeys(asks)))
        gaps.append(gap)
    return tuple(gaps)
