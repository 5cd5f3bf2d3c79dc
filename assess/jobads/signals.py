"""The warning signs a job ad can show, loaded from `assess/questionnaires/signals.yaml` and checked against the
questionnaire catalogue: every criterion, questionnaire, question and option a signal names must exist."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assess.core import Catalog, CatalogError
from assess.core.catalog import ID_PATTERN, QUESTIONNAIRES_DIR, read_yaml

from .phrasing import PhrasingError, compile_phrasings

SIGNALS_FILE = QUESTIONNAIRES_DIR / "signals.yaml"
TONES = ("warning", "good")
Tone = Literal["warning", "good"]


@dataclass(frozen=True)
class Suggestion:
    """An answer the ad settles: `option` for `question` of `questionnaire` once the signal is found in at least
    `min_sentences` sentences."""

    questionnaire: str
    question: str
    option: str
    min_sentences: int = 1


@dataclass(frozen=True)
class Signal:
    """One thing a careful reader looks for in a job ad."""

    id: str
    criterion: str
    title: str
    tone: Tone
    about: str
    ask: str
    shows: tuple[str, ...]
    cancels: tuple[str, ...]
    unless: tuple[str, ...]
    suggests: tuple[Suggestion, ...]
    negatable: bool
    show_pattern: re.Pattern[str]
    cancel_pattern: re.Pattern[str] | None


@dataclass(frozen=True)
class Signals:
    """Every signal, in the file's order."""

    signals: tuple[Signal, ...]

    def __iter__(self) -> Any:
        return iter(self.signals)

    def get(self, signal_id: str) -> Signal:
        """The signal with this id; KeyError when there is none."""
        for signal in self.signals:
            if signal.id == signal_id:
                return signal
        raise KeyError(signal_id)


class _Problems:
    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, path: str, node: Any, message: str) -> None:
        line = getattr(node, "line", 0)
        self.found.append(f"{path} (line {line}): {message}" if line else f"{path}: {message}")


def _text(node: Mapping[str, Any], key: str, path: str, problems: _Problems) -> str:
    value = node.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(f"{path}.{key}", node, "must be a non-empty string")
        return ""
    return " ".join(value.split())


def _strings(node: Mapping[str, Any], key: str, path: str, problems: _Problems, required: bool) -> tuple[str, ...]:
    value = node.get(key)
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value) or not value:
        problems.add(f"{path}.{key}", node, "must be a non-empty list of strings")
        return ()
    return tuple(value)


def _pattern(
    sources: tuple[str, ...], vocab: Mapping[str, tuple[str, ...]], path: str, node: Any, problems: _Problems
) -> re.Pattern[str] | None:
    if not sources:
        return None
    for index, source in enumerate(sources):
        try:
            compile_phrasings((source,), vocab)
        except PhrasingError as exc:
            problems.add(f"{path}[{index}]", node, str(exc))
    try:
        return compile_phrasings(sources, vocab)
    except PhrasingError:
        return None


def _suggestions(node: Any, path: str, catalog: Catalog, problems: _Problems) -> tuple[Suggestion, ...]:
    if node is None:
        return ()
    if not isinstance(node, list):
        problems.add(path, node, "must be a list")
        return ()
    found: list[Suggestion] = []
    for index, item in enumerate(node):
        where = f"{path}[{index}]"
        if not isinstance(item, dict):
            problems.add(where, node, "must be a mapping")
            continue
        slug, question_id, option_id = (item.get(k) for k in ("questionnaire", "question", "option"))
        least = item.get("min_sentences", 1)
        if slug not in catalog.questionnaires:
            problems.add(f"{where}.questionnaire", item, f"unknown questionnaire {slug!r}")
            continue
        questions = {q.id: q for q in catalog.get(slug).questions}
        if question_id not in questions:
            problems.add(f"{where}.question", item, f"{slug} has no question {question_id!r}")
            continue
        options = [o.id for o in questions[question_id].options]
        if option_id not in options:
            problems.add(
                f"{where}.option", item, f"{slug} question {question_id!r} has no option {option_id!r} ({options})"
            )
            continue
        if not isinstance(least, int) or isinstance(least, bool) or least < 1:
            problems.add(f"{where}.min_sentences", item, "must be a whole number of at least 1")
            continue
        suggestion = Suggestion(slug, question_id, option_id, least)
        if any((s.questionnaire, s.question, s.min_sentences) == (slug, question_id, least) for s in found):
            problems.add(where, item, f"a second suggestion for {slug} {question_id!r} at {least} sentence(s)")
        found.append(suggestion)
    return tuple(found)


def _vocab(root: Mapping[str, Any], problems: _Problems) -> dict[str, tuple[str, ...]]:
    node = root.get("vocab", {})
    if not isinstance(node, dict):
        problems.add("vocab", root, "must be a mapping of names to lists of phrasings")
        return {}
    return {str(name): _strings(node, name, "vocab", problems, required=True) for name in node}


def load_signals(catalog: Catalog, path: Path = SIGNALS_FILE) -> Signals:
    """Load and check the signals file; CatalogError naming the file, the place in it and the line when invalid."""
    root = read_yaml(path)
    problems = _Problems()
    if not isinstance(root, dict) or not isinstance(root.get("signals"), list):
        raise CatalogError(path.name, ["must be a mapping with a `signals` list"])
    vocab = _vocab(root, problems)
    criteria = {c.id for c in catalog.criteria}
    ids = [item.get("id") for item in root["signals"] if isinstance(item, dict)]
    signals: list[Signal] = []
    for index, item in enumerate(root["signals"]):
        path_ = f"signals[{index}]"
        if not isinstance(item, dict):
            problems.add(path_, root["signals"], "must be a mapping")
            continue
        ident = item.get("id")
        if not isinstance(ident, str) or not ID_PATTERN.match(ident):
            problems.add(f"{path_}.id", item, "must be an id (lower case, digits and dashes)")
            ident = ""
        elif ids.count(ident) > 1:
            problems.add(f"{path_}.id", item, f"{ident!r} is used by more than one signal")
        criterion = item.get("criterion")
        if criterion not in criteria:
            problems.add(f"{path_}.criterion", item, f"unknown criterion {criterion!r} (see criteria.yaml)")
        tone = item.get("tone")
        if tone not in TONES:
            problems.add(f"{path_}.tone", item, f"must be one of {', '.join(TONES)}")
        unless = _strings(item, "unless", path_, problems, required=False)
        for other in unless:
            if other not in ids or other == ident:
                problems.add(f"{path_}.unless", item, f"{other!r} is not another signal")
        negatable = item.get("negatable", True)
        if not isinstance(negatable, bool):
            problems.add(f"{path_}.negatable", item, "must be true or false")
        shows = _strings(item, "shows", path_, problems, required=True)
        cancels = _strings(item, "cancels", path_, problems, required=False)
        show_pattern = _pattern(shows, vocab, f"{path_}.shows", item, problems)
        signals.append(
            Signal(
                id=ident,
                criterion=str(criterion),
                title=_text(item, "title", path_, problems),
                tone=tone if tone in TONES else "warning",
                about=_text(item, "about", path_, problems),
                ask=_text(item, "ask", path_, problems),
                shows=shows,
                cancels=cancels,
                unless=unless,
                suggests=_suggestions(item.get("suggests"), f"{path_}.suggests", catalog, problems),
                negatable=bool(negatable),
                show_pattern=show_pattern or re.compile(r"(?!)"),
                cancel_pattern=_pattern(cancels, vocab, f"{path_}.cancels", item, problems),
            )
        )
    if problems.found:
        raise CatalogError(path.name, problems.found)
    return Signals(tuple(signals))
