"""Submit throughput and latency on SQLite and on PostgreSQL, measured in one run on this machine.

    .venv/bin/python benchmarks/submit.py [--seconds 20] [--connections 16] [--workers 2]

For each backend: a fresh database built by `flask --app app db upgrade`, gunicorn with the production settings
(gunicorn.conf.py, but no worker recycling) on a free loopback port, a short warm-up, then `wrk` holding
`--connections` keep-alive connections for `--seconds` of POST /api/v1/questionnaires/employer-readiness/assessments,
each a full answer set with a label and notes (the API is CSRF-free and cookie-free, so wrk can replay one body).
Rate limits are off: every request comes from one address. PostgreSQL is a private throw-away cluster
(tests/pg_service.py), so nothing outside this run is touched, started with its durable defaults (fsync and
synchronous commit on, not the tests' tuning) so that both databases pay for every commit as in production.

Prints requests per second, p50 and p99 latency, errors and the rows stored for each, then the PostgreSQL/SQLite
ratios. Exits 1 if any request failed or a 201 left no row behind.

Needs wrk (apt-get install wrk): a Python client would take a core of its own and measure itself.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import require_wrk, serve, workdir, wrk
from tests.pg_service import PostgresUnavailable, start_postgres

SLUG = "employer-readiness"
PATH = f"/api/v1/questionnaires/{SLUG}/assessments"


@dataclass(frozen=True)
class Figures:
    """One backend's measurement."""

    backend: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    created: int
    stored: int


def request_body() -> bytes:
    """A realistic submission: every question answered (a few "don't know"), a label and two section notes."""
    from assess.core import UNKNOWN, load_catalog

    questionnaire = load_catalog().get(SLUG)
    pick = random.Random(8)  # noqa: S311 - the same body every run, nothing secret
    answers = {q.id: UNKNOWN if pick.random() < 0.1 else pick.choice(q.options).id for q in questionnaire.questions}
    notes = {
        questionnaire.sections[0].id: "The hiring manager reports to the CMO; ask who signs off on paid campaigns.",
        questionnaire.sections[2].id: "IT owns the accounts today; the posting rota is shared with customer service.",
    }
    return json.dumps({"answers": answers, "label": "Acme Ltd, social media lead", "notes": notes}).encode()


def measure(
    backend: str, database_url: str, count_rows: Callable[[], int], args: argparse.Namespace, folder: Path
) -> Figures:
    """Serve one backend with gunicorn, warm up, then measure submits."""
    body = request_body()
    # No worker recycling: a recycle mid-run put a 900 ms p99 on whichever backend served more requests.
    with serve(folder, backend, args.workers, database_url, env={"GUNICORN_MAX_REQUESTS": "0"}) as server:
        url = server.url(PATH)
        wrk(url, min(3.0, args.seconds), args.connections, "POST", body, expected=(201,), folder=folder)  # warm-up
        before = count_rows()
        load = wrk(url, args.seconds, args.connections, "POST", body, expected=(201,), folder=folder)
        time.sleep(0.5)  # requests still in flight when wrk stopped counting may yet commit
        stored = count_rows() - before
    return Figures(backend, load.rps, load.p50_ms, load.p99_ms, load.errors, load.requests - load.errors, stored)


def row_counter(database_url: str) -> Callable[[], int]:
    """A function counting the stored assessments, read straight from the database."""
    from sqlalchemy import create_engine, text

    from assess.config import database_uri

    engine = create_engine(database_uri(database_url))

    def count() -> int:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM assessments")).scalar_one())

    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per backend (default 20)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args()
    require_wrk()

    try:
        cluster = start_postgres(settings=())  # durable, as deployed
    except PostgresUnavailable as error:
        print(error, file=sys.stderr)
        return 2
    folder = workdir("ev-submit-")
    results: list[Figures] = []
    try:
        for backend, url in (
            ("sqlite", f"sqlite:///{folder / 'submit.sqlite3'}"),
            ("postgresql", cluster.database_url(cluster.create_database("submit"))),
        ):
            results.append(measure(backend, url, row_counter(url), args, folder))
    except Exception:
        print(f"benchmark failed; gunicorn's logs are kept in {folder}", file=sys.stderr)
        raise
    else:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        cluster.stop()

    print(
        f"POST {PATH}: {args.connections} connections, {args.seconds:g} s per backend, gunicorn -w {args.workers} "
        f"(gunicorn.conf.py), wrk, {os.cpu_count()} CPUs"
    )
    for f in results:
        print(
            f"  {f.backend:10s} {f.rps:8.1f} req/s  p50 {f.p50_ms:7.1f} ms  p99 {f.p99_ms:7.1f} ms  "
            f"errors {f.errors}  stored {f.stored} (201s counted {f.created})"
        )
    sqlite, postgresql = results
    print(
        f"  PostgreSQL/SQLite: throughput {postgresql.rps / sqlite.rps:.2f}x, "
        f"p50 {postgresql.p50_ms / sqlite.p50_ms:.2f}x, p99 {postgresql.p99_ms / sqlite.p99_ms:.2f}x"
    )
    failed = any(f.errors or f.stored < f.created for f in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
