"""Read a job ad: which signals it shows, in which sentences, and what that settles.

Pure and deterministic: text in, a `Reading` out; nothing is fetched, logged or kept. A signal shows in a
sentence when one of its phrasings matches there, unless one of its cancelling phrasings matches in the same
sentence ("escalate service issues to our support team"), a negation comes just before the match ("you will not
answer customer messages"), or a signal it yields to shows anywhere in the ad (campaign calendars count only when
the ad says nothing about a long-term plan). Every finding keeps its sentence, so each can be quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .signals import Signal, Signals
from .text import Sentence, normalise, split_sentences

MAX_AD_CHARS = 60_000
"""The longest ad read, in characters of text (about 9,000 words; a long posting is under 2,000)."""

_NEGATORS = frozenset({"not", "no", "never", "without", "nor", "neither", "none", "cannot"})
_CLAUSE_BREAK = re.compile(r"[,;:()—–]|\bbut\b", re.IGNORECASE)
_WORD = re.compile(r"[\w'’]+")


@dataclass(frozen=True)
class Finding:
    """A signal shown by one sentence; `phrase` is the words that matched."""

    signal: str
    sentence: int
    phrase: str


@dataclass(frozen=True)
class SetAside:
    """A match that was not counted, and why: `cancelled` (a cancelling phrasing in the sentence), `negated` (a
    negation just before it) or `yields` (the signal named in `by` shows elsewhere in the ad)."""

    signal: str
    sentence: int
    phrase: str
    reason: str
    by: str = ""


@dataclass(frozen=True)
class SuggestedAnswer:
    """An answer the ad settles, with the signals and sentences that settle it."""

    question: str
    option: str
    signals: tuple[str, ...]
    sentences: tuple[int, ...]


@dataclass(frozen=True)
class OpenQuestion:
    """An interview question the ad raises: a warning it shows (quoted) or a good sign it is silent on."""

    signal: str
    ask: str
    sentences: tuple[int, ...]


@dataclass(frozen=True)
class Reading:
    """What the reader found in one ad."""

    text: str
    sentences: tuple[Sentence, ...]
    findings: tuple[Finding, ...]
    set_aside: tuple[SetAside, ...]

    def found(self, signal_id: str) -> tuple[Finding, ...]:
        """The findings of one signal, in the ad's order."""
        return tuple(f for f in self.findings if f.signal == signal_id)

    def quote(self, sentence: int) -> str:
        """The sentence, on one line, as it is quoted."""
        return self.sentences[sentence].text


def _negated(sentence_text: str, match_start: int) -> bool:
    before = _CLAUSE_BREAK.split(sentence_text[:match_start])[-1]
    words = [w.lower() for w in _WORD.findall(before)][-4:]
    return any(w in _NEGATORS or w.endswith(("n't", "n’t")) for w in words)


def _match(signal: Signal, sentence: Sentence) -> Finding | SetAside | None:
    first_set_aside: SetAside | None = None
    for match in signal.show_pattern.finditer(sentence.text):
        phrase = match.group(0)
        if signal.cancel_pattern is not None:
            cancel = signal.cancel_pattern.search(sentence.text)
            if cancel:
                return SetAside(signal.id, sentence.index, phrase, "cancelled", cancel.group(0))
        if signal.negatable and _negated(sentence.text, match.start()):
            first_set_aside = first_set_aside or SetAside(signal.id, sentence.index, phrase, "negated")
            continue
        return Finding(signal.id, sentence.index, phrase)
    return first_set_aside


def read_ad(text: str, signals: Signals) -> Reading:
    """Read an ad's text (plain or HTML) against every signal."""
    plain = normalise(text)
    sentences = split_sentences(plain)
    findings: list[Finding] = []
    set_aside: list[SetAside] = []
    for sentence in sentences:
        for signal in signals:
            outcome = _match(signal, sentence)
            if isinstance(outcome, Finding):
                findings.append(outcome)
            elif outcome is not None:
                set_aside.append(outcome)
    shown = {f.signal for f in findings}
    kept: list[Finding] = []
    for finding in findings:
        blocker = next((other for other in signals.get(finding.signal).unless if other in shown), None)
        if blocker:
            set_aside.append(SetAside(finding.signal, finding.sentence, finding.phrase, "yields", blocker))
        else:
            kept.append(finding)
    set_aside.sort(key=lambda s: (s.sentence, s.signal))
    return Reading(plain, sentences, tuple(kept), tuple(set_aside))


