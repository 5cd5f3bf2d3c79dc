"""Before and after: what changed between two results of the same questionnaire (a re-audit)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Result


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
