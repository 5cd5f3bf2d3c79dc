"""One ranked list of findings per result: one item per criterion, the single source of every report section.

A result's advice comes out of scoring in several lists (flags, plan steps, fixes, interview questions, probes)
that overlap: the same criterion can be a red flag, a plan step and an interview question at once, each with its
own wording. A report that showed every list said the same thing three times. `rank_findings` merges them into one
`Finding` per criterion, ranked by what acting on it changes, and each report section (the next moves, the rest of
the plan, the interview checklist, the probes) takes a slice of that one list, so nothing is said twice.

Ranking: red flags first (critical, warning, notice; then by the score they hold down), then weak answers by the
points fixing them would add, then criteria nobody knew, by the weight of their questions; criteria answered well
come last (they matter only for a hiring manager's probes). Below `LOW_CONFIDENCE` the unknowns come first: when
little is known, finding out is the next move.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from .model import SEVERITIES, UNKNOWN, Flag, InterviewQuestion, Questionnaire, Recommendation, Result, Severity

LOW_CONFIDENCE = 0.5
"""Below this share of the question weight answered, a result says how little is known instead of giving a band
(the same threshold as the career-path verdict's "not enough answers yet"): no "ready", no "negotiate with
confidence", and the next moves are the questions that would tell."""

FIRM_CONFIDENCE = 0.8
"""At or above this share answered, the confidence is called high."""

NEXT_MOVES = 3
"""How many findings lead a report as its next moves."""

CAPS = {"questions": 10, "plan": 7, "fixes": 7, "probes": 10}
"""The most items a report shows of each list before the rest go under "Show the detail"."""

State = Literal["flag", "weak", "unknown", "strong"]
_STATE_ORDER: dict[State, int] = {"flag": 0, "weak": 1, "unknown": 2, "strong": 3}
_LOW_STATE_ORDER: dict[State, int] = {"unknown": 0, "flag": 1, "weak": 2, "strong": 3}


@dataclass(frozen=True)
class Finding:
    """What a result says about one criterion, once: its plain title, the action it calls for and why."""

    criterion: str
    part: str
    state: State
    severity: Severity | None
    title: str
    """A plain heading: the red flag's title, else the criterion's."""
    action: str
    """What to do: the path's advice for this criterion (for a job seeker, the question to ask)."""
    ask: str
    """The question that would tell (to ask in an interview, or of oneself), or "" when there is none."""
    why: str
    """Why it matters: the flag's reason, else the criterion's description."""
    questions: tuple[str, ...]
    """The questions behind it, in questionnaire order."""
    gain: float
    """How much acting on it could move the score, in points out of 100 (0 for an unknown)."""
    weight: float
    """The share of its part's weight its questions carry: how much finding out could move the score."""


def confidence_words(confidence: float) -> str:
    """The confidence as a plain word: "high", "moderate" or "low"."""
    if confidence >= FIRM_CONFIDENCE:
        return "high"
    return "moderate" if confidence >= LOW_CONFIDENCE else "low"


def is_low_confidence(confidence: float) -> bool:
    """True when too little is answered for a band or a verdict to be stated (see LOW_CONFIDENCE)."""
    return confidence < LOW_CONFIDENCE


def rank_findings(questionnaire: Questionnaire, result: Result, answers: Mapping[str, str]) -> tuple[Finding, ...]:
    """The result's findings, one per criterion with something to say, ranked (see the module docstring)."""
    job_seeker = questionnaire.audience == "job-seeker"
    confirmable = bool({"interview_questions", "probes"} & set(questionnaire.extras))
    steps = _steps(result)
    asked = _asks(result)
    flags: dict[str, Flag] = {}
    for raised in sorted(result.flags, key=lambda f: SEVERITIES.index(f.severity)):
        flags.setdefault(raised.criterion, raised)
    gains = {r.id.removeprefix("flag:"): r.impact for r in result.recommendations if r.kind == "flag"}

    by_criterion: dict[str, list[str]] = {}
    for question in questionnaire.questions:
        by_criterion.setdefault(question.criterion, []).append(question.id)
    # A flag may rest on a criterion no question carries (one of the six challenges): its own finding, on the
    # answers that raised it.
    own = {c: list(flag.questions) for c, flag in flags.items() if c not in by_criterion}

    findings = []
    for criterion, question_ids in (*by_criterion.items(), *own.items()):
        if criterion in own:
            part = flags[criterion].part
        else:
            part = questionnaire.dimension(questionnaire.question(question_ids[0]).dimension).part
        known = [q for q in question_ids if answers.get(q, UNKNOWN) != UNKNOWN]
        flag = flags.get(criterion)
        weak_steps = [s for s in steps.get(criterion, ()) if any(q in known for q in s.questions)]
        unknown_steps = [s for s in steps.get(criterion, ()) if s not in weak_steps]
        criterion_asks = asked.get(criterion, ())
        weak_asks = [a for a in criterion_asks if a.reason == "weak"]
        unknown_asks = [a for a in criterion_asks if a.reason == "unknown"]
        state: State | None = None
        if flag is not None:
            state = "flag"
        elif weak_steps or weak_asks:
            state = "weak"
        elif unknown_steps or unknown_asks:
            state = "unknown"
        elif confirmable and part == questionnaire.main_part.id and len(known) == len(question_ids):
            state = "strong"  # answered well: worth confirming in an interview, or a candidate's probe
        if state is None:
            continue
        # A challenge's flag asks nothing itself: its answers' questions are asked under their own criteria.
        ask = "" if criterion in own else _ask(questionnaire, question_ids, criterion_asks, answers, state)
        step = next(iter(weak_steps or unknown_steps), None)
        if state == "unknown" or (job_seeker and part == questionnaire.main_part.id):
            action = ask or (flag.advice if flag else step.text if step else "")
        else:
            action = flag.advice if flag else step.text if step else ask
        if not action:
            continue
        why = flag.why if flag else questionnaire.criterion(criterion).description
        behind = set(flag.questions if flag else ())
        for item in (*weak_steps, *unknown_steps):
            behind.update(item.questions)
        behind.update(a.question for a in criterion_asks)
        title = flag.title if flag else questionnaire.criterion(criterion).title
        findings.append(
            Finding(
                criterion=criterion,
                part=part,
                state=state,
                severity=flag.severity if flag else None,
                title=title,
                action=action,
                ask=ask,
                why=why,
                # its own criterion's questions first, then any other answer the flag rests on
                questions=tuple(
                    dict.fromkeys(
                        (
                            *(q for q in question_ids if q in behind),
                            *(x.id for x in questionnaire.questions if x.id in behind),
                        )
                    )
                )
                or tuple(question_ids),
                gain=round(gains.get(flag.id, 0.0) if flag else _gain(questionnaire, known, answers, weak_steps), 1),
                weight=round(sum(questionnaire.weight_share(q) for q in question_ids), 4),
            )
        )
    low = is_low_confidence(result.overall.confidence)
    order = _LOW_STATE_ORDER if low else _STATE_ORDER

    main = questionnaire.main_part.id

    def rank(finding: Finding) -> tuple[int, int, bool, float, float]:
        severity = SEVERITIES.index(finding.severity) if finding.severity else len(SEVERITIES)
        # Unknowns rank by weight, a share of their own part's: the main part's come first.
        aside = finding.state in ("unknown", "strong") and finding.part != main
        return (order[finding.state], severity, aside, -finding.gain, -finding.weight)

    ranked: list[Finding] = []
    said: list[str] = []
    for finding in sorted(findings, key=rank):  # stable: ties keep questionnaire order
        # Advice that two criteria share (a challenge's flag and a question's fix) is said once, where it ranks
        # first: a later action loses the sentences already said, and goes if nothing is left.
        action = finding.action
        for earlier in said:
            action = " ".join(action.replace(earlier, " ").split())
        if action:
            said.append(action)
            ranked.append(replace(finding, action=action) if action != finding.action else finding)
    return tuple(ranked)


def _gain(
    questionnaire: Questionnaire, known: list[str], answers: Mapping[str, str], steps: list[Recommendation]
) -> float:
    """The points a weak criterion's fix could add: its plan steps' own figure, or (for a path without a plan, a
    job seeker's) the weight its known answers leave short of their best options."""
    if steps:
        return sum(step.impact for step in steps)
    short = 0.0
    for question_id in known:
        question = questionnaire.question(question_id)
        missing = 1 - question.option(answers[question_id]).points / question.max_points
        short += 100 * questionnaire.weight_share(question_id) * missing
    return short


def _steps(result: Result) -> dict[str, list[Recommendation]]:
    """The path's per-criterion steps (action plan, fixes, pitch advice), keyed by criterion, in their order."""
    found: dict[str, list[Recommendation]] = {}
    for item in (*result.action_plan, *result.fixes, *result.pitch_advice):
        if item.kind == "question" and item.criteria and item not in found.get(item.criteria[0], []):
            found.setdefault(item.criteria[0], []).append(item)
    return found


def _asks(result: Result) -> dict[str, tuple[InterviewQuestion, ...]]:
    """The interview questions or probes, keyed by criterion, in their order (weightiest first)."""
    found: dict[str, list[InterviewQuestion]] = {}
    seen: set[str] = set()
    for item in (*result.interview_questions, *result.probes):
        if item.question not in seen:
            seen.add(item.question)
            found.setdefault(item.criterion, []).append(item)
    return {criterion: tuple(items) for criterion, items in found.items()}


def _ask(
    questionnaire: Questionnaire,
    question_ids: Iterable[str],
    asks: tuple[InterviewQuestion, ...],
    answers: Mapping[str, str],
    state: State,
) -> str:
    """The one question to ask about a criterion: the result's first (weightiest) one, else the questionnaire's
    first for an unknown or weak answer. Two wordings of one criterion become one question."""
    if asks:
        return asks[0].ask
    candidates = [questionnaire.question(q) for q in question_ids]
    if state == "unknown":
        candidates = [q for q in candidates if answers.get(q.id, UNKNOWN) == UNKNOWN] or candidates
    for question in sorted(candidates, key=lambda q: -questionnaire.weight_share(q.id)):
        if question.ask:
            return question.ask
    return ""


def shown_and_rest(items: tuple[Finding, ...] | list[Finding], cap: int) -> tuple[list[Finding], list[Finding]]:
    """A list split at its cap: what a report shows, and what goes under the detail."""
    return list(items[:cap]), list(items[cap:])
