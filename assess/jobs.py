"""Jobs: team report PDFs and bulk exports, made by an RQ worker when REDIS_URL is set, in the request when not.

A PDF can take seconds of CPU, too long to hold a web worker; with a queue the request only records the job and
enqueues it, and the admin watches a progress page. Everything the page needs lives in the database (`TeamJob`),
so any app server can answer for a job another one enqueued, and the output stays downloadable for
`JOB_KEEP_HOURS`. Redis carries only the job's token; the worker loads the rest inside the app context.

A job never stays pending for good:

- A render that raises or outlives `JOB_TIMEOUT` is retried once by RQ (`Retry(max=1)`); `on_job_failure`, RQ's
  failure callback, records each failed attempt and marks the job failed after the last one.
- A work-horse killed outright (SIGKILL, out of memory) gets no callback: RQ's worker reports it to
  `work_horse_killed_handler`, which records it the same way, and then retries or fails the job itself.
- A whole worker killed leaves its job in RQ's StartedJobRegistry until the worker's heartbeat lapses (at most
  about 90 s); `StartedJobRegistry.cleanup` then retries or fails it and calls the failure callback with
  `AbandonedJobError`. Workers run that cleanup every few minutes; each status read runs it too.
- Each status read also compares the database with RQ (`status`): a job RQ failed, finished or lost, or one
  started longer ago than its timeout plus `JOB_GRACE`, is marked failed, whatever callback did or did not run.

A job nobody will pick up says so: when it has waited `JOB_WORKER_WAIT` seconds and RQ's worker registry has no
live worker on the queue (or Redis cannot be reached), its status is `stalled`, and the page offers to make it in
the request (`make_now`). Workers heart-beat every `WORKER_TTL` seconds when idle; one killed outright drops out
of the registry within `WORKER_TTL + 60` seconds, one stopped with SIGTERM at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Retry, Worker, get_current_job
from rq.exceptions import AbandonedJobError, NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.timeouts import BaseDeathPenalty, JobTimeoutException
from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from . import store
from .extensions import db
from .store import new_token, now

if TYPE_CHECKING:
    from .store import Team

log = logging.getLogger(__name__)

QUEUE = "escape-velocity"
"""The one RQ queue the app enqueues on and `flask assess worker` listens to."""

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
PENDING = (QUEUED, RUNNING)

ERROR, TIMEOUT, LOST = "error", "timeout", "lost"
"""Why an attempt failed, as stored in TeamJob.error: the render raised, it ran out of time, or its worker died.
Codes, never exception text: the page turns them into words, and nothing from a traceback reaches a user."""

DEFAULTS: dict[str, Any] = {
    "JOB_TIMEOUT": 120,  # seconds one attempt may run before RQ stops it (it is retried once)
    "JOB_GRACE": 120,  # seconds past JOB_TIMEOUT before a status read gives up on a started job RQ never resolved
    "JOB_KEEP_HOURS": 24,  # hours a finished job's output (or a job that never ran) is kept before it is purged
    "JOB_WORKER_WAIT": 30,  # seconds a queued job waits before a missing worker is reported and "make it now" offered
    "WORKER_TTL": 60,  # seconds between an idle worker's heartbeats; a dead one is forgotten 60 s after its last
    "JOB_TEST_DELAY": 0,  # tests only (ignored unless TESTING): seconds each attempt sleeps first, to be killed
}

NO_WORKER, QUEUE_DOWN = "no_worker", "queue_down"
IN_REQUEST = "request-"
"""The prefix of the rq_id of a job claimed to be made in a request rather than by a worker."""
"""Why a queued job is stalled: no live worker in RQ's registry, or Redis unreachable."""

ENQUEUE_GRACE = timedelta(seconds=30)
"""A job RQ does not know yet is not lost: the record is committed a moment before the job is enqueued."""


class QueueUnavailable(RuntimeError):
    """Redis could not be reached to enqueue a job; the caller makes the output in the request instead."""


