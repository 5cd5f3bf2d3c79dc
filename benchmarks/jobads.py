"""The job-ad reader: its precision and recall on the labelled postings, and its speed.

    .venv/bin/python benchmarks/jobads.py [--repeat 20] [--details]

Prints, for each signal and overall, precision and recall counted sentence by sentence (a finding is right when
the labels give its signal for its sentence) on the tuned set (tests/jobads/postings.yaml, which the phrasings
were tuned on), on the held-out set (tests/jobads/postings-held-out.yaml, written after tuning and not used for
it: the honest estimate for ads the reader has never seen) and on both. Targets: 0.9 precision and 0.8 recall
overall. Then the time to read a 5,000-word posting (the labelled ads joined until they reach 5,000 words) beside
the time to score one employer-readiness assessment, both the median CPU time in this process. --details lists
every wrong and missed sentence.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess.core import load_catalog, score
from assess.jobads import load_signals, read_ad
from tests.jobads.labelled import HELD_OUT, POSTINGS, Tally, load_postings, score_postings

PRECISION, RECALL = 0.9, 0.8
WORDS = 5000


def median_ms(action: Callable[[], Any], repeat: int, rounds: int = 5) -> float:
    """The median over `rounds` of the mean CPU time of `repeat` calls, in milliseconds."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeat):
            action()
        times.append((time.process_time() - start) / repeat)
    return statistics.median(times) * 1000


def show(name: str, per_signal: dict[str, Tally], overall: Tally, postings: int, details: bool) -> None:
    print(f"\n{name}: {postings} postings")
    print(f"  {'signal':<18} {'precision':>9} {'recall':>7}  right wrong missed")
    for signal, tally in per_signal.items():
        figures = f"{tally.precision:>9.2f} {tally.recall:>7.2f}  {tally.right:>5} {tally.wrong:>5} {tally.missed:>6}"
        print(f"  {signal:<18} {figures}")
        if details:
            for example in tally.wrong_examples:
                print(f"      wrong:  {example}")
            for example in tally.missed_examples:
                print(f"      missed: {example}")
    verdict = "meets" if overall.precision >= PRECISION and overall.recall >= RECALL else "MISSES"
    print(
        f"  {'overall':<18} {overall.precision:>9.2f} {overall.recall:>7.2f}  {overall.right:>5} {overall.wrong:>5}"
        f" {overall.missed:>6}   ({verdict} the targets {PRECISION} / {RECALL})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()
    catalog = load_catalog()
    signals = load_signals(catalog)
    tuned, held_out = load_postings(POSTINGS), load_postings(HELD_OUT)
    for name, postings in (("tuned set", tuned), ("held-out set", held_out), ("both", tuned + held_out)):
        per_signal, overall = score_postings(postings, signals)
        show(name, per_signal, overall, len(postings), args.details)

    texts = [p["text"] for p in tuned + held_out]
    parts: list[str] = []
    while sum(len(t.split()) for t in parts) < WORDS:
        parts.append(texts[len(parts) % len(texts)])
    long_ad = "\n\n".join(parts)
    words = len(long_ad.split())
    reading = read_ad(long_ad, signals)
    read_ms = median_ms(lambda: read_ad(long_ad, signals), args.repeat)
    questionnaire = catalog.get("employer-readiness")
    answers = {q.id: q.options[len(q.options) // 2].id for q in questionnaire.questions}
    score_ms = median_ms(lambda: score(questionnaire, answers), args.repeat * 200)
    print(
        f"\nreading a {words:,}-word posting ({len(reading.sentences)} sentences, {len(reading.findings)} findings): "
        f"{read_ms:.1f} ms"
    )
    print(f"scoring one employer-readiness assessment: {score_ms:.3f} ms ({read_ms / score_ms:,.0f}x as long)")


if __name__ == "__main__":
    main()
