"""Team PDFs and exports as jobs: made in the request without Redis; with it, queued, made by a real worker
(`flask assess worker`, a subprocess), followed on a progress page, retried once on a crash, a timeout or a killed
worker, then failed with a retry button, never left pending; private to the team and deleted with it."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from redis import Redis
from rq import Queue
from rq.registry import StartedJobRegistry
from sqlalchemy import func, select, update

from assess import jobs, store
from assess.extensions import db
from tests.conftest import dispose, make_app
from tests.helpers import csrf_token
from tests.jobs.helpers import burst, flask_worker, job_path, make_team, stored_job, wait_for
from tests.pg_service import free_port
from tests.reports.pdfs import page_texts


def request_job(client: FlaskClient, path: str) -> tuple[str, str]:
    """Ask for a PDF or export with the queue on: a 303 to its progress page; returns (page URL, job token)."""
    response = client.get(path)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    return location, job_path(location)[1]


def job_count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(jobs.TeamJob)) or 0)


def set_job(app: Flask, token: str, **values: object) -> None:
    """Change a stored job behind the app's back (to move its clock)."""
    with app.app_context():
        db.session.execute(update(jobs.TeamJob).where(jobs.TeamJob.token == token).values(**values))
        db.session.commit()


def horse_of(worker: subprocess.Popen[str]) -> int | None:
    """The pid of the worker's work-horse (its one child process), if it has one now."""
    try:
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    except FileNotFoundError:
        return None
    return int(children[0]) if children else None


def running(app: Flask, token: str, attempts: int) -> Callable[[], bool]:
    def check() -> bool:
        job = stored_job(app, token)
        return job is not None and job.state == jobs.RUNNING and job.attempts == attempts

    return check


def no_longer(check: Callable[[], bool]) -> Callable[[], bool]:
    return lambda: not check()


