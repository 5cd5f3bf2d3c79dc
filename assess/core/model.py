"""The domain's value types: questionnaires as loaded from YAML, and the results of scoring them.

Everything here is immutable. Questionnaires are validated by `assess.core.catalog` before these objects are
built, and the constructors below re-check the invariants that scoring relies on, so an inconsistent questionnaire
cannot exist. Questionnaires are frozen dataclasses; the results of scoring are frozen, slotted dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

UNKNOWN = "unknown"
"""The answer that every question accepts: the person does not know. Kept out of the score."""
UNKNOWN_LABEL = "Don't know"
"""How UNKNOWN reads wherever a person sees it: the wizard's option, the review page, the report, the CSV export."""

TEAM_DEPARTMENTS = ("marketing", "it", "pr", "support", "executive", "other")
"""The departments a team respondent may speak for (a question's `team` names some of them)."""

QUICK_MAX = 12
"""The most questions a quick path may hold."""

Severity = Literal["critical", "warning", "notice"]
SEVERITIES: tuple[Severity, ...] = ("critical", "warning", "notice")


@dataclass(frozen=True)
class Criterion:
    """One entry of the criteria catalogue: the article's yardstick behind every question and finding."""

    id: str
    group: str
    title: str
    description: str


@dataclass(frozen=True)
class Figure:
    """A published figure that a report may cite, always with its source and year."""

    id: str
    statement: str
    source: str
    year: int
    status: Literal["verified", "secondary", "article"]
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    """One possible answer to a question, worth a number of points."""

    id: str
    label: str
    points: int


@dataclass(frozen=True)
class Question:
    """A question about an observable fact, tied to one criterion and, optionally, to challenges."""

    id: str
    dimension: str
    section: str
    criterion: str
    text: str
    options: tuple[Option, ...]
    help: str = ""
    weight: float = 1.0
    challenges: tuple[str, ...] = ()
    ask: str = ""
    """What to ask (job seeker) or what a candidate will probe (hiring manager) when the answer is weak."""
    improve: str = ""
    """What to do about a weak answer: the action-plan step or the fix before hiring."""
    team: tuple[str, ...] | None = None
    """The team departments whose respondents are asked this question; None for every department, () for none (it
    stays with the hiring manager's own questionnaire)."""

    @property
    def max_points(self) -> int:
        """The most points any option of this question is worth."""
        return self._max_points

    def option(self, option_id: str) -> Option:
        """The option with this id; KeyError when there is none."""
        return self._options_by_id[option_id]

    def has_option(self, option_id: str) -> bool:
        """True when one of this question's options has this id."""
        return option_id in self._options_by_id

    def asked_in_team(self, department: str) -> bool:
        """True when a team respondent speaking for this department is asked this question."""
        return self.team is None or department in self.team

    def __post_init__(self) -> None:
        # Looked up for every answer of every score (and again for every "what would this gain" estimate):
        # computed once, since a question never changes.
        object.__setattr__(self, "_options_by_id", {option.id: option for option in self.options})
        object.__setattr__(self, "_max_points", max((option.points for option in self.options), default=0))

    _options_by_id: dict[str, Option] = field(init=False, repr=False, compare=False)
    _max_points: int = field(init=False, repr=False, compare=False)


@dataclass(frozen=True)
class Dimension:
    """A weighted group of questions that gets its own score."""

    id: str
    title: str
    part: str
    weight: float
    description: str = ""
    advice: str = ""
    """The recommendation shown when this dimension scores weak."""


@dataclass(frozen=True)
class Band:
    """A score range with its message. Covers `low` <= score < `high` (the top band includes 100)."""

    id: str
    label: str
    low: float
    high: float
    message: str


@dataclass(frozen=True)
class Part:
    """A separately scored part of a questionnaire (the employer, the candidate's own pitch)."""

    id: str
    title: str
    bands: tuple[Band, ...]
    critical_cap: str | None = None
    """The best band a result may reach while a critical flag of this part is raised."""


@dataclass(frozen=True)
class Section:
    """One page of the wizard: a title, a short introduction, and the questions in order."""

    id: str
    title: str
    intro: str = ""


# Conditions are data: a small tree of all / any / not over answers and dimension scores.
@dataclass(frozen=True)
class AnswerIs:
    """True when the question's answer is one of `options` ("unknown" allowed)."""

    question: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class ScoreBelow:
    """True when the dimension (or, with dimension None, the overall score) is scored and below `value`."""

    dimension: str | None
    value: float


@dataclass(frozen=True)
class ConfidenceBelow:
    """True when less than `value` (a share, 0 to 1) of the overall weight was answered."""

    value: float