def suggested_answers(reading: Reading, signals: Signals, slug: str) -> dict[str, SuggestedAnswer]:
    """The answers of questionnaire `slug` the ad settles, by question id. A signal found in n sentences gives the
    suggestion with the largest `min_sentences` not above n; when signals disagree on a question, it stays open."""
    options: dict[str, dict[str, tuple[set[str], set[int]]]] = {}
    for signal in signals:
        found = reading.found(signal.id)
        if not found:
            continue
        best: dict[str, tuple[int, str]] = {}
        for suggestion in signal.suggests:
            if suggestion.questionnaire != slug or suggestion.min_sentences > len(found):
                continue
            if suggestion.question not in best or suggestion.min_sentences > best[suggestion.question][0]:
                best[suggestion.question] = (suggestion.min_sentences, suggestion.option)
        for question, (_, option) in best.items():
            ids, sentences = options.setdefault(question, {}).setdefault(option, (set(), set()))
            ids.add(signal.id)
            sentences.update(f.sentence for f in found)
    return {
        question: SuggestedAnswer(question, option, tuple(sorted(ids)), tuple(sorted(sentences)))
        for question, by_option in options.items()
        if len(by_option) == 1
        for option, (ids, sentences) in by_option.items()
    }


def open_questions(reading: Reading, signals: Signals) -> tuple[OpenQuestion, ...]:
    """The interview questions the ad raises, warnings first: each warning it shows, with its sentences, then
    each good sign it says nothing about."""
    warnings = [
        OpenQuestion(s.id, s.ask, tuple(f.sentence for f in reading.found(s.id)))
        for s in signals
        if s.tone == "warning" and reading.found(s.id)
    ]
    silent = [OpenQuestion(s.id, s.ask, ()) for s in signals if s.tone == "good" and not reading.found(s.id)]
    return tuple(warnings + silent)


def reading_to_dict(reading: Reading, signals: Signals) -> dict[str, Any]:
    """The reading as plain data (the API's and the CLI's shape): findings with their quotes and places, grouped
    by criterion; the answers settled for each questionnaire a signal suggests for; the interview questions. The
    ad's own text is not included, only the sentences quoted."""
    by_id = {s.id: s for s in signals}

    def finding(f: Finding) -> dict[str, Any]:
        sentence = reading.sentences[f.sentence]
        signal = by_id[f.signal]
        return {
            "signal": f.signal,
            "title": signal.title,
            "criterion": signal.criterion,
            "tone": signal.tone,
            "sentence": f.sentence,
            "start": sentence.start,
            "end": sentence.end,
            "quote": sentence.text,
            "matched": f.phrase,
        }

    criteria: dict[str, list[dict[str, Any]]] = {}
    for f in reading.findings:
        criteria.setdefault(by_id[f.signal].criterion, []).append(finding(f))
    slugs = sorted({s.questionnaire for signal in signals for s in signal.suggests})
    return {
        "sentences": len(reading.sentences),
        "findings": [finding(f) for f in reading.findings],
        "by_criterion": [{"criterion": c, "findings": items} for c, items in criteria.items()],
        "set_aside": [
            {
                "signal": s.signal,
                "sentence": s.sentence,
                "quote": reading.quote(s.sentence),
                "matched": s.phrase,
                "reason": s.reason,
                "by": s.by,
            }
            for s in reading.set_aside
        ],
        "answers": {
            slug: {
                q: {"option": a.option, "signals": list(a.signals), "sentences": list(a.sentences)}
                for q, a in suggested_answers(reading, signals, slug).items()
            }
            for slug in slugs
        },
        "questions": [
            {"signal": q.signal, "ask": q.ask, "quotes": [reading.quote(i) for i in q.sentences]}
            for q in open_questions(reading, signals)
        ],
    }
