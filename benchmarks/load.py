"""Mixed load on loopback under gunicorn: landing, a wizard step, submit, results, PDF; then read everything back.

    .venv/bin/python benchmarks/load.py [--seconds 60] [--connections 50] [--workers 2]

Starts gunicorn with the app on a throw-away SQLite database (rate limits off: every request comes from one
address), measures the bare /healthz route for reference, then runs the mixed journey from `--connections`
threads for `--seconds`. Prints requests per second, p50 and p99 latency and the error count for each, then
checks that every submitted assessment can be read back. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import CSRF, Client, percentile, serve, workdir


@dataclass
class Tally:
    """Latencies and errors, shared by the load threads."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    results: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1


def timed(
    tally: Tally,
    kind: str,
    client: Client,
    method: str,
    path: str,
    form: dict[str, str] | None = None,
    expect: tuple[int, ...] = (200,),
) -> tuple[int, str, dict[str, str]]:
    """One request, its latency and whether it answered as expected, recorded under `kind`."""
    started = time.perf_counter()
    status, body, headers = client.request(method, path, form)
    tally.record(kind, time.perf_counter() - started, status in expect)
    text = body.decode("utf-8", "replace") if headers.get("content-type", "").startswith("text/") else ""
    return status, text, headers


def journey(port: int, tally: Tally, deadline: float, answers: dict[str, str], first_section: list[str]) -> None:
    """Repeat the journey until the deadline: landing, start, a wizard step, submit, result, PDF."""
    while time.monotonic() < deadline:
        client = Client(port)
        _, html, _ = timed(tally, "landing", client, "GET", "/", None, (200,))
        match = CSRF.search(html)
        if not match:
            continue
        token = match.group(1)
        _, _, headers = timed(tally, "start", client, "POST", "/q/role-audit/start", {"csrf_token": token}, (302,))
        draft = re.search(r"/d/([^/]+)/1", headers.get("location", ""))
        if not draft:
            continue
        draft_token = draft.group(1)
        timed(tally, "wizard step", client, "GET", f"/d/{draft_token}/1", None, (200,))
        form = {
            "csrf_token": token,
            "action": "save",
            **{f"q_{q.replace('-', '_')}": answers[q] for q in first_section},
        }
        timed(tally, "wizard save", client, "POST", f"/d/{draft_token}/1", form, (302,))
        _, _, headers = timed(
            tally, "submit", client, "POST", f"/d/{draft_token}/submit", {"csrf_token": token}, (302,)
        )
        result = re.search(r"/r/([^/?]+)$", headers.get("location", ""))
        if not result:
            continue
        result_token = result.group(1)
        with tally.lock:
            tally.results.append(result_token)
        timed(tally, "results", client, "GET", f"/r/{result_token}", None, (200,))
        timed(tally, "pdf", client, "GET", f"/r/{result_token}/report.pdf", None, (200,))
        client.conn.close()


def hammer(port: int, path: str, seconds: float, connections: int) -> tuple[int, list[float], int]:
    """The bare reference: GET one path from every connection for `seconds`."""
    tally = Tally()
    deadline = time.monotonic() + seconds

    def loop() -> None:
        client = Client(port)
        while time.monotonic() < deadline:
            timed(tally, "bare", client, "GET", path)

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies = tally.latencies.get("bare", [])
    return len(latencies), latencies, tally.errors.get("bare", 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from assess.core import load_catalog

    questionnaire = load_catalog().get("role-audit")
    answers = {q.id: q.options[0].id for q in questionnaire.questions}
    first_section = [q.id for q in questionnaire.questions_in_section(questionnaire.sections[0].id)]

    with serve(workdir("ev-load-"), "load", workers=args.workers) as server:
        port = server.port
        reference_seconds = min(10.0, args.seconds / 3)
        count, latencies, errors = hammer(port, "/healthz", reference_seconds, args.connections)
        bare_rps = count / reference_seconds
        print(
            f"reference  GET /healthz  {bare_rps:8.1f} req/s  p50 {percentile(latencies, 0.5) * 1000:6.1f} ms  "
            f"p99 {percentile(latencies, 0.99) * 1000:6.1f} ms  errors {errors}"
        )

        tally = Tally()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=journey, args=(port, tally, deadline, answers, first_section))
            for _ in range(args.connections)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        everything = [x for values in tally.latencies.values() for x in values]
        print(f"mixed load: {args.connections} connections, {elapsed:.0f} s, gunicorn -w {args.workers}")
        for kind, values in tally.latencies.items():
            print(
                f"  {kind:12s} {len(values) / elapsed:8.1f} req/s  p50 {percentile(values, 0.5) * 1000:7.1f} ms  "
                f"p99 {percentile(values, 0.99) * 1000:7.1f} ms  errors {tally.errors.get(kind, 0)}"
            )
        total_errors = sum(tally.errors.values())
        print(
            f"  {'all':12s} {len(everything) / elapsed:8.1f} req/s  p50 {percentile(everything, 0.5) * 1000:7.1f} ms  "
            f"p99 {percentile(everything, 0.99) * 1000:7.1f} ms  errors {total_errors} (target 0)"
        )
        print(f"  mixed throughput is {len(everything) / elapsed / bare_rps:.0%} of the bare route's")

        checker = Client(port)
        unreadable = [t for t in tally.results if checker.request("GET", f"/r/{t}")[0] != 200]
        read = len(tally.results) - len(unreadable)
        print(f"read back: {read} of {len(tally.results)} submitted assessments (target: all)")
        return 0 if total_errors == 0 and not unreadable else 1


if __name__ == "__main__":
    sys.exit(main())
