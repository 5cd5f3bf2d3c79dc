"""What a report shows, gathered once for the results page and the PDF (one template set serves both)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from markupsafe import Markup

from assess.core import UNKNOWN, UNKNOWN_LABEL, Questionnaire, Result, result_from_dict
from assess.core.compare import Comparison, compare
from assess.core.findings import CAPS, NEXT_MOVES, Finding, confidence_words, is_low_confidence, rank_findings
from assess.core.model import Question, Score

from .charts import Bar, html_bar_chart


@dataclass(frozen=True)
class Answered:
    """One question with the answer given, for "why" lists."""

    id: str
    text: str
    answer: str
    criterion: str
    known: bool


LOW_NAME = "Not enough answers yet"
"""The verdict's name when too little is known to give one."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"'])")


def first_sentence(text: str) -> str:
    """The first sentence of a message (up to the first full stop, question or exclamation mark before a capital)."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0] if text.strip() else ""


def shown(value: float) -> int:
    """A score as the reports print it: rounded to a whole number the way "%.0f" does."""
    return int(f"{value:.0f}")


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

    def bars(self, part: str) -> list[Bar]:
        """One bar per dimension of a part, with the previous result's score marked if any."""
        before = {c.id: c.before for c in self.comparison.dimensions} if self.comparison else {}
        return [Bar(d.title, d.score, before.get(d.id)) for d in self.result.dimensions if d.part == part]

    def chart(self, part: str, title: str) -> Markup:
        """The bar chart of one part's dimensions, for the screen (`title` names it on paper, see PrintReport)."""
        return html_bar_chart(self.bars(part))

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

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        """The one ranked list of findings every section draws from (assess.core.findings)."""
        return rank_findings(self.questionnaire, self.result, self.answers)

    @property
    def main(self) -> Score:
        """The score of the questionnaire's first part: the one the verdict is about."""
        return self.result.parts[self.questionnaire.main_part.id]

    @property
    def low_confidence(self) -> bool:
        """Too little is answered to state a verdict (assess.core.findings.LOW_CONFIDENCE)."""
        return is_low_confidence(self.main.confidence)

    @property
    def nothing_known(self) -> bool:
        """Every answer on the main part was "Don't know"."""
        return self.main.answered == 0

    @property
    def confidence_word(self) -> str:
        """The main part's confidence as a plain word."""
        return confidence_words(self.main.confidence)

    @property
    def verdict_name(self) -> str:
        """The verdict's one name, used everywhere: the career path for a strategist, else the band's label."""
        if self.low_confidence:
            return LOW_NAME
        if self.result.verdict is not None:
            return self.result.verdict.title
        return self.main.band_label or LOW_NAME

    @property
    def verdict_message(self) -> str:
        """The whole message behind the verdict (a career path's, else the band's); empty when too little is known."""
        if self.low_confidence:
            return ""
        if self.result.verdict is not None:
            return self.result.verdict.message
        return self.main.band_message or ""

    @property
    def verdict_sentence(self) -> str:
        """The verdict in one plain sentence: the first of its message, or how little is known."""
        if self.nothing_known:
            return "Nothing is known yet: every answer was “Don't know”. The questions below would tell."
        if self.low_confidence:
            return (
                f"Only {self.main.answered} of {self.main.total} questions have an answer, too few to say yet. "
                "The questions below would tell."
            )
        return first_sentence(self.verdict_message)

    @property
    def verdict_more(self) -> str:
        """The rest of the verdict's message, after its first sentence (shown with the detail)."""
        message = self.verdict_message
        return message[len(first_sentence(message)) :].strip()

    def part_findings(self, part: str | None = None) -> list[Finding]:
        """The findings on one part (the main part by default); a hiring manager's fixes span every part."""
        if part is None and "fixes" in self.questionnaire.extras:
            return list(self.findings)
        part = part or self.questionnaire.main_part.id
        return [f for f in self.findings if f.part == part]

    @cached_property
    def next_moves(self) -> list[Finding]:
        """The three to do first: the head of the ranked findings, topped up with answers to confirm."""
        findings = self.part_findings()
        moves = [f for f in findings if f.state != "strong"][:NEXT_MOVES]
        if len(moves) < NEXT_MOVES:
            moves += [f for f in findings if f.state == "strong"][: NEXT_MOVES - len(moves)]
        return moves

    @cached_property
    def listed(self) -> dict[str, tuple[list[Finding], list[Finding]]]:
        """Each list a path shows after the next moves, as (shown, the rest under the detail), capped by CAPS and
        never repeating an item shown before it."""
        shown = {f.criterion for f in self.next_moves}
        lists: dict[str, tuple[list[Finding], list[Finding]]] = {}
        audience = self.questionnaire.audience
        rest = [f for f in self.part_findings() if f.criterion not in shown and f.state != "strong"]
        if audience == "job-seeker":
            cap = CAPS["questions"] - len(self.next_moves)
            lists["questions"] = (rest[:cap], rest[cap:])
            pitch = [f for p in self.questionnaire.parts[1:] for f in self.part_findings(p.id) if f.state != "strong"]
            lists["pitch"] = (pitch[: CAPS["fixes"]], pitch[CAPS["fixes"] :])
        elif audience == "strategist":
            cap = CAPS["plan"] - len(self.next_moves)
            lists["plan"] = (rest[:cap], rest[cap:])
        else:
            cap = CAPS["fixes"] - len(self.next_moves)
            lists["fixes"] = (rest[:cap], rest[cap:])
            main = self.questionnaire.main_part.id
            # Each fix carries the question a candidate will ask about it (`candidate_asks`), so the probes
            # are what a candidate will ask about everything else: the areas answered well.
            fixed = shown | {f.criterion for f in rest}
            probes = [f for f in self.findings if f.part == main and f.ask and f.criterion not in fixed]
            lists["probes"] = (probes[: CAPS["probes"]], probes[CAPS["probes"] :])
        return lists

    def change(self, before: float | None, after: float | None) -> int | None:
        """The change between two scores as shown: the difference of the rounded figures, so 83 to 46 reads
        "down 37", never a figure the reader cannot get from the two printed."""
        if before is None or after is None:
            return None
        return shown(after) - shown(before)

    @property
    def sources(self) -> list[tuple[str, int]]:
        """The sources of the figures cited, each once, oldest first."""
        return sorted({(f.source, f.year) for f in self.figures}, key=lambda s: (s[1], s[0]))

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
