"""Loading the questionnaire catalogue: libyaml's parser against PyYAML's pure-Python one, measured in one run.

Run: `.venv/bin/python benchmarks/catalog_load.py [--repeat 5]`. Prints the best of `--repeat` timings of
`load_catalog()` as the app runs it (parsing with `yaml.CSafeLoader`, then validating), and of parsing the same
questionnaire files with `yaml.CSafeLoader` and with the pure-Python `yaml.SafeLoader`; the ratio is the figure to
compare (issue 16 measured 0.51 s down to 0.056 s a load). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess.core import load_catalog
from assess.core.catalog import QUESTIONNAIRES_DIR, SLUGS


def best_seconds(work: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs of `work`, in seconds (the least disturbed by the rest of the machine)."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    names = ["criteria", "figures", *SLUGS]  # the files load_catalog reads
    texts = [(QUESTIONNAIRES_DIR / f"{name}.yaml").read_text(encoding="utf-8") for name in names]

    def parse(loader: type[yaml.SafeLoader]) -> Callable[[], object]:
        return lambda: [yaml.load(text, Loader=loader) for text in texts]  # noqa: S506  # nosec B506  # safe loaders

    catalogue = best_seconds(load_catalog, args.repeat)
    fast = best_seconds(parse(yaml.CSafeLoader), args.repeat)
    slow = best_seconds(parse(yaml.SafeLoader), args.repeat)
    size = sum(map(len, texts))
    print(f"Questionnaire catalogue ({len(texts)} YAML files, {size:,} characters), best of {args.repeat}")
    print(f"  load_catalog() as the app runs it (libyaml, then validation)  {catalogue * 1000:8.1f} ms")
    print(f"  parsing alone with yaml.CSafeLoader (libyaml)                 {fast * 1000:8.1f} ms")
    print(f"  parsing alone with yaml.SafeLoader (pure Python)              {slow * 1000:8.1f} ms  {slow / fast:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
