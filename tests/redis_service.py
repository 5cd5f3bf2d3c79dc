"""A private, throw-away Redis for the job-queue tests.

`start_redis()` runs `redis-server` on a free loopback port with nothing written to disk (no RDB snapshots, no
append-only file) and a temporary working directory, so it never touches a system Redis and several test runs can
share a machine. It returns a `RedisServer` with its URL and a `stop()` that kills it. The `redis_server` fixture
is the session-scoped pytest wrapper; `redis_url` gives each test an emptied database on it.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.pg_service import free_port

HOST = "127.0.0.1"
REDIS_SERVER = "/usr/bin/redis-server"
MISSING = (
    "redis-server is not installed: run scripts/bootstrap --dev, which apt-installs it; the job queue tests always "
    "run against a real Redis and are never skipped."
)


class RedisUnavailable(RuntimeError):
    """Redis could not be started; the message says why and what to do."""


@dataclass
class RedisServer:
    """A running private Redis: where it listens, and how to stop it."""

    port: int
    process: subprocess.Popen[bytes]
    root: Path
    stopped: bool = field(default=False)

    @property
    def url(self) -> str:
        """The URL of its database 0."""
        return f"redis://{HOST}:{self.port}/0"

    def client(self) -> Redis:
        """A client on database 0."""
        return Redis.from_url(self.url)

    def stop(self) -> None:
        """Kill the server at once (nothing in it is worth keeping) and delete its directory. Idempotent."""
        if self.stopped:
            return
        self.stopped = True
        self.process.kill()
        self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def _binary() -> str:
    found = REDIS_SERVER if Path(REDIS_SERVER).exists() else shutil.which("redis-server")
    if found is None:
        raise RedisUnavailable(MISSING)
    return found


def start_redis(attempts: int = 3, wait: float = 10.0) -> RedisServer:
    """Start a private Redis on a free loopback port and return it once it answers PING; call `stop()` when done.

    Raises RedisUnavailable, saying what to do, when redis-server is missing or will not start.
    """
    binary = _binary()
    root = Path(tempfile.mkdtemp(prefix="ev-redis-"))
    failure = ""
    # The port is free when picked, but another process may take it before the server binds: try a few.
    for _ in range(attempts):
        port = free_port()
        log = root / f"redis-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no", "--dir", str(root)],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=root,
            )
        server = RedisServer(port=port, process=process, root=root)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if server.client().ping():
                    atexit.register(server.stop)  # a run stopped by Ctrl-C or a crash still leaves no server behind
                    return server
            except RedisConnectionError:
                time.sleep(0.05)
        process.kill()
        process.wait(timeout=10)
        failure = log.read_text(errors="replace")
    shutil.rmtree(root, ignore_errors=True)
    raise RedisUnavailable(f"redis-server did not start:\n{failure}".rstrip())


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """The session's private Redis, started on first use and stopped at the end.

    A machine without redis-server fails the tests that need it, with the fix in the message, instead of skipping
    them.
    """
    try:
        server = start_redis()
    except RedisUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of the private Redis, emptied for this test (FLUSHDB): no job or lock leaks from one test into
    the next."""
    client = redis_server.client()
    client.flushdb()
    client.close()
    return redis_server.url
