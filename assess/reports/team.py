"""What a team report shows: the aggregate, plus the advice drawn from it (one object for page and PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from assess.core import Questionnaire
from assess.core.aggregate import Divide, Spread, TeamSummary, capped_band

from .charts import Bar, bar_chart

WEAK = 60.0
BATTLE = ("marketing", "it")
"""The article's budget battle: where these two departments see ownership or collaboration differently."""
BATTLE_CRITERIA = {"ER-OWNERSHIP", "ER-COLLAB"}


@dataclass(frozen=True)
class TeamAdvice:
    """One thing to fix, or to expect a candidate to probe, with the reason it was chosen."""

    title: str
    text: str
    reason: str


@dataclass(frozen=True)
class TeamReport:
    """A team's combined readiness, disagreements, and advice."""

    questionnaire: Questionnaire
    name: str
    summary: TeamSummary
    created_at: datetime
    band_label: str | None
    band_message: str | None
    fixes: tuple[TeamAdvice, ...]
    probes: tuple[TeamAdvice, ...]
    battle: tuple[Divide, ...]
    department_names: dict[str, str]
    band_capped: bool = False
    """True when a critical flag raised by a third or more of respondents held the band below the median's."""

    def chart(self, title: str) -> Markup:
        """Median score per dimension of the main part, as an SVG bar chart."""
        main = {d.id for d in self.questionnaire.dimensions_in(self.questionnaire.main_part.id)}
        bars = [Bar(s.title, s.median) for s in self.summary.dimensions if s.id in main]
        return bar_chart(bars, title)

    def department(self, name: str) -> str:
        """A department's display name."""
        return self.department_names.get(name, name)

    @property
    def unscored(self) -> list[str]:
        """The titles of the main part's dimensions no respondent could score: every answer on them was "don't know"."""
        main = {d.id for d in self.questionnaire.dimensions_in(self.questionnaire.main_part.id)}
        return [s.title for s in self.summary.dimensions if s.id in main and s.median is None]

    @property
    def disagreements(self) -> tuple[Spread, ...]:
        """The dimensions on which respondents' scores lie far apart."""
        return tuple(s for s in self.summary.dimensions if s.disagreement)


def build_team_report(
    questionnaire: Questionnaire,
    name: str,
    summary: TeamSummary,
    created_at: datetime,
    department_names: dict[str, str],
) -> TeamReport:
    """Turn an aggregate into a report: band of the median, fixes, probes, and the marketing-IT divide."""
    band, band_capped = capped_band(questionnaire.main_part, summary.overall.median, bool(summary.disputed_by))
    band_label, band_message = (band.label, band.message) if band is not None else (None, None)
    fixes: list[TeamAdvice] = [
        TeamAdvice(
            f.title,
            f.advice,
            f"Raised by {f.count} of {summary.n} respondents ({f.share:.0%}); criterion {f.criterion}.",
        )
        for f in summary.flags
        if f.severity != "notice"
    ]
    probes: list[TeamAdvice] = []
    for spread in summary.dimensions:
        dimension = questionnaire.dimension(spread.id)
        weak = spread.median is not None and spread.median < WEAK
        if not weak and not spread.disagreement:
            continue
        why = (
            f"Median {spread.median:.0f}"
            + (f"; respondents range from {spread.low:.0f} to {spread.high:.0f}" if spread.disagreement else "")
            + "."
        )
        fixes.append(TeamAdvice(dimension.title, dimension.advice, why))
        for question in questionnaire.questions_in(dimension.id):
            if question.ask:
                probes.append(TeamAdvice(dimension.title, question.ask, why))
    battleground = {q.dimension for q in questionnaire.questions if q.criterion in BATTLE_CRITERIA}
    battle = tuple(d for d in summary.divides_between(*BATTLE) if d.dimension in battleground)
    return TeamReport(
        questionnaire,
        name,
        summary,
        created_at,
        band_label,
        band_message,
        tuple(fixes),
        tuple(probes),
        battle,
        department_names,
        band_capped,
    )
