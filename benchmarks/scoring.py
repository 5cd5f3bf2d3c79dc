"""Scoring speed: one assessment per questionnaire, and a 200-person team aggregate, in one process.

    .venv/bin/python benchmarks/scoring.py [--people 200] [--repeat 2000]

Prints the median time of `assess.core.score` for each questionnaire with a realistic answer set (target: under
0.2 ms), and of `assess.core.aggregate.aggregate` over `--people` stored team responses (the admin page and the
team report both run it: the stored snapshots are rebuilt from JSON, then aggregated). For scale, the same run
times a reference: `json.loads` of one stored result.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess.core import UNKNOWN, load_catalog, result_from_dict, result_to_dict, score
from assess.core.aggregate import aggregate

TARGET_MS = 0.2
DEPARTMENTS = ("marketing", "marketing", "it", "it", "pr", "support", "executive", "other")


def per_call_ms(action: Callable[[], Any], repeat: int, rounds: int = 7) -> float:
    """The median over `rounds` of the mean time of `repeat` calls, in milliseconds (CPU time of this process)."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeat):
            action()
        times.append((time.process_time() - start) / repeat)
    return statistics.median(times) * 1000


def answers_for(questionnaire: Any, pick: random.Random) -> dict[str, str]:
    """Every question answered, about one in eight "don't know"."""
    return {q.id: UNKNOWN if pick.random() < 0.125 else pick.choice(q.options).id for q in questionnaire.questions}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()

    catalog = load_catalog()
    pick = random.Random(3)  # noqa: S311 - reproducible benchmark data, nothing secret
    print(f"Scoring benchmark (CPU time, median of 7 rounds of {args.repeat} calls)")
    failed = False
    for questionnaire in catalog.questionnaires.values():
        answers = answers_for(questionnaire, pick)
        stored = json.dumps(result_to_dict(score(questionnaire, answers)))
        reference = per_call_ms(lambda stored=stored: json.loads(stored), args.repeat)
        took = per_call_ms(lambda q=questionnaire, a=answers: score(q, a), args.repeat)
        met = took < TARGET_MS
        failed |= not met
        print(
            f"  score({questionnaire.slug}, {len(questionnaire.questions)} questions): {took:.3f} ms "
            f"(target under {TARGET_MS} ms: {'met' if met else 'NOT met'}); "
            f"reference json.loads of its stored result {reference:.3f} ms"
        )

    team = catalog.get("org-readiness")
    snapshots = [
        (pick.choice(DEPARTMENTS), json.loads(json.dumps(result_to_dict(score(team, answers_for(team, pick))))))
        for _ in range(args.people)
    ]

    def team_report() -> Any:
        return aggregate([(department, result_from_dict(data)) for department, data in snapshots])

    rebuild = per_call_ms(lambda: [result_from_dict(data) for _, data in snapshots], 5)
    whole = per_call_ms(team_report, 5)
    summary = team_report()
    print(
        f"  team of {args.people} ({team.slug}): rebuild the stored results {rebuild:.1f} ms, "
        f"rebuild and aggregate {whole:.1f} ms ({len(summary.groups)} department groups)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
