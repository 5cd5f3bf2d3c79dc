"""What the server benchmarks share: the app under gunicorn on a loopback port, wrk, and a small HTTP client.

Every benchmark measures its subject beside a reference in the same run (these machines are shared and noisy:
ratios hold, absolute figures do not). Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    """A TCP port free on the loopback interface just now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def workdir(prefix: str) -> Path:
    """A fresh scratch folder for databases and logs."""
    return Path(tempfile.mkdtemp(prefix=prefix))


@dataclass(frozen=True)
class Server:
    """A running gunicorn serving the app."""

    port: int
    workers: int
    database_url: str

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"


def wait_until_up(port: int, timeout: float = 30) -> None:
    """Return once the server answers /healthz; fail if it does not within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise RuntimeError(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


@contextmanager
def serve(
    folder: Path, name: str, workers: int = 2, database_url: str | None = None, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Migrate the database (a fresh SQLite file unless `database_url` is given), start gunicorn with the
    project's gunicorn.conf.py and `workers` sync workers, and stop it afterwards. Rate limits are off: every
    request comes from one address."""
    url = database_url or f"sqlite:///{folder / (name + '.sqlite3')}"
    full_env = {
        **os.environ,
        "DATABASE_URL": url,
        "FLASK_SECRET_KEY": secrets.token_urlsafe(48),
        "FLASK_RATELIMIT_ENABLED": "false",
        "GUNICORN_ACCESS_LOG": str(folder / f"{name}-access.log"),
        **(env or {}),
    }
    python = sys.executable
    subprocess.run(
        [python, "-m", "flask", "--app", "app", "db", "upgrade"],
        cwd=ROOT,
        env=full_env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    with open(folder / f"{name}-gunicorn.log", "w") as log:
        process = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "-w",
                str(workers),
                "-b",
                f"{HOST}:{port}",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            wait_until_up(port)
            yield Server(port, workers, url)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


# wrk runs this in each of its threads: the request, a count of answers with an unexpected status, and at the end
# one JSON line with the totals and the latency percentiles (microseconds).
WRK_SCRIPT = """
wrk.method = "%(method)s"
%(body)s
local expected = {%(expected)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) unexpected = 0 end
function response(status, headers, body) if not expected[status] then unexpected = unexpected + 1 end end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("unexpected") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "micros": %%d, "p50": %%d, "p99": %%d, "unexpected": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), bad,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def require_wrk() -> str:
    """The wrk binary, or a clear message on how to get it."""
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(
            "these benchmarks drive load with wrk: run `apt-get install -y wrk` (or scripts/bootstrap --dev)"
        )
    return path


def wrk(
    url: str,
    seconds: float,
    connections: int,
    method: str = "GET",
    body: bytes | None = None,
    content_type: str = "application/json",
    expected: tuple[int, ...] = (200,),
    folder: Path | None = None,
    headers: dict[str, str] | None = None,
) -> Load:
    """Drive `url` with wrk from `connections` connections for `seconds`, sending `headers` too; errors count
    socket errors and every answer whose status is not in `expected`."""
    folder = folder or workdir("ev-wrk-")
    body_lua = "".join(
        f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n" for name, value in (headers or {}).items()
    )
    if body is not None:
        body_file = folder / f"body-{secrets.token_hex(4)}"
        body_file.write_bytes(body)
        body_lua += f'wrk.headers["Content-Type"] = "{content_type}"\nwrk.body = io.open("{body_file}"):read("*a")'
    script = folder / f"wrk-{secrets.token_hex(4)}.lua"
    script.write_text(
        WRK_SCRIPT % {"method": method, "body": body_lua, "expected": ", ".join(f"[{s}] = true" for s in expected)}
    )
    threads = max(1, min(connections, os.cpu_count() or 1))
    out = subprocess.run(
        [
            require_wrk(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in out.stdout.splitlines() if line.startswith("{"))
    figures = json.loads(line)
    return Load(
        requests=figures["requests"],
        rps=figures["requests"] / (figures["micros"] / 1e6),
        p50_ms=figures["p50"] / 1000,
        p99_ms=figures["p99"] / 1000,
        errors=figures["unexpected"] + figures["socket_errors"],
    )


class Client:
    """One HTTP/1.1 connection with a one-cookie jar (the session), for setting up and for journeys."""

    def __init__(self, port: int, timeout: float = 30) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.cookie = ""

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, json_body: object = None
    ) -> tuple[int, bytes, dict[str, str]]:
        """Send one request; (0, b"", {}) when the connection failed."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body: bytes | None = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return 0, b"", {}
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data, {k.lower(): v for k, v in response.getheaders()}

    def close(self) -> None:
        self.conn.close()


def create_results(port: int, slug: str, count: int, seed: int = 1) -> list[str]:
    """Store `count` scored results through the API (every question answered, some "don't know"); their tokens."""
    import random

    from assess.core import UNKNOWN, load_catalog

    questionnaire = load_catalog().get(slug)
    pick = random.Random(seed)  # noqa: S311 - reproducible benchmark data, nothing secret
    client = Client(port)
    tokens = []
    for _ in range(count):
        answers = {
            q.id: UNKNOWN if pick.random() < 0.15 else pick.choice(q.options).id for q in questionnaire.questions
        }
        status, data, _ = client.request(
            "POST", f"/api/v1/questionnaires/{slug}/assessments", json_body={"answers": answers, "label": "Acme Ltd"}
        )
        if status != 201:
            raise RuntimeError(f"could not create a result: {status} {data[:200]!r}")
        tokens.append(json.loads(data)["token"])
    client.close()
    return tokens


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` fall (nearest rank); NaN for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")