@dataclass(frozen=True)
class AllOf:
    """True when every condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when at least one condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """True when the condition does not hold."""

    condition: Condition


@dataclass(frozen=True)
class Always:
    """Always true: the fallback of an ordered list such as the verdicts."""


Condition: TypeAlias = AnswerIs | ScoreBelow | ConfidenceBelow | AllOf | AnyOf | Not | Always


@dataclass(frozen=True)
class Rule:
    """A deal-breaker on a combination of answers: raises a flag whatever the total."""

    id: str
    part: str
    severity: Severity
    criterion: str
    title: str
    why: str
    advice: str
    when: Condition
    paragraphs: tuple[int, ...] = ()
    """The article's paragraphs this rule follows (every non-blank line of the article counts as one)."""
    article: str = ""
    """The article's point this rule encodes, paraphrased."""
    research: str = ""
    """For a rule resting on the hiring research rather than the article: that research, with its source."""


@dataclass(frozen=True)
class Verdict:
    """One possible career-path verdict; the first whose condition holds is given."""

    id: str
    title: str
    message: str
    when: Condition


@dataclass(frozen=True)
class Audience:
    """How the app names a questionnaire's audience and what its label stands for, wherever a person reads it."""

    reader: str
    """Who the report is for: "Job seeker"."""
    subject: str
    """What the assessment's label names, in the report: "Employer"."""
    label_caption: str
    """The wizard's caption of the label field: "Employer's name"."""


AUDIENCES: dict[str, Audience] = {
    "job-seeker": Audience("Job seeker", "Employer", "Employer's name"),
    "strategist": Audience("Current strategist", "Role", "Role or organisation name"),
    "hiring-manager": Audience("Hiring manager", "Organisation", "Organisation or team name"),
}
OTHER_AUDIENCE = Audience("Reader", "Name", "A name for this assessment")
"""For a questionnaire whose audience is none of the above."""


