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
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pg_service import PostgresUnavailable, free_port, start_postgres  # noqa: E402 - needs ROOT on the path

HOST = "127.0.0.1"
SLUG = "employer-readiness"
PATH = f"/api/v1/questionnaires/{SLUG}/assessments"

# wrk runs this in each of its threads: POST the one body, count the answers that are not 201, and at the end
# print one JSON line with the totals and the latency percentiles (microseconds).
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open("%(body)s"):read("*a")
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_created = 0 end
function response(status, headers, body) if status ~= 201 then not_created = not_created + 1 end end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("not_created") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "micros": %%d, "p50": %%d, "p99": %%d, "not_created": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), bad,
    e.connect + e.read + e.write + e.timeout))
end
"""


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


def wait_until_up(port: int, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Return once the server answers /healthz; fail if it exits, or does not answer within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not come up on port {port}")


def wrk(port: int, script: Path, seconds: float, connections: int) -> dict[str, int]:
    """One wrk run against the submit endpoint; the figures its script printed."""
    threads = max(1, min(connections, os.cpu_count() or 1))
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            f"http://{HOST}:{port}{PATH}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in out.stdout.splitlines() if line.startswith("{"))
    figures: dict[str, int] = json.loads(line)
    return figures


def measure(
    backend: str, database_url: str, count_rows: Callable[[], int], args: argparse.Namespace, workdir: Path
) -> Figures:
    """Migrate, serve with gunicorn, warm up, then measure submits on one backend."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FLASK_SECRET_KEY": secrets.token_urlsafe(48),
        "FLASK_RATELIMIT_ENABLED": "false",
        "GUNICORN_ACCESS_LOG": str(workdir / f"{backend}-access.log"),
        # No worker recycling mid-run: a restart stalls its queued requests for a second, which would land in the
        # p99 of whichever backend happens to serve more requests (it passes max_requests only there).
        "GUNICORN_MAX_REQUESTS": "0",
    }
    python = sys.executable
    subprocess.run(
        [python, "-m", "flask", "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    port = free_port()
    with open(workdir / f"{backend}-gunicorn.log", "w") as log:
        server = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "-w",
                str(args.workers),
                "-b",
                f"{HOST}:{port}",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            wait_until_up(port, server)
            script = workdir / "submit.lua"
            wrk(port, script, min(3.0, args.seconds), args.connections)  # warm-up: imports, pools, page cache
            before = count_rows()
            figures = wrk(port, script, args.seconds, args.connections)
            time.sleep(0.5)  # requests still in flight when wrk stopped counting may yet commit
            stored = count_rows() - before
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    created = figures["requests"] - figures["not_created"]
    return Figures(
        backend=backend,
        rps=figures["requests"] / (figures["micros"] / 1e6),
        p50_ms=figures["p50"] / 1000,
        p99_ms=figures["p99"] / 1000,
        errors=figures["not_created"] + figures["socket_errors"],
        created=created,
        stored=stored,
    )


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
    if shutil.which("wrk") is None:
        print("benchmarks/submit.py needs wrk: apt-get install wrk", file=sys.stderr)
        return 2

    try:
        cluster = start_postgres(settings=())  # durable, as deployed
    except PostgresUnavailable as error:
        print(error, file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="ev-submit-"))
    (workdir / "body.json").write_bytes(request_body())
    (workdir / "submit.lua").write_text(WRK_SCRIPT % {"body": workdir / "body.json"})
    results: list[Figures] = []
    try:
        for backend, url in (
            ("sqlite", f"sqlite:///{workdir / 'submit.sqlite3'}"),
            ("postgresql", cluster.database_url(cluster.create_database("submit"))),
        ):
            results.append(measure(backend, url, row_counter(url), args, workdir))
    except Exception:
        print(f"benchmark failed; gunicorn's logs are kept in {workdir}", file=sys.stderr)
        raise
    else:
        shutil.rmtree(workdir, ignore_errors=True)
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
