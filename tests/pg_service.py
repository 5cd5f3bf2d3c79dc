"""A private, throw-away PostgreSQL cluster for the tests and the benchmarks.

`start_postgres()` runs `initdb` into a fresh temporary directory and starts the server on a free loopback port
with a private socket directory, so it never touches a system cluster and several test runs can share a machine.
It returns a `Cluster` with its URL and a `stop()` that kills the server and deletes every file. The `postgres`
fixture at the end is the session-scoped pytest wrapper; everything above it is plain Python, so
`benchmarks/submit.py` uses the same function.

PostgreSQL refuses to run as root, so when we are root (in the container and in CI) every server command runs as
the `postgres` OS user, which owns the directories. The server is tuned for throw-away data: no fsync, no
synchronous commit, no full-page writes (the benchmark asks for the durable defaults instead).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

HOST = "127.0.0.1"
SUPERUSER = "postgres"
DRIVER = "postgresql+psycopg"
MISSING = (
    "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin): run scripts/bootstrap --dev, which "
    "apt-installs it; the storage tests always run on PostgreSQL as well as SQLite and are never skipped."
)
# Durability is worthless for test data deleted at the end of the run; these make each commit and CREATE DATABASE
# cheap. A benchmark passes settings=() to measure PostgreSQL as it runs in production.
TEST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be started; the message says why and what to do."""


def bin_dir() -> Path:
    """The newest installed PostgreSQL's bin directory (Debian keeps each major version apart)."""
    found = [Path(p).parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    if not found:
        initdb = shutil.which("initdb")  # elsewhere (a source build, Homebrew) it is usually on PATH
        if initdb is None:
            raise PostgresUnavailable(MISSING)
        return Path(initdb).parent

    def major(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))

    return max(found, key=major)


def free_port() -> int:
    """A loopback TCP port nothing listens on just now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def url(port: int, database: str = "postgres") -> str:
    """The SQLAlchemy URL of a database in the cluster on `port` (trust authentication: no password)."""
    return f"{DRIVER}://{SUPERUSER}@{HOST}:{port}/{database}"


@dataclass
class Cluster:
    """A running private cluster: where it listens, and how to make and drop databases in it."""

    port: int
    root: Path
    bin: Path
    as_user: list[str]
    stopped: bool = field(default=False)

    @property
    def url(self) -> str:
        """The URL of the maintenance database `postgres`."""
        return url(self.port)

    def database_url(self, name: str) -> str:
        """The URL of database `name` in this cluster."""
        return url(self.port, name)

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection to the maintenance database (CREATE and DROP DATABASE refuse transactions)."""
        return psycopg.connect(host=HOST, port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True)

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        """Create a database, empty or copied from `template` (which must have no open connections); returns its
        name. Copying a migrated template takes milliseconds, which is what makes a database per test cheap."""
        name = name or "test_" + secrets.token_hex(6)
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.admin() as connection:
            connection.execute(statement)
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting anyone still in it (a leaked connection must not fail the next test)."""
        with self.admin() as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    @contextlib.contextmanager
    def fresh_database(self, template: str | None = None) -> Iterator[str]:
        """A new database's URL for the length of the block, dropped afterwards."""
        name = self.create_database(template=template)
        try:
            yield self.database_url(name)
        finally:
            self.drop_database(name)

    def stop(self) -> None:
        """Kill the server at once (nothing here is worth a clean shutdown) and delete its files. Idempotent."""
        if self.stopped:
            return
        self.stopped = True
        _run(
            [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop"],
            self.root,
            check=False,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def _run(command: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    # cwd: the server user may not be allowed into the caller's directory, and initdb and pg_ctl want to stay in one.
    outcome = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=_environment())
    if check and outcome.returncode != 0:
        raise PostgresUnavailable(
            f"{' '.join(command)} failed ({outcome.returncode}):\n{outcome.stdout}{outcome.stderr}".rstrip()
        )
    return outcome


def _environment() -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("PG")}  # a PGDATA or PGPORT must not leak in
    return {**keep, "LC_ALL": "C"}


def _server_user() -> tuple[list[str], int | None, int | None]:
    """The command prefix that runs a server command as the right user, and that user's uid and gid for chown."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        account = pwd.getpwnam(SUPERUSER)
    except KeyError:
        raise PostgresUnavailable(
            "We are root and there is no 'postgres' OS user to run PostgreSQL as (it refuses to run as root): "
            "run scripts/bootstrap --dev, whose postgresql package creates it."
        ) from None
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", SUPERUSER, "--"], account.pw_uid, account.pw_gid


def start_postgres(settings: Sequence[str] = TEST_SETTINGS, attempts: int = 3) -> Cluster:
    """Start a private cluster on a free loopback port and return it; call its `stop()` when done.

    `settings` are server settings ("name=value"), by default the test tuning that gives up durability.

    Raises PostgresUnavailable, saying what to do, when PostgreSQL is not installed or will not start.
    """
    binaries = bin_dir()
    as_user, uid, gid = _server_user()
    root = Path(tempfile.mkdtemp(prefix="ev-postgres-"))
    data, sockets = root / "data", root / "sockets"
    data.mkdir(mode=0o700)
    sockets.mkdir(mode=0o700)
    if uid is not None and gid is not None:
        for path in (root, data, sockets):
            os.chown(path, uid, gid)
    try:
        _run(
            [
                *as_user,
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",  # the cluster lives for one run
            ],
            root,
        )
        # The port is free when picked but another process may take it before the server binds: try a few.
        failure = ""
        for _ in range(attempts):
            port = free_port()
            options = " ".join(
                [f"-p {port}", f"-k {sockets}", f"-c listen_addresses={HOST}", *(f"-c {t}" for t in settings)]
            )
            log = root / "server.log"
            started = _run(
                [*as_user, str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
                root,
                check=False,
            )
            if started.returncode == 0:
                cluster = Cluster(port=port, root=root, bin=binaries, as_user=as_user)
                atexit.register(cluster.stop)  # a run stopped by Ctrl-C or a crash still leaves no server behind
                return cluster
            failure = started.stdout + started.stderr + (log.read_text(errors="replace") if log.exists() else "")
        raise PostgresUnavailable(f"PostgreSQL did not start:\n{failure}".rstrip())
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """The session's private PostgreSQL cluster, started on first use and removed at the end.

    A machine without PostgreSQL fails the tests that need it, with the fix in the message, instead of skipping
    them: the PostgreSQL runs are part of what the suite proves.
    """
    failure = None
    try:
        cluster = start_postgres()
    except PostgresUnavailable as error:
        failure = str(error)
    if failure is not None:  # outside the except block, so the report shows the message alone
        pytest.fail(failure, pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()
