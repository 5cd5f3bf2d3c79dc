"""The labelled postings (postings.yaml) and how the reader is scored against them, sentence by sentence.

Shared by the suite (tests/jobads/test_labelled_set.py holds the thresholds) and benchmarks/jobads.py (prints the
figures). A finding counts as right when the labels give its signal for its sentence; a label the reader misses
counts against recall, a finding the labels do not give against precision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assess.jobads.reader import read_ad
from assess.jobads.signals import Signals

POSTINGS = Path(__file__).resolve().parent / "postings.yaml"
HELD_OUT = Path(__file__).resolve().parent / "postings-held-out.yaml"


@dataclass
class Tally:
    """Right findings, wrong findings and missed labels, for one signal or overall."""

    right: int = 0
    wrong: int = 0
    missed: int = 0
    wrong_examples: list[str] = field(default_factory=list)
    missed_examples: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.right + self.wrong
        return self.right / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.right + self.missed
        return self.right / labelled if labelled else 1.0


def load_postings(path: Path = POSTINGS) -> list[dict[str, Any]]:
    """The labelled postings: id, sector, text, expect ([signal, fragment of its sentence] pairs)."""
    with path.open(encoding="utf-8") as handle:
        postings: list[dict[str, Any]] = yaml.safe_load(handle)
    return postings


def expected_pairs(posting: dict[str, Any], signals: Signals) -> set[tuple[str, int]]:
    """The (signal, sentence index) pairs the labels give; a fragment found in no sentence, or a signal not in the
    file, is an error in the labels."""
    reading = read_ad(posting["text"], signals)  # the sentences only; the labels never see the findings
    known = {s.id for s in signals}
    pairs = set()
    for signal, fragment in posting["expect"]:
        if signal not in known:
            raise ValueError(f"{posting['id']}: unknown signal {signal!r}")
        where = [s.index for s in reading.sentences if fragment in s.text]
        if not where:
            raise ValueError(f"{posting['id']}: no sentence contains {fragment!r}")
        pairs.add((signal, where[0]))
    return pairs


def score_postings(postings: list[dict[str, Any]], signals: Signals) -> tuple[dict[str, Tally], Tally]:
    """Per-signal and overall tallies over all the postings."""
    per_signal = {s.id: Tally() for s in signals}
    overall = Tally()
    for posting in postings:
        reading = read_ad(posting["text"], signals)
        expected = expected_pairs(posting, signals)
        found = {(f.signal, f.sentence) for f in reading.findings}
        for signal, sentence in found | expected:
            tally = per_signal[signal]
            where = f"{posting['id']}: {reading.quote(sentence)}"
            if (signal, sentence) in found and (signal, sentence) in expected:
                tally.right += 1
                overall.right += 1
            elif (signal, sentence) in found:
                tally.wrong += 1
                overall.wrong += 1
                tally.wrong_examples.append(where)
            else:
                tally.missed += 1
                overall.missed += 1
                tally.missed_examples.append(where)
    return per_signal, overall
