"""What a report shows, gathered once for the results page and the PDF (one template set serves both)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup

from assess.core import UNKNOWN, UNKNOWN_LABEL, Questionnaire, Result, result_from_dict
from assess.core.compare import Comparison, compare
from assess.core.model import Question

from .charts import Bar, bar_chart


@dataclass(frozen=True)
class Answered:
    """One question with the answer given, for "why" lists."""

    id: str
    text: str
    answer: str
    criterion: str
    known: bool


@dataclass(frozen=True)
class Action:
    """One line of the summary's "Do these first": a heading with its own closing punctuation, and what to do."""

    heading: str
    text: str


TOP_ACTIONS = 3
"""How many actions the summary puts first."""


def _sentence(title: str) -> str:
    """A title ended as a sentence: a full stop unless it already ends in one, a question or an exclamation mark."""
    return title if title.endswith((".", "?", "!")) else f"{title}."


@dataclass(frozen=True)
class Report:
    """Everything the report templates need, and nothing they have to compute."""

    questionnaire: Questionnaire
    result: Result
    label: str
    notes: dict[str, str]
    created_at: datetime
    token: str
    comparison: Comparison | None
    previous_token: str | None
    answers: dict[str, str]
    job_ad: dict[str, Any] | None = None
    """What the result keeps of a job ad read first: the answers that came from it and the findings, as quotes
    (assess.web.jobads.kept_summary); None when no ad was read."""

    def answered(self, question_id: str) -> Answered:
        """A question and its answer, readable even if the questionnaire has since dropped the question."""
        try:
            question: Question | None = self.questionnaire.question(question_id)
        except KeyError:
            question = None
        answer = self.answers.get(question_id, UNKNOWN)
        if question is None:
            return Answered(question_id, question_id, answer, "", answer != UNKNOWN)
        label = UNKNOWN_LABEL if answer == UNKNOWN else _option_label(question, answer)
        return Answered(question.id, question.text, label, question.criterion, answer != UNKNOWN)

    def chart(self, part: str, title: str) -> Markup:
        """The SVG bar chart of one part's dimensions, with the previous result's scores marked if any."""
        before = {c.id: c.before for c in self.comparison.dimensions} if self.comparison else {}
        bars = [Bar(d.title, d.score, before.get(d.id)) for d in self.result.dimensions if d.part == part]
        return bar_chart(bars, title)

    def dimension_criteria(self, dimension_id: str) -> list[str]:
        """The criteria ids a dimension's questions rest on, in order, each once."""
        ids = (q.criterion for q in self.questionnaire.questions if q.dimension == dimension_id)
        return list(dict.fromkeys(ids))

    def section_title(self, section_id: str) -> str:
        """A section's title, or its id if the questionnaire no longer has it."""
        for section in self.questionnaire.sections:
            if section.id == section_id:
                return section.title
        return section_id

    def part_title(self, part_id: str) -> str:
        """A part's title."""
        return self.questionnaire.part(part_id).title

    def unscored(self, part: str) -> list[str]:
        """The titles of a part's dimensions that have no score: every answer on them was "don't know"."""
        return [d.title for d in self.result.dimensions if d.part == part and d.score is None]

    @property
    def top_actions(self) -> list[Action]:
        """The three things to do first: the head of the plan (or of the fixes, or of the recommendations).

        A job seeker with fewer than three (a good employer, or one they know little about yet: the usual case
        before an interview) gets the first questions to ask in the interview after them, one per criterion and
        none on a criterion the advice already covers: asking is the action that finds out."""
        advice = next(
            (plan for plan in (self.result.action_plan, self.result.fixes, self.result.recommendations) if plan), ()
        )
        actions = [Action(_sentence(item.title), item.text) for item in advice[:TOP_ACTIONS]]
        covered = {criterion for item in advice[:TOP_ACTIONS] for criterion in item.criteria}
        for question in self.result.interview_questions:
            if len(actions) == TOP_ACTIONS:
                break
            if question.criterion not in covered:
                covered.add(question.criterion)
                actions.append(Action(f"Ask: {question.ask}", f"Why it matters: {question.why}"))
        return actions

    @property
    def figures(self) -> list[Any]:
        """The published figures this questionnaire's reports cite, in the questionnaire's order."""
        return list(self.questionnaire.figures)


def _option_label(question: Question, answer: str) -> str:
    try:
        return question.option(answer).label
    except KeyError:
        return answer


def build_report(
    questionnaire: Questionnaire,
    snapshot: dict[str, Any],
    answers: dict[str, str],
    label: str,
    notes: dict[str, str],
    created_at: datetime,
    token: str,
    previous: dict[str, Any] | None = None,
    previous_token: str | None = None,
    job_ad: dict[str, Any] | None = None,
) -> Report:
    """Gather a stored result (and the one it re-audits, if any) into a Report."""
    result = result_from_dict(snapshot)
    comparison = compare(result_from_dict(previous), result) if previous is not None else None
    return Report(
        questionnaire, result, label, notes, created_at, token, comparison, previous_token, answers, job_ad or None
    )