@dataclass(frozen=True)
class Questionnaire:
    """A whole questionnaire, as its YAML file defines it."""

    slug: str
    version: str
    title: str
    audience: str
    summary: str
    points_max: int
    parts: tuple[Part, ...]
    sections: tuple[Section, ...]
    dimensions: tuple[Dimension, ...]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...] = ()
    verdicts: tuple[Verdict, ...] = ()
    covers: tuple[str, ...] = ()
    """The catalogue groups (ER, CP, RA, CH, HM) whose every criterion this questionnaire must ask about."""
    extras: tuple[str, ...] = ()
    """What this questionnaire adds to the common result: "interview_questions", "pitch", "verdict",
    "action_plan", "probes", "fixes", "challenges"."""
    challenges: tuple[Criterion, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    """The catalogue entries this questionnaire's questions, rules and challenges refer to."""
    figures: tuple[Figure, ...] = ()
    quick: tuple[str, ...] = ()
    """The quick path: the few questions, in order, that move the result most (at most QUICK_MAX)."""
    quick_minutes: int = 0
    """About how long the quick path takes."""

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError when there is none."""
        return self._questions_by_id[question_id]

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with this id; KeyError when there is none."""
        return self._dimensions_by_id[dimension_id]

    def part(self, part_id: str) -> Part:
        """The part with this id; KeyError when there is none."""
        return self._parts_by_id[part_id]

    def criterion(self, criterion_id: str) -> Criterion:
        """The catalogue entry with this id; KeyError when there is none."""
        return self._criteria_by_id[criterion_id]

    def questions_in(self, dimension_id: str) -> tuple[Question, ...]:
        """The questions of one dimension, in questionnaire order."""
        return self._questions_by_dimension.get(dimension_id, ())

    def questions_in_section(self, section_id: str) -> tuple[Question, ...]:
        """The questions of one wizard section, in questionnaire order."""
        return tuple(q for q in self.questions if q.section == section_id)

    def weight_share(self, question_id: str) -> float:
        """The question's share of its part's weight: how much it can move that part's score."""
        return self._weight_shares[question_id]

    def criteria_in(self, dimension_id: str) -> tuple[str, ...]:
        """The criteria one dimension's questions rest on, each once, in questionnaire order."""
        return self._criteria_by_dimension.get(dimension_id, ())

    def question_ids_in(self, dimension_id: str) -> tuple[str, ...]:
        """The ids of one dimension's questions, in questionnaire order."""
        return self._question_ids_by_dimension.get(dimension_id, ())

    def questions_in_part(self, part_id: str) -> tuple[Question, ...]:
        """The questions of one part (of all its dimensions), in questionnaire order."""
        return self._questions_by_part.get(part_id, ())

    def dimensions_in(self, part_id: str) -> tuple[Dimension, ...]:
        """The dimensions of one part, in questionnaire order."""
        return self._dimensions_by_part.get(part_id, ())

    @property
    def main_part(self) -> Part:
        """The part whose score is the questionnaire's overall score (the first one)."""
        return self.parts[0]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_questions_by_id", {q.id: q for q in self.questions})
        object.__setattr__(self, "_dimensions_by_id", {d.id: d for d in self.dimensions})
        object.__setattr__(self, "_parts_by_id", {p.id: p for p in self.parts})
        by_id = {c.id: c for c in self.criteria}
        by_id.update({c.id: c for c in self.challenges})
        object.__setattr__(self, "_criteria_by_id", by_id)
        # Groupings the scoring asks for many times per score; a questionnaire never changes.
        object.__setattr__(
            self,
            "_questions_by_dimension",
            {d.id: tuple(q for q in self.questions if q.dimension == d.id) for d in self.dimensions},
        )
        object.__setattr__(
            self,
            "_question_ids_by_dimension",
            {d: tuple(q.id for q in questions) for d, questions in self._questions_by_dimension.items()},
        )
        object.__setattr__(
            self,
            "_criteria_by_dimension",
            {
                d: tuple(dict.fromkeys(q.criterion for q in questions))
                for d, questions in self._questions_by_dimension.items()
            },
        )
        object.__setattr__(
            self, "_dimensions_by_part", {p.id: tuple(d for d in self.dimensions if d.part == p.id) for p in self.parts}
        )
        part_of = {d.id: d.part for d in self.dimensions}
        object.__setattr__(
            self,
            "_questions_by_part",
            {p.id: tuple(q for q in self.questions if part_of.get(q.dimension) == p.id) for p in self.parts},
        )
        shares = {}
        for q in self.questions:
            dimension = self._dimensions_by_id.get(q.dimension)
            if dimension is None:
                continue  # reported just below
            part_weight = sum(d.weight for d in self._dimensions_by_part.get(dimension.part, ()))
            dim_weight = sum(other.weight for other in self._questions_by_dimension[dimension.id])
            shares[q.id] = dimension.weight / part_weight * q.weight / dim_weight if part_weight and dim_weight else 0.0
        object.__setattr__(self, "_weight_shares", shares)
        if len(self._questions_by_id) != len(self.questions):
            raise ValueError(f"{self.slug}: duplicate question ids")
        for q in self.questions:
            if q.dimension not in self._dimensions_by_id:
                raise ValueError(f"{self.slug}: question {q.id} names unknown dimension {q.dimension}")

    _questions_by_id: dict[str, Question] = field(init=False, repr=False, compare=False)
    _dimensions_by_id: dict[str, Dimension] = field(init=False, repr=False, compare=False)
    _parts_by_id: dict[str, Part] = field(init=False, repr=False, compare=False)
    _criteria_by_id: dict[str, Criterion] = field(init=False, repr=False, compare=False)
    _questions_by_dimension: dict[str, tuple[Question, ...]] = field(init=False, repr=False, compare=False)
    _dimensions_by_part: dict[str, tuple[Dimension, ...]] = field(init=False, repr=False, compare=False)
    _weight_shares: dict[str, float] = field(init=False, repr=False, compare=False)
    _question_ids_by_dimension: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _criteria_by_dimension: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    memo: dict[object, object] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Immutable values derived from the questionnaire alone, made once and shared by every score (advice uses it)."""
    _questions_by_part: dict[str, tuple[Question, ...]] = field(init=False, repr=False, compare=False)


# ---------------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class Score:
    """A score in [0, 100] (None when nothing behind it was answered), its band and its confidence."""

    score: float | None
    band: str | None
    band_label: str | None
    band_message: str | None
    confidence: float
    answered: int
    total: int
    capped: bool = False
    """True when a critical flag held the band below what the score alone would give."""


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """One dimension's score, with the questions behind it."""

    id: str
    title: str
    part: str
    score: float | None
    confidence: float
    questions: tuple[str, ...]
    answered: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Flag:
    """A raised rule: what it means, why it fired, and what answers it."""

    id: str
    part: str
    severity: Severity
    criterion: str
    title: str
    why: str
    advice: str
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChallengeExposure:
    """How exposed the role or employer is to one of the six challenges (0 none, 100 fully)."""

    id: str
    title: str
    exposure: float | None
    confidence: float
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A piece of advice, the criterion it rests on and the questions that called for it."""

    id: str
    kind: Literal["flag", "dimension", "question"]
    title: str
    text: str
    criteria: tuple[str, ...]
    questions: tuple[str, ...]
    impact: float
    """How much fixing it would move the score, in points of the overall (flags rank by severity first)."""


@dataclass(frozen=True, slots=True)
class InterviewQuestion:
    """A question for the job seeker to ask, generated from an unknown or weak answer."""

    question: str
    ask: str
    why: str
    criterion: str
    reason: Literal["unknown", "weak", "strong"]


@dataclass(frozen=True, slots=True)
class VerdictResult:
    """The career-path verdict with the reasons behind it."""

    id: str
    title: str
    message: str
    reasons: tuple[str, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Result:
    """Everything computed from one set of answers to one questionnaire."""

    questionnaire: str
    version: str
    overall: Score
    parts: dict[str, Score]
    dimensions: tuple[DimensionScore, ...]
    flags: tuple[Flag, ...]
    challenges: tuple[ChallengeExposure, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    interview_questions: tuple[InterviewQuestion, ...] = ()
    pitch_advice: tuple[Recommendation, ...] = ()
    action_plan: tuple[Recommendation, ...] = ()
    probes: tuple[InterviewQuestion, ...] = ()
    fixes: tuple[Recommendation, ...] = ()
    verdict: VerdictResult | None = None

    def dimension(self, dimension_id: str) -> DimensionScore:
        """The score of one dimension; KeyError when there is none."""
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(dimension_id)
