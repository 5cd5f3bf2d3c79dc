"""What a team report shows: the aggregate, plus the advice drawn from it (one object for page and PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from assess.core import Questionnaire
from assess.core.aggregate import Divide, SharedFlag, Spread, TeamSummary, capped_band
from assess.core.findings import CAPS, NEXT_MOVES
from assess.core.model import SEVERITIES

from .charts import Bar, html_bar_chart
from .context import LOW_NAME, first_sentence

WEAK = 60.0
BATTLE = ("marketing", "it")
"""The article's budget battle: where these two departments see ownership or collaboration differently."""
BATTLE_CRITERIA = {"ER-OWNERSHIP", "ER-COLLAB"}


@dataclass(frozen=True)
class TeamAdvice:
    """One thing to fix, or to expect a candidate to probe, with the reason it was chosen (in plain words). A fix
    carries `ask`, the question a candidate will ask about it, so the probes need not name its criterion again."""

    title: str
    text: str
    reason: str
    severity: str | None = None
    ask: str = ""


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

    def bars(self) -> list[Bar]:
        """The median score per dimension of the main part."""
        main = {d.id for d in self.questionnaire.dimensions_in(self.questionnaire.main_part.id)}
        return [Bar(s.title, s.median) for s in self.summary.dimensions if s.id in main]

    def chart(self, title: str) -> Markup:
        """The medians as a bar chart, for the screen (`title` names it on paper, see PrintTeamReport)."""
        return html_bar_chart(self.bars())

    @property
    def verdict_name(self) -> str:
        """The combined verdict's one name: the band of the median, or that too little is known."""
        return self.band_label or LOW_NAME

    @property
    def verdict_sentence(self) -> str:
        """The combined verdict in one sentence."""
        if self.band_message:
            return first_sentence(self.band_message)
        return (
            "Nobody could score the organisation yet: the answers were mostly “Don't know”. "
            "The questions below would tell."
        )

    @property
    def next_moves(self) -> tuple[TeamAdvice, ...]:
        """The first fixes: what to do first."""
        return self.fixes[:NEXT_MOVES]

    @property
    def more_fixes(self) -> tuple[tuple[TeamAdvice, ...], tuple[TeamAdvice, ...]]:
        """The fixes after the next moves, up to the cap, and the rest (under the detail)."""
        cap = CAPS["fixes"]
        return self.fixes[NEXT_MOVES:cap], self.fixes[cap:]

    @property
    def shown_probes(self) -> tuple[tuple[TeamAdvice, ...], tuple[TeamAdvice, ...]]:
        """The probes up to the cap, and the rest (under the detail)."""
        cap = CAPS["probes"]
        return self.probes[:cap], self.probes[cap:]

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
    # Each criterion's area, and the question a candidate asks about it (its first question that has one).
    area: dict[str, str] = {}
    asks: dict[str, str] = {}
    for question in questionnaire.questions:
        area.setdefault(question.criterion, question.dimension)
        if question.ask:
            asks.setdefault(question.criterion, question.ask)
    # One flag per criterion, the most severe, as on a single result: two flags of one criterion advise alike.
    flagged_criteria: dict[str, SharedFlag] = {}
    for shared in sorted(summary.flags, key=lambda f: SEVERITIES.index(f.severity)):
        if shared.severity != "notice":
            flagged_criteria.setdefault(shared.criterion, shared)
    flags = list(flagged_criteria.values())
    fixes = [
        TeamAdvice(
            f.title, f.advice, f"Raised by {f.count} of {summary.n} respondents.", f.severity, asks.get(f.criterion, "")
        )
        for f in flags
    ]
    # A listed flag's advice is the sharper form of its area's: the area's own fix would say it again.
    flagged = {area[f.criterion] for f in flags if f.criterion in area}
    asked = {f.criterion for f in flags if f.criterion in asks}
    probes: list[TeamAdvice] = []
    # Weakest first, so the fixes and probes that matter most lead; unscored areas last.
    for spread in sorted(summary.dimensions, key=lambda s: (s.median is None, s.median or 0.0)):
        dimension = questionnaire.dimension(spread.id)
        weak = spread.median is not None and spread.median < WEAK
        unknown = spread.median is None
        if not weak and not spread.disagreement and not unknown:
            continue
        if unknown:
            why = "Too few respondents could answer this."
        else:
            why = f"The median respondent scores it {spread.median:.0f} out of 100" + (
                f"; answers range from {spread.low:.0f} to {spread.high:.0f}." if spread.disagreement else "."
            )
        # One question per criterion (two wordings of one criterion are one probe), none a fix has asked already.
        criteria = dict.fromkeys(q.criterion for q in questionnaire.questions_in(dimension.id))
        unasked = [c for c in criteria if c in asks and c not in asked]
        asked.update(unasked)
        if not unknown and dimension.id not in flagged:
            # The area's fix carries its first question; the rest are probes.
            ask = asks[unasked.pop(0)] if unasked else ""
            fixes.append(TeamAdvice(dimension.title, dimension.advice, why, ask=ask))
        for criterion in unasked:
            # Titled by what it tests, as a single result's findings are: several probes of one weak area
            # would otherwise all carry the area's name.
            probes.append(TeamAdvice(questionnaire.criterion(criterion).title, asks[criterion], why))
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