class TeamJob(db.Model):  # type: ignore[name-defined,misc]
    """One requested team PDF or export: its state, and once made its output, until it expires.

    Reached by its own 256-bit token, and only together with its team's admin token; deleted with the team.
    `rq_id` names the RQ job of the current attempt chain, so a stale RQ job (superseded, or run after the
    record gave up on it) finds no match and does nothing.
    """

    __tablename__ = "team_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    variant: Mapped[str] = mapped_column(String(10), default="")
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    error: Mapped[str] = mapped_column(String(10), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    rq_id: Mapped[str] = mapped_column(String(64), index=True)
    mimetype: Mapped[str] = mapped_column(String(100), default="")
    filename: Mapped[str] = mapped_column(String(200), default="")
    output: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


@dataclass(frozen=True)
class Output:
    """What a job makes: the bytes and how to send them."""

    body: bytes
    mimetype: str
    filename: str


Producer = Callable[["Team", str], Output]
_producers: dict[str, Producer] = {}


def producer(kind: str) -> Callable[[Producer], Producer]:
    """Register the function that makes `kind` for a team and a variant (a paper size, or "").

    The web layer registers its renderers here, so the worker runs exactly what the in-request path runs and this
    module needs no import from the web layer.
    """

    def register(function: Producer) -> Producer:
        _producers[kind] = function
        return function

    return register


def produce(team: Team, kind: str, variant: str) -> Output:
    """Make the output now, in this process: the worker's job, and the whole of it when there is no queue."""
    return _producers[kind](team, variant)


@dataclass(frozen=True)
class Status:
    """A job's state as the progress page shows it."""

    state: str
    attempts: int
    error: str
    ahead: int | None  # jobs before it in the queue, when queued and known
    expires_at: datetime
    stalled: str = ""  # why a queued job will not be picked up: NO_WORKER or QUEUE_DOWN; "" when it will

    @property
    def pending(self) -> bool:
        """Still to be made: the page keeps refreshing."""
        return self.state in PENDING


def queue_enabled() -> bool:
    """True when REDIS_URL is set: jobs go to the queue instead of running in the request."""
    return bool(current_app.config.get("REDIS_URL"))


def connection() -> Redis:
    """The app's Redis client for enqueueing and status reads, with short timeouts so a dead Redis costs a request
    seconds, not minutes. Made once per app; the pool is safe across threads and re-made after a fork."""
    client: Redis | None = current_app.extensions.get("job_redis")
    if client is None:
        client = Redis.from_url(
            current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5, health_check_interval=30
        )
        current_app.extensions["job_redis"] = client
    return client


def _queue() -> Queue:
    return Queue(QUEUE, connection=connection())


def _keep() -> timedelta:
    return timedelta(hours=float(current_app.config["JOB_KEEP_HOURS"]))


def _move(where: ColumnElement[bool], from_states: tuple[str, ...], **values: Any) -> bool:
    """Set `values` on the job matching `where`, only while it is in one of `from_states`, and commit.

    Every state change goes through here: the worker, RQ's callbacks and status reads on any app server may race,
    and a conditional UPDATE lets the first one win instead of a late writer undoing a later state.
    """
    outcome = db.session.execute(
        update(TeamJob)
        .where(where, TeamJob.state.in_(from_states))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # expires loaded jobs, so the next read sees what was written
    return bool(getattr(outcome, "rowcount", 0))


def purge_expired() -> int:
    """Delete jobs past their expiry, outputs and all; returns how many went."""
    outcome = db.session.execute(delete(TeamJob).where(TeamJob.expires_at < now()))
    db.session.commit()
    return int(getattr(outcome, "rowcount", 0) or 0)


def get(team: Team, token: str) -> TeamJob | None:
    """The team's unexpired job with this token, or None: another team's job token finds nothing."""
    return db.session.scalar(
        select(TeamJob).where(TeamJob.token == token, TeamJob.team_id == team.id, TeamJob.expires_at >= now())
    )


def submit(team: Team, kind: str, variant: str = "") -> TeamJob:
    """Record a job and enqueue it; a job of the same kind already pending for the team is returned instead, so
    repeated clicks do not pile up renders. Raises QueueUnavailable (leaving nothing behind) when Redis is down."""
    if kind not in _producers:
        raise ValueError(f"unknown job kind {kind!r}")
    purge_expired()
    waiting = db.session.scalars(
        select(TeamJob)
        .where(TeamJob.team_id == team.id, TeamJob.kind == kind, TeamJob.variant == variant)
        .where(TeamJob.state.in_(PENDING))
        .order_by(TeamJob.id.desc())
    ).first()
    if waiting is not None and status(waiting).pending:
        return waiting
    job = TeamJob(
        token=new_token(),
        team_id=team.id,
        kind=kind,
        variant=variant,
        state=QUEUED,
        error="",
        attempts=0,
        rq_id=uuid.uuid4().hex,
        expires_at=now() + _keep(),
    )
    db.session.add(job)
    db.session.commit()
    try:
        _enqueue(job)
    except RedisError as exc:
        db.session.delete(job)
        db.session.commit()
        raise QueueUnavailable(str(exc)) from exc
    return job


RESULT_TTL = 60
"""Seconds RQ keeps a finished job's own record (not the output, which is in the database)."""


def _enqueue(job: TeamJob) -> None:
    keep = int(_keep().total_seconds())
    _queue().enqueue(
        run_job,
        args=(job.token,),
        job_id=job.rq_id,
        # RQ logs each job's description, by default its call with the arguments: the token is a secret.
        description=f"team {job.kind} {job.variant}".strip(),
        job_timeout=int(current_app.config["JOB_TIMEOUT"]),
        retry=Retry(max=1),
        on_failure=Callback(on_job_failure),
        # The output is in the database; RQ forgets the job a minute after it succeeds. Not at once (result_ttl=0):
        # RQ then deletes the job's execution records on the spot, and a retried job's dead first execution, whose
        # record lapses 60 s before RQ's index of it does, made that delete raise "Execution ... not found in
        # Redis" after a successful retry, turning it into a logged failure.
        result_ttl=RESULT_TTL,
        ttl=keep,  # never picked up within the keep time: dropped, and the status read calls it lost
        failure_ttl=keep,
    )


def forget_team(team: Team) -> None:
    """Delete a team's jobs and outputs, and take its waiting jobs off the queue.

    Joins the caller's transaction without committing: the team delete commits it with the team, so both go or
    neither does. The foreign key cascades too, where the database enforces it; SQLite does not here.
    """
    waiting = list(db.session.scalars(select(TeamJob.rq_id).where(TeamJob.team_id == team.id, TeamJob.state == QUEUED)))
    db.session.execute(delete(TeamJob).where(TeamJob.team_id == team.id))
    if waiting and queue_enabled():
        try:
            client = connection()
            for rq_id in waiting:
                try:
                    Job.fetch(rq_id, connection=client).delete()
                except NoSuchJobError:
                    continue
        except RedisError:
            log.warning("job queue unreachable: a deleted team's queued jobs will find nothing to do when they run")


# ---------------------------------------------------------------------------------------------------------
# The worker side


def run_job(token: str) -> None:
    """RQ's entry point: make one job's output and store it. Receives only the token; everything else is loaded
    from the database, inside the app context the worker provides. Raising hands the attempt back to RQ."""
    current = get_current_job()
    job = db.session.scalar(select(TeamJob).where(TeamJob.token == token))
    if job is None or current is None or job.rq_id != current.id:
        log.info("job %s: nothing to do (its team was deleted, or it was superseded)", current and current.id)
        return
    job_id, team_id, kind, variant = job.id, job.team_id, job.kind, job.variant
    mine = (TeamJob.id == job_id) & (TeamJob.rq_id == current.id)  # not once made in a request (make_now)
    started = _move(mine, PENDING, state=RUNNING, attempts=TeamJob.attempts + 1, started_at=now(), error="")
    if not started:
        return  # already done, or given up on by a status read
    try:
        delay = float(current_app.config.get("JOB_TEST_DELAY") or 0)
        if delay and current_app.testing:
            time.sleep(delay)  # a slow job the tests can kill or time out; never set outside them
        team = store.get_team(team_id)
        if team is None:
            return  # deleted while this ran: the job went with it
        output = produce(team, kind, variant)
    except BaseException:
        db.session.rollback()
        raise
    finished = now()
    _move(
        mine,
        (RUNNING,),
        state=DONE,
        error="",
        output=output.body,
        mimetype=output.mimetype,
        filename=output.filename,
        finished_at=finished,
        expires_at=finished + _keep(),
    )
    purge_expired()


def on_job_failure(
    rq_job: Job, connection: Redis, exc_type: type[BaseException] | None, exc_value: object, traceback: object
) -> None:
    """RQ's failure callback, after every failed attempt: in the work-horse when the render raised or timed out,
    or wherever StartedJobRegistry.cleanup runs when the job's worker died (AbandonedJobError)."""
    if exc_type is not None and issubclass(exc_type, JobTimeoutException):
        reason = TIMEOUT
    elif exc_type is not None and issubclass(exc_type, AbandonedJobError):
        reason = LOST
    else:
        reason = ERROR
    _attempt_failed(rq_job, reason)


def _horse_killed(rq_job: Job, retpid: int, ret_val: int, rusage: Any) -> None:
    """The worker's work_horse_killed_handler: a work-horse died without raising (SIGKILL, out of memory), so no
    failure callback ran. RQ retries or fails the job next; this records which."""
    _attempt_failed(rq_job, LOST)


def _attempt_failed(rq_job: Job, reason: str) -> None:
    """Record a failed attempt: queued again while RQ has a retry left for it, failed for good otherwise."""
    if not has_app_context():
        # Something outside the app (say `rq info`) ran RQ's registry cleanup: the next status read reconciles.
        log.warning("job %s failed (%s) outside the app; its status read will record it", rq_job.id, reason)
        return
    db.session.rollback()  # whatever the attempt left half-done
    if rq_job.retries_left:
        _move(TeamJob.rq_id == rq_job.id, PENDING, state=QUEUED, error=reason)
    else:
        _move(TeamJob.rq_id == rq_job.id, PENDING, state=FAILED, error=reason, finished_at=now())
    log.warning("job %s: attempt failed (%s), retries left %s", rq_job.id, reason, rq_job.retries_left or 0)


class _NoDeathPenalty(BaseDeathPenalty):
    """No time limit on the failure callbacks RQ's registry cleanup runs during a status read: RQ's default limit
    uses SIGALRM, which only the main thread may set, and requests run on other threads. The callback is one
    UPDATE."""

    def setup_death_penalty(self) -> None:
        """Nothing to arm."""

    def cancel_death_penalty(self) -> None:
        """Nothing to disarm."""


def status(job: TeamJob) -> Status:
    """The job's state, reconciled with RQ first while it is pending, so a page never waits on a dead job."""
    ahead = None
    stalled = ""
    if job.state in PENDING and queue_enabled():
        try:
            ahead = _reconcile(job)
            if job.state == QUEUED and _waited(job) and not live_workers():
                stalled = NO_WORKER
        except RedisError:
            log.warning("job queue unreachable while reading a job's status; showing the stored state")
            stalled = QUEUE_DOWN if job.state == QUEUED else ""
    if job.state == RUNNING and job.started_at is not None:
        limit = int(current_app.config["JOB_TIMEOUT"]) + int(current_app.config["JOB_GRACE"])
        if job.started_at + timedelta(seconds=limit) < now():
            # RQ kills an attempt at its timeout and notices a dead worker within about 90 s: past this, nothing
            # will ever finish it (Redis lost it, or no one ran the cleanup).
            _move(TeamJob.id == job.id, (RUNNING,), state=FAILED, error=LOST, finished_at=now())
    queued = job.state == QUEUED
    return Status(
        job.state, job.attempts, job.error, ahead if queued else None, job.expires_at, stalled if queued else ""
    )


def _waited(job: TeamJob) -> bool:
    """True once a queued job has waited JOB_WORKER_WAIT seconds since it was queued (or last tried)."""
    since = max(job.created_at, job.started_at or job.created_at)
    return since + timedelta(seconds=float(current_app.config["JOB_WORKER_WAIT"])) <= now()


def live_workers() -> int:
    """How many workers listen on the queue, by RQ's worker registry: a worker whose heartbeat key has lapsed (it
    was killed) is not counted. Raises RedisError when Redis cannot be reached."""
    return len(Worker.all(queue=_queue()))


def make_now(job: TeamJob) -> Output | None:
    """Make a queued job's output in this request, store it as the job's, and take its RQ job off the queue.

    For a job no worker will pick up. The job is claimed first with a conditional UPDATE that gives it a new
    `rq_id`, so a worker that dequeues the old RQ job finds it superseded and does nothing. Returns None when the
    job was no longer queued (a worker started it, or another request claimed it). A render that raises marks
    the job failed (the page then offers "Try again") and raises.
    """
    old_rq_id, claim = job.rq_id, IN_REQUEST + uuid.uuid4().hex
    started = now()
    if not _move(
        TeamJob.id == job.id,
        (QUEUED,),
        state=RUNNING,
        rq_id=claim,
        attempts=TeamJob.attempts + 1,
        started_at=started,
        error="",
    ):
        return None
    if queue_enabled():
        # Gone already, or Redis unreachable: either way a worker that runs it later finds it superseded.
        with contextlib.suppress(NoSuchJobError, RedisError):
            Job.fetch(old_rq_id, connection=connection()).delete()
    team = store.get_team(job.team_id)
    try:
        if team is None:
            raise LookupError("the team was deleted")
        output = produce(team, job.kind, job.variant)
    except Exception:
        db.session.rollback()
        _move(TeamJob.rq_id == claim, (RUNNING,), state=FAILED, error=ERROR, finished_at=now())
        raise
    finished = now()
    _move(
        TeamJob.rq_id == claim,
        (RUNNING,),
        state=DONE,
        output=output.body,
        mimetype=output.mimetype,
        filename=output.filename,
        finished_at=finished,
        expires_at=finished + _keep(),
    )
    return output


def _reconcile(job: TeamJob) -> int | None:
    """Bring the record in line with RQ; returns how many jobs are ahead of it when it is waiting in the queue."""
    if job.rq_id.startswith(IN_REQUEST):
        return None  # being made in a request (make_now): RQ has no part in it; the time limit in status applies
    queue = _queue()
    registry = StartedJobRegistry(queue=queue, death_penalty_class=_NoDeathPenalty)
    if registry.get_expired_job_ids() and queue.acquire_maintenance_lock():
        # Jobs whose worker stopped heart-beating: RQ's own handling retries or fails them and calls
        # on_job_failure. The lock is the one workers take for the same cleanup, so a job is handled once.
        try:
            registry.cleanup()
        finally:
            queue.release_maintenance_lock()  # type: ignore[no-untyped-call]
    try:
        rq_state: JobStatus | None = Job.fetch(job.rq_id, connection=queue.connection).get_status(refresh=False)
    except NoSuchJobError:
        rq_state = None
    db.session.refresh(job)  # read after RQ: a job that finished in between is done here, not "lost"
    if job.state not in PENDING:
        return None
    if rq_state in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        _move(TeamJob.id == job.id, PENDING, state=FAILED, error=job.error or ERROR, finished_at=now())
    elif rq_state in (None, JobStatus.FINISHED):
        if job.created_at + ENQUEUE_GRACE < now():  # RQ forgot it (Redis restarted, or it expired unrun)
            _move(TeamJob.id == job.id, PENDING, state=FAILED, error=job.error or LOST, finished_at=now())
    elif rq_state == JobStatus.STARTED:
        return None
    elif job.state == RUNNING:  # RQ queued it again and no one told the database (a killed work-horse)
        _move(TeamJob.id == job.id, (RUNNING,), state=QUEUED, error=job.error or LOST)
    elif rq_state == JobStatus.QUEUED:
        position: int | None = queue.get_job_position(job.rq_id)
        return position
    return None


class AppWorker(Worker):
    """RQ's forking worker, whose work-horses each run their job in a fresh app context on their own database
    connections (a pooled connection must never be shared across a fork)."""

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        """The forked child: drop the parent's pool, push an app context, run the job (RQ exits the process)."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        with app.app_context():
            db.engine.dispose(close=False)  # forget the parent's connections without closing them under it
            super().main_work_horse(job, queue)


def make_worker(app: Flask) -> AppWorker:
    """A worker on the app's queue. Make it, and run it, inside the app's context: its handlers use the database."""
    # A connection of its own: RQ raises its socket timeout above the blocking dequeue's, unlike the web's.
    connection = Redis.from_url(app.config["REDIS_URL"])
    return AppWorker(
        [Queue(QUEUE, connection=connection)],
        connection=connection,
        work_horse_killed_handler=_horse_killed,
        worker_ttl=int(app.config["WORKER_TTL"]),  # how soon a killed worker drops out of RQ's registry
    )


def work(app: Flask, burst: bool = False) -> None:
    """Run a worker until it is stopped (SIGTERM or Ctrl-C finish the current job first), or with `burst` until the
    queue is empty. Inside the app's context. Raises QueueUnavailable without REDIS_URL or when Redis is down."""
    if not app.config.get("REDIS_URL"):
        raise QueueUnavailable("REDIS_URL is not set: without a queue the app makes team PDFs and exports itself")
    import weasyprint  # noqa: F401  # loaded once here, so each forked work-horse starts with it in memory

    try:
        make_worker(app).work(burst=burst, logging_level="INFO")
    except RedisError as exc:
        raise QueueUnavailable(f"cannot reach Redis at REDIS_URL: {exc}") from exc


def init_app(app: Flask) -> None:
    """Fill in the job settings: REDIS_URL from the environment unless configured, and the defaults above."""
    app.config.setdefault("REDIS_URL", os.environ.get("REDIS_URL") or None)
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
