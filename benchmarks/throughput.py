"""Page throughput under gunicorn, as a share of a bare route of the same app, measured in one run.

    .venv/bin/python benchmarks/throughput.py [--seconds 5] [--rounds 5] [--connections 50] [--workers 2]

Serves the app with gunicorn (`--workers` sync workers, SQLite) and drives with wrk, one after another:
GET /healthz (the bare "hello" route: no template, no database), a wizard page (GET /d/<draft>/1) and a results
page (GET /r/<token>), each with the session cookie of the browser that started the draft and with none (a first
visit, which also makes a new session), in interleaved rounds. A page's share is the median over rounds of its
throughput against the reference measured in the same round. Target: each page at 25% or more of the reference,
with standard rendering (render_template on every request, Flask-WTF's CSRF tokens, the ORM's reads); the results
page keeps the rendered report part of a stored result (results.report_html, cachetools), as issue 16 allows.
wrk shares the machine's cores with gunicorn, as the issue's reference figure did: only the ratios mean anything.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import CSRF, Client, Load, create_results, serve, workdir, wrk

TARGET = 0.25


def start_draft(port: int, slug: str) -> tuple[str, str]:
    """A wizard draft started the way a person starts one (landing page, then Start): its token, and the session
    cookie that person's browser now holds."""
    client = Client(port)
    _, html, _ = client.request("GET", "/")
    match = CSRF.search(html.decode())
    if match is None:
        raise RuntimeError("no CSRF token on the landing page")
    status, _, headers = client.request("POST", f"/q/{slug}/start", {"csrf_token": match.group(1)})
    draft = re.search(r"/d/([^/]+)/1", headers.get("location", ""))
    if status != 302 or draft is None:
        raise RuntimeError(f"could not start a draft: {status}")
    client.close()
    return draft.group(1), client.cookie


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5, help="seconds per measurement (default 5)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    folder = workdir("ev-throughput-")
    with serve(folder, "throughput", workers=args.workers) as server:
        draft, cookie = start_draft(server.port, "role-audit")
        result = create_results(server.port, "role-audit", 1)[0]
        session = {"Cookie": cookie}
        # Each page twice: as its owner's browser asks for it, with the session cookie it got when the draft was
        # started, and as a first visit with no cookie (a resume or result link opened on another device), which
        # also makes a new session and sets its cookie.
        pages: dict[str, tuple[str, dict[str, str]]] = {
            "wizard page": (f"/d/{draft}/1", session),
            "wizard page, no cookie": (f"/d/{draft}/1", {}),
            "results page": (f"/r/{result}", session),
            "results page, no cookie": (f"/r/{result}", {}),
        }

        def run(path: str, headers: dict[str, str]) -> Load:
            return wrk(server.url(path), args.seconds, args.connections, folder=folder, headers=headers)

        for path, headers in (("/healthz", {}), *pages.values()):  # warm-up: imports, templates, pools
            wrk(server.url(path), 2, args.connections, folder=folder, headers=headers)
        # Interleaved rounds, so the reference and the pages see the same machine; the median round counts.
        rounds: dict[str, list[Load]] = {"/healthz": [], **{name: [] for name in pages}}
        for _ in range(args.rounds):
            rounds["/healthz"].append(run("/healthz", {}))
            for name, (path, headers) in pages.items():
                rounds[name].append(run(path, headers))

    def median(loads: list[Load]) -> Load:
        return sorted(loads, key=lambda load: load.rps)[len(loads) // 2]

    print(
        f"Page throughput, gunicorn -w {args.workers} (sync), wrk {args.connections} connections, "
        f"{args.rounds} interleaved rounds of {args.seconds:g} s each (medians), SQLite"
    )

    def line(name: str, load: Load, share: str) -> None:
        print(
            f"  {name:<24} {load.rps:8.1f} req/s  p50 {load.p50_ms:7.1f} ms  p99 {load.p99_ms:7.1f} ms  "
            f"errors {load.errors:<4} {share}"
        )

    line("GET /healthz", median(rounds["/healthz"]), "the reference = 100%")
    failed = 0
    for name in pages:
        load = median(rounds[name])
        # Each round's page against the same round's reference, measured seconds apart: the machine's load drifts
        # between rounds (the reference alone has moved by a quarter between runs), and a paired share follows it.
        shares = sorted(page.rps / ref.rps for page, ref in zip(rounds[name], rounds["/healthz"], strict=True))
        share = shares[len(shares) // 2]
        ok = share >= TARGET and load.errors == 0
        failed += not ok
        line(
            name,
            load,
            f"{share:6.1%} of the reference (rounds {shares[0]:.1%} to {shares[-1]:.1%}; "
            f"target {TARGET:.0%}{', met' if ok else ', NOT met'})",
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
