"""How long `make test` takes on a fresh clone, as CI runs it (issue 16's target: under 4 minutes on this machine).

Run: `.venv/bin/python benchmarks/suite.py [--runs 3] [--rev HEAD]`. Each run clones the repository's committed
`--rev` into a new temporary folder and times `make test` there: the bootstrap (a new .venv from the package
cache) and the whole suite. It prints each run's wall time, the CPU time its processes used, and pytest's own
summary line, then the median wall time. The CPU time shows how much the host gave: the same work has taken 4 to 5
minutes of CPU on this machine. A failing run is reported and counts as a failure. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(rev: str) -> tuple[float, float, str, int]:
    """Wall seconds, CPU seconds of the child processes, pytest's summary line and the exit status of one run."""
    folder = Path(tempfile.mkdtemp(prefix="ev-suite-"))
    try:
        clone = folder / "clone"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", rev], check=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(["make", "test"], cwd=clone, capture_output=True, text=True, env=os.environ.copy())
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        summaries = [line.strip("= ") for line in done.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
        summary = summaries[-1] if summaries else (done.stdout[-300:] + done.stderr[-300:]).strip()
        if done.returncode:  # a failure is named, and its whole output kept to read
            failures = [line for line in done.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
            log = Path(tempfile.gettempdir()) / f"ev-suite-{rev}-{int(time.time())}.log"
            log.write_text(done.stdout + done.stderr)
            summary += "".join(f"\n    {line}" for line in failures) + f"\n    whole output: {log}"
        return wall, cpu, summary, done.returncode
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def minutes(seconds: float) -> str:
    return f"{int(seconds // 60)} min {seconds % 60:4.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rev", default="HEAD", help="the commit to clone and test (default HEAD)")
    args = parser.parse_args()
    rev = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.rev], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"make test on a fresh clone of {rev}, {args.runs} run(s), {os.cpu_count()} cores")
    walls, failed = [], 0
    for index in range(1, args.runs + 1):
        wall, cpu, summary, status = one_run(rev)
        walls.append(wall)
        failed += status != 0
        print(f"  run {index}: {minutes(wall)} wall, {minutes(cpu)} CPU, exit {status}: {summary}")
    print(f"  median wall time: {minutes(statistics.median(walls))} (target: under 4 min)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
