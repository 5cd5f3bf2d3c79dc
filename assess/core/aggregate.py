"""Several respondents for one organisation: medians, spreads, departments and where they disagree, with every
respondent kept unidentifiable (nothing shown for fewer than MIN_GROUP people)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import Band, Flag, Part, Result, Severity

MIN_GROUP = 3
"""No statistic is shown for fewer respondents than this, so no one's answers can be singled out."""
MIN_REST = 2
"""The fewest respondents outside the largest department whose agreement with it may be told (never in numbers):
with one, it would tell that person's own view."""
DISPUTE_ONE_IN = 3
"""A critical flag raised by at least one respondent in this many caps the team's band, as it caps one result's."""
OTHER = "other"
"""The department of respondents who named none, and of every department too small to be shown apart."""


def merged_department(department: str, respondents: int) -> str:
    """The department a respondent is counted and shown under: their own when it has at least MIN_GROUP
    respondents, else "other", so a small department can never single anyone out."""
    return department if respondents >= MIN_GROUP and department != OTHER else OTHER


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
    severity: Severity
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
class Unshown:
    """A department with too few respondents to be shown apart: where its answers are counted instead."""

    department: str
    n: int
    counted_in: Literal["other", "overall"]
    """OTHER when the merged "other" group is shown apart, "overall" when they count only in the overall figures."""


@dataclass(frozen=True)
class Agreement:
    """Whether the respondents outside the largest department see one dimension (or overall) as it does.

    Told only as agree or differ, never with the rest's figures, so a small department is not exposed."""

    id: str
    title: str
    agrees: bool | None
    """None when nobody outside the department could score it."""


@dataclass(frozen=True)
class RestView:
    """The rest of the organisation beside the only department large enough to be shown apart."""

    department: str
    n_rest: int
    overall: Agreement
    dimensions: tuple[Agreement, ...]

    @property
    def differs(self) -> tuple[Agreement, ...]:
        """The dimensions on which the rest of the organisation sees it differently."""
        return tuple(a for a in self.dimensions if a.agrees is False)


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
    unshown: tuple[Unshown, ...] = ()
    """Departments too small to be shown apart, with their counts and where they are counted."""
    rest: RestView | None = None
    """With one department shown apart and at least MIN_REST others: whether the others agree with it."""
    disputed_by: tuple[SharedFlag, ...] = ()
    """Critical flags raised by at least a third of respondents (DISPUTE_ONE_IN): they cap the team's band."""

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


def capped_band(part: Part, median: float | None, disputed: bool) -> tuple[Band | None, bool]:
    """The team's band for its median overall score, held at the part's `critical_cap` while a critical flag is
    raised by at least a third of respondents (as one result's band is while it raises one); and whether it
    was held down."""
    if median is None:
        return None, False
    index = next(
        (i for i, b in enumerate(part.bands) if b.low <= median < b.high),
        len(part.bands) - 1,  # 100 itself belongs to the top band
    )
    if disputed and part.critical_cap is not None:
        cap = next(i for i, b in enumerate(part.bands) if b.id == part.critical_cap)
        if index > cap:
            return part.bands[cap], True
    return part.bands[index], False


def _median_or_none(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return _median(known) if known else None


def _rest_view(
    name: str, members: list[Result], rest: list[Result], dimensions: tuple[Spread, ...], divide_at: float
) -> RestView:
    def agreement(ident: str, title: str, ours: list[float | None], theirs: list[float | None]) -> Agreement:
        mine, others = _median_or_none(ours), _median_or_none(theirs)
        if mine is None or others is None:
            return Agreement(ident, title, None)
        return Agreement(ident, title, abs(mine - others) < divide_at)

    overall = agreement("overall", "Overall", [r.overall.score for r in members], [r.overall.score for r in rest])
    agreements = tuple(
        agreement(d.id, d.title, [r.dimension(d.id).score for r in members], [r.dimension(d.id).score for r in rest])
        for d in dimensions
    )
    return RestView(name, len(rest), overall, agreements)


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
        return TeamSummary(n, False, empty, (), (), (), ())  # nothing, not even who answered from where
    overall, dimensions = _spreads(results, disagreement)

    by_department: dict[str, list[Result]] = {}
    for department, result in responses:
        by_department.setdefault(department, []).append(result)
    merged: dict[str, list[Result]] = {}
    for department, members in by_department.items():
        name = merged_department(department, len(members))
        merged.setdefault(name, []).extend(members)
    groups = []
    for name in sorted(merged, key=lambda g: (g == OTHER, g)):
        members = merged[name]
        if len(members) < MIN_GROUP or len(merged) == 1:
            continue  # too few to show apart, or the only group (the whole team already says it)
        group_overall, group_dimensions = _spreads(members, disagreement)
        groups.append(Group(name, len(members), group_overall, group_dimensions))
    shown = {g.name for g in groups}
    unshown = []
    for department, members in sorted(by_department.items()):
        if merged_department(department, len(members)) != OTHER or (department == OTHER and OTHER in shown):
            continue  # shown under its own name, or is the "other" group shown apart
        unshown.append(Unshown(department, len(members), "other" if OTHER in shown else "overall"))
    rest = None
    large = [name for name in merged if name != OTHER]
    if len(large) == 1 and OTHER not in shown:
        outside = [result for department, result in responses if department != large[0]]
        if len(outside) >= MIN_REST:
            rest = _rest_view(large[0], merged[large[0]], outside, dimensions, divide_at)

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
    disputed_by = tuple(
        SharedFlag(f.id, f.title, f.severity, f.criterion, f.advice, counts[f.id], round(counts[f.id] / n, 3))
        for f in raised.values()
        if f.severity == "critical" and counts[f.id] * DISPUTE_ONE_IN >= n
    )
    return TeamSummary(
        n, True, overall, dimensions, tuple(groups), tuple(flags), tuple(divides), tuple(unshown), rest, disputed_by
    )