def stop(worker: subprocess.Popen[str]) -> str:
    """Stop a worker still running (SIGTERM: it finishes or abandons nothing) and return its log."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    try:
        out, _ = worker.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        out, _ = worker.communicate()
    return out


# ---------------------------------------------------------------------------------------------------------
# Without Redis


def test_without_redis_the_pdf_and_exports_are_made_in_the_request(client: FlaskClient, app: Flask) -> None:
    assert app.config["REDIS_URL"] is None
    admin, _ = make_team(app)
    pdf = client.get(f"/t/{admin}/report.pdf?size=a4")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert PdfReader(io.BytesIO(pdf.get_data())).pages
    rows = list(csv.DictReader(io.StringIO(client.get(f"/t/{admin}/export.csv").get_data(as_text=True))))
    assert len(rows) == 6
    assert len(client.get(f"/t/{admin}/export.json").get_json()["responses"]) == 6
    assert job_count(app) == 0  # nothing recorded, nothing queued: today's behaviour


def test_an_unreachable_redis_falls_back_to_the_request(sqlite_url: str) -> None:
    app = make_app(sqlite_url, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    try:
        admin, _ = make_team(app)
        response = app.test_client().get(f"/t/{admin}/report.pdf?size=letter")
        assert response.status_code == 200
        assert round(float(PdfReader(io.BytesIO(response.get_data())).pages[0].mediabox.width)) == 612
        assert job_count(app) == 0  # the record made before enqueueing was taken back
    finally:
        dispose(app)


def test_the_worker_command_needs_redis(sqlite_url: str) -> None:
    app = make_app(sqlite_url, REDIS_URL=None)
    try:
        outcome = app.test_cli_runner().invoke(args=["assess", "worker", "--burst"])
    finally:
        dispose(app)
    assert outcome.exit_code == 2
    assert "REDIS_URL is not set" in outcome.output


# ---------------------------------------------------------------------------------------------------------
# With Redis: the flow


def test_queued_pdf_and_exports_walk_from_queued_to_done(queued_db_app: Flask) -> None:
    app = queued_db_app
    client = app.test_client()
    admin, _ = make_team(app, "Initech social lead")
    page_url, token = request_job(client, f"/t/{admin}/report.pdf?size=a4")
    csv_url, _ = request_job(client, f"/t/{admin}/export.csv")
    json_url, _ = request_job(client, f"/t/{admin}/export.json")
    assert page_url.startswith(f"/t/{admin}/jobs/")
    assert len(token) >= 43  # 256 bits from secrets, like every other token here

    page = client.get(page_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Team report (PDF, A4)" in html
    assert re.search(r'role="status" aria-live="polite"[^>]*>Queued\. It is next in line\.<', html)
    assert "http-equiv" not in html  # never a timed reload (WCAG 2.2.1): JS polls, and without it the person asks
    assert re.search(rf'<noscript>.*<a [^>]*href="{re.escape(page_url)}">Check again</a>.*</noscript>', html, re.S)
    assert re.search(r'class="job-done" hidden', html)
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script for the CSP to refuse
    second = client.get(f"{csv_url}/status").get_json()
    assert second["state"] == "queued"
    assert second["ahead"] == 1  # the PDF is before it
    assert second["download_url"] is None
    assert client.get(f"{page_url}/download").headers["Location"].endswith(page_url)  # not ready: back to the page
    # Asking again while it waits reuses the job; another paper size is another job.
    assert request_job(client, f"/t/{admin}/report.pdf?size=a4")[1] == token
    assert request_job(client, f"/t/{admin}/report.pdf?size=letter")[1] != token

    burst(app)  # `flask assess worker --burst`, as production runs it (but quitting once done)

    status = client.get(f"{page_url}/status")
    assert status.headers["Cache-Control"] == "no-store"
    body = status.get_json()
    assert body["state"] == "done"
    assert body["message"].startswith("Ready.")
    assert body["download_url"].endswith(f"{page_url}/download")
    html = client.get(page_url).get_data(as_text=True)
    assert "Check again" not in html  # settled: nothing more to wait for
    assert not re.search(r'class="job-done" hidden', html)
    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["Cache-Control"] == "no-store"
    assert "attachment" in download.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(download.get_data()), strict=True)
    text = " ".join(page_texts(download.get_data()))
    assert "Initech social lead" in text
    assert "6 respondents." in text  # page 1 is the combined answer
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4

    rows = list(csv.DictReader(io.StringIO(client.get(f"{csv_url}/download").get_data(as_text=True))))
    assert sorted(r["department"] for r in rows) == ["it"] * 3 + ["marketing"] * 3
    exported = json.loads(client.get(f"{json_url}/download").get_data())
    assert exported["format"] == "escape-velocity-team-responses"
    assert len(exported["responses"]) == 6
    job = stored_job(app, token)
    assert job is not None
    assert (job.state, job.attempts, job.error) == ("done", 1, "")


def test_a_render_that_raises_is_retried_once_then_failed_with_a_retry_button(
    queued_app: Flask, queued_client: FlaskClient, run_jobs: Callable[[Flask], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    from assess.reports import pdf

    admin, _ = make_team(queued_app)
    page_url, token = request_job(queued_client, f"/t/{admin}/report.pdf?size=a4")

    def broken(*args: object, **kwargs: object) -> bytes:
        raise pdf.PdfError("layout failed")

    monkeypatch.setattr(pdf, "render_team_pdf", broken)
    run_jobs(queued_app)
    job = stored_job(queued_app, token)
    assert job is not None
    assert (job.state, job.attempts, job.error) == ("failed", 2, "error")

    page = queued_client.get(page_url)
    html = page.get_data(as_text=True)
    assert "It could not be made: something went wrong while making it" in html
    assert not re.search(r'class="job-failed" hidden', html)
    assert "http-equiv" not in html
    assert queued_client.get(f"{page_url}/status").get_json()["state"] == "failed"

    monkeypatch.undo()
    retry = queued_client.post(f"{page_url}/retry", data={"csrf_token": csrf_token(html)})
    assert retry.status_code == 303
    assert job_path(retry.headers["Location"])[1] != token  # a new job, with a new link
    run_jobs(queued_app)
    assert queued_client.get(retry.headers["Location"] + "/status").get_json()["state"] == "done"


def test_a_job_that_times_out_is_retried_once_then_failed(
    sqlite_url: str, redis_url: str, run_jobs: Callable[[Flask], None]
) -> None:
    # Each attempt sleeps (the test-only hook) well past its one-second limit.
    app = make_app(sqlite_url, REDIS_URL=redis_url, JOB_TIMEOUT=1, JOB_TEST_DELAY=30)
    try:
        admin, _ = make_team(app)
        page_url, token = request_job(app.test_client(), f"/t/{admin}/export.csv")
        started = time.monotonic()
        run_jobs(app)
        assert time.monotonic() - started < 20  # stopped at the limit, not after the sleep
        job = stored_job(app, token)
        assert job is not None
        assert (job.state, job.attempts, job.error) == ("failed", 2, "timeout")
        message = app.test_client().get(f"{page_url}/status").get_json()["message"]
        assert message == "It could not be made: it took longer than the 1-second limit."
    finally:
        dispose(app)


def test_a_killed_work_horse_is_retried_once_then_failed(queued_app: Flask, queued_client: FlaskClient) -> None:
    admin, _ = make_team(queued_app)
    page_url, token = request_job(queued_client, f"/t/{admin}/export.json")
    worker = flask_worker(queued_app, JOB_TEST_DELAY=60)
    try:
        for attempt in (1, 2):
            wait_for(running(queued_app, token, attempt), message=f"attempt {attempt} to start")
            assert queued_client.get(f"{page_url}/status").get_json()["message"].startswith("Being made now")
            horse = horse_of(worker)
            assert horse is not None
            os.kill(horse, signal.SIGKILL)  # as the kernel's OOM killer would
            wait_for(no_longer(running(queued_app, token, attempt)), message="the kill to be noticed")
        job = stored_job(queued_app, token)
        assert job is not None
        assert (job.state, job.attempts, job.error) == ("failed", 2, "lost")
    finally:
        log = stop(worker)
    assert "Work-horse terminated unexpectedly" in log
    html = queued_client.get(page_url).get_data(as_text=True)
    assert "the worker making it stopped before it finished" in html
    assert "Try again" in html


def kill_worker_mid_job(app: Flask, token: str) -> None:
    """Start a worker on a slow job and SIGKILL it, main process first and then its work-horse, so no one is
    left to notice: the job stays "started" in RQ until its heartbeat lapses."""
    worker = flask_worker(app, JOB_TEST_DELAY=60)
    try:
        wait_for(running(app, token, 1), message="the job to start")
        horse = horse_of(worker)
        assert horse is not None
        worker.kill()
        os.kill(horse, signal.SIGKILL)
    finally:
        worker.kill()
        worker.communicate()


def test_a_killed_worker_s_job_is_retried_through_rq_s_abandoned_job_cleanup(
    queued_app: Flask, queued_client: FlaskClient, run_jobs: Callable[[Flask], None]
) -> None:
    admin, _ = make_team(queued_app)
    page_url, token = request_job(queued_client, f"/t/{admin}/report.pdf?size=a4")
    kill_worker_mid_job(queued_app, token)
    assert queued_client.get(f"{page_url}/status").get_json()["state"] == "running"  # the heartbeat has not lapsed

    # Let the dead worker's heartbeat lapse now rather than in a minute and a half.
    redis = Redis.from_url(queued_app.config["REDIS_URL"])
    registry = StartedJobRegistry(queue=Queue(jobs.QUEUE, connection=redis))
    entries = redis.zrange(registry.key, 0, -1)
    assert len(entries) == 1
    redis.zadd(registry.key, {entries[0]: time.time() - 1})

    # The status read runs RQ's cleanup: the job is queued again for its one retry, and the page says so.
    body = queued_client.get(f"{page_url}/status").get_json()
    assert body["state"] == "queued"
    assert body["message"] == (
        "The first attempt failed: the worker making it stopped before it finished. It is queued to be tried once "
        "more. It is next in line."
    )
    run_jobs(queued_app)
    assert queued_client.get(f"{page_url}/status").get_json()["state"] == "done"
    job = stored_job(queued_app, token)
    assert job is not None
    assert job.attempts == 2


def test_a_successful_retry_after_a_killed_worker_logs_no_traceback(
    queued_app: Flask, queued_client: FlaskClient
) -> None:
    """The dead worker's execution record lapses 60 s before RQ's index of the job's executions does; deleting a
    finished job at once (result_ttl=0) read that index and raised "Execution ... not found in Redis", which the
    worker logged as the job failing after it had succeeded."""
    admin, _ = make_team(queued_app)
    page_url, token = request_job(queued_client, f"/t/{admin}/export.csv")
    kill_worker_mid_job(queued_app, token)
    redis = Redis.from_url(queued_app.config["REDIS_URL"])
    registry = StartedJobRegistry(queue=Queue(jobs.QUEUE, connection=redis))
    (entry,) = redis.zrange(registry.key, 0, -1)  # "<job id>:<execution id>"
    redis.zadd(registry.key, {entry: time.time() - 1})  # the heartbeat lapses...
    assert redis.delete(f"rq:execution:{entry.decode()}") == 1  # ...and so does the execution's own record
    assert queued_client.get(f"{page_url}/status").get_json()["state"] == "queued"  # RQ's cleanup: one retry

    log = burst(queued_app)
    assert "Successfully completed" in log
    assert "Traceback" not in log, log
    assert "attempt failed" not in log, log
    job = stored_job(queued_app, token)
    assert job is not None
    assert (job.state, job.attempts, job.error) == ("done", 2, "")


def test_a_started_job_past_its_timeout_and_grace_is_failed_by_the_status_read(
    queued_app: Flask, queued_client: FlaskClient
) -> None:
    admin, _ = make_team(queued_app)
    page_url, token = request_job(queued_client, f"/t/{admin}/export.csv")
    kill_worker_mid_job(queued_app, token)
    job = stored_job(queued_app, token)
    assert job is not None
    assert job.started_at is not None
    limit = queued_app.config["JOB_TIMEOUT"] + queued_app.config["JOB_GRACE"]
    set_job(queued_app, token, started_at=job.started_at - timedelta(seconds=limit + 1))
    body = queued_client.get(f"{page_url}/status").get_json()
    assert body["state"] == "failed"
    assert "the worker making it stopped" in body["message"]


def test_a_job_redis_forgot_is_failed_not_left_waiting(queued_app: Flask, queued_client: FlaskClient) -> None:
    admin, _ = make_team(queued_app)
    page_url, token = request_job(queued_client, f"/t/{admin}/export.csv")
    Redis.from_url(queued_app.config["REDIS_URL"]).flushdb()  # Redis restarted without persistence
    assert queued_client.get(f"{page_url}/status").get_json()["state"] == "queued"  # just enqueued: not lost yet
    job = stored_job(queued_app, token)
    assert job is not None
    set_job(queued_app, token, created_at=job.created_at - jobs.ENQUEUE_GRACE - timedelta(seconds=1))
    assert queued_client.get(f"{page_url}/status").get_json()["state"] == "failed"


# ---------------------------------------------------------------------------------------------------------
# Privacy: reached only through the team, gone with it, kept for a day


def test_wrong_or_foreign_job_tokens_are_404(queued_app: Flask, queued_client: FlaskClient) -> None:
    admin, _ = make_team(queued_app)
    other, _ = make_team(queued_app, "Other team")
    page_url, token = request_job(queued_client, f"/t/{admin}/export.csv")
    with queued_app.app_context():
        respondent = store.get_team_by_admin(admin).respondent_token
    missing = store.new_token()
    for path in (f"/t/{admin}/jobs/{missing}", f"/t/{other}/jobs/{token}", f"/t/{respondent}/jobs/{token}"):
        page = queued_client.get(path)
        assert page.status_code == 404, path
        assert "matches this link" in page.get_data(as_text=True)
        assert page.headers["Cache-Control"] == "no-store"
        status = queued_client.get(f"{path}/status")
        assert status.status_code == 404
        assert status.get_json()["error"]["code"] == "unknown_job"
        assert queued_client.get(f"{path}/download").status_code == 404
    form = csrf_token(queued_client.get(f"/t/{other}").get_data(as_text=True))
    assert queued_client.post(f"/t/{other}/jobs/{token}/retry", data={"csrf_token": form}).status_code == 404
    assert queued_client.get(page_url).status_code == 200


def test_deleting_the_team_deletes_its_jobs_outputs_and_queue_entries(
    queued_app: Flask, queued_client: FlaskClient, run_jobs: Callable[[Flask], None]
) -> None:
    admin, _ = make_team(queued_app)
    kept, _ = make_team(queued_app, "Kept team")
    done_url, _ = request_job(queued_client, f"/t/{admin}/export.csv")
    run_jobs(queued_app)
    waiting_url, _ = request_job(queued_client, f"/t/{admin}/export.json")
    request_job(queued_client, f"/t/{kept}/export.json")
    queue = Queue(jobs.QUEUE, connection=Redis.from_url(queued_app.config["REDIS_URL"]))
    assert queue.count == 2
    assert job_count(queued_app) == 3

    confirm = queued_client.get(f"/t/{admin}/delete").get_data(as_text=True)
    assert "PDFs or exports made for it" in confirm
    queued_client.post(f"/t/{admin}/delete", data={"csrf_token": csrf_token(confirm)})

    assert job_count(queued_app) == 1  # only the other team's
    assert queue.count == 1
    for url in (done_url, waiting_url, f"{done_url}/download"):
        assert queued_client.get(url).status_code == 404


def test_outputs_expire_and_are_purged(
    queued_app: Flask, queued_client: FlaskClient, run_jobs: Callable[[Flask], None]
) -> None:
    admin, _ = make_team(queued_app)
    page_url, token = request_job(queued_client, f"/t/{admin}/export.csv")
    run_jobs(queued_app)
    job = stored_job(queued_app, token)
    assert job is not None
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    set_job(queued_app, token, expires_at=store.now() - timedelta(seconds=1))
    assert queued_client.get(f"{page_url}/download").status_code == 404
    request_job(queued_client, f"/t/{admin}/export.json")  # any new job purges what has expired
    assert stored_job(queued_app, token) is None
