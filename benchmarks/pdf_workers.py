"""PDF throughput under gunicorn with one worker and with two, measured in one run.

    .venv/bin/python benchmarks/pdf_workers.py [--pdfs 24] [--connections 4]

For each worker count: serve the app (SQLite), store `--pdfs` distinct results through the API, then download
every result's PDF once from `--connections` concurrent connections. Each download renders (no result is asked
for twice, so the PDF cache never answers). Prints PDFs per second for each and the ratio of two workers to one
(target: 1.7x or more on a machine with two free cores; a render holds one core, so a second worker doubles the
throughput only if nothing else wants that core).
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Client, create_results, percentile, serve, workdir

TARGET = 1.7


def download_all(port: int, tokens: list[str], connections: int) -> tuple[float, list[float], int]:
    """Fetch each token's PDF once; (seconds taken, latencies, failures)."""
    work: queue.Queue[str] = queue.Queue()
    for token in tokens:
        work.put(token)
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def loop() -> None:
        nonlocal failures
        client = Client(port, timeout=120)
        while True:
            try:
                token = work.get_nowait()
            except queue.Empty:
                break
            started = time.perf_counter()
            status, body, _ = client.request("GET", f"/r/{token}/report.pdf?size=a4")
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                failures += status != 200 or not body.startswith(b"%PDF")
        client.close()

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdfs", type=int, default=24, help="PDFs rendered per worker count (default 24)")
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()

    folder = workdir("ev-pdf-workers-")
    rates: dict[int, float] = {}
    print(
        f"PDF throughput under gunicorn (sync workers, SQLite, {args.pdfs} distinct role-audit reports, "
        f"{args.connections} connections, {os.cpu_count()} cores)"
    )
    for workers in (1, 2):
        with serve(folder, f"pdf-w{workers}", workers=workers) as server:
            warm = create_results(server.port, "role-audit", 2 * workers, seed=100 + workers)
            download_all(server.port, warm, 2 * workers)  # every worker loads WeasyPrint and its fonts first
            tokens = create_results(server.port, "role-audit", args.pdfs, seed=workers)
            seconds, latencies, failures = download_all(server.port, tokens, args.connections)
        rates[workers] = len(tokens) / seconds
        print(
            f"  {workers} worker{'s' if workers > 1 else ' '}: {rates[workers]:5.2f} PDFs/s  "
            f"p50 {percentile(latencies, 0.5) * 1000:6.0f} ms  p99 {percentile(latencies, 0.99) * 1000:6.0f} ms  "
            f"failures {failures}"
        )
    ratio = rates[2] / rates[1]
    verdict = "met" if ratio >= TARGET else "NOT met"
    print(f"  second worker: {ratio:.2f}x the throughput of one (target {TARGET}x: {verdict})")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
