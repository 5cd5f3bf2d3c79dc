"""Workers you can see: a queued job with no live worker in RQ's worker registry says so once it has waited
JOB_WORKER_WAIT seconds, and offers to make it now; /readyz names a missing worker; a running worker (a real
`flask assess worker`) is seen, and gone once stopped."""

from __future__ import annotations

import io
import re
import signal
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from assess import jobs
from tests.conftest import dispose, make_app
from tests.helpers import csrf_token
from tests.jobs.helpers import flask_worker, make_team, stored_job, wait_for

NO_WORKER = "Queued. No worker is running to make it, so it may wait a long time: you can have it made now."


@pytest.fixture
def impatient_app(sqlite_url: str, redis_url: str) -> Iterator[Flask]:
    """The queue on, and a missing worker reported as soon as a job is queued (JOB_WORKER_WAIT=0)."""
    app = make_app(sqlite_url, REDIS_URL=redis_url, JOB_WORKER_WAIT=0)
    yield app
    dispose(app)


def test_a_job_waiting_with_no_worker_says_so_and_can_be_made_now(impatient_app: Flask) -> None:
    client = impatient_app.test_client()
    admin, _ = make_team(impatient_app)
    page_url = client.get(f"/t/{admin}/report.pdf?size=a4").headers["Location"]
    token = page_url.rsplit("/", 1)[1]
    status = client.get(f"{page_url}/status").get_json()
    assert (status["state"], status["stalled"], status["message"]) == ("queued", True, NO_WORKER)
    html = client.get(page_url).get_data(as_text=True)
    assert re.search(r'role="status"[^>]*>' + re.escape(NO_WORKER) + "<", html)
    assert '<div class="job-stalled">' in html
    assert "Make it now" in html

    made = client.post(f"{page_url}/now", data={"csrf_token": csrf_token(html)})
    assert made.status_code == 200
    assert made.mimetype == "application/pdf"
    assert PdfReader(io.BytesIO(made.get_data())).pages
    job = stored_job(impatient_app, token)
    assert job is not None
    assert (job.state, job.attempts, job.rq_id.startswith(jobs.IN_REQUEST)) == ("done", 1, True)
    assert client.get(f"{page_url}/download").status_code == 200  # and kept, like a worker's output


def test_the_wait_before_saying_so_is_job_worker_wait(queued_client: FlaskClient, queued_app: Flask) -> None:
    admin, _ = make_team(queued_app)
    page_url = queued_client.get(f"/t/{admin}/export.csv").headers["Location"]
    status = queued_client.get(f"{page_url}/status").get_json()
    assert queued_app.config["JOB_WORKER_WAIT"] == 30
    assert (status["stalled"], status["message"]) == (False, "Queued. It is next in line.")
    assert 'class="job-stalled" hidden' in queued_client.get(page_url).get_data(as_text=True)


def test_a_live_worker_is_seen_in_rq_s_registry_and_its_stop_too(impatient_app: Flask) -> None:
    client = impatient_app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["failed"] == ["worker"]
    assert ready.get_json()["checks"]["redis"] == "ok"
    assert "no live worker" in ready.get_json()["checks"]["worker"]

    worker = flask_worker(impatient_app)
    try:
        wait_for(lambda: client.get("/readyz").status_code == 200, message="the worker to register")
        body = client.get("/readyz").get_json()
        assert body == {
            "status": "ready",
            "failed": [],
            "checks": {"database": "ok", "redis": "ok", "worker": "1 live"},
        }
        admin, _ = make_team(impatient_app)
        page_url = client.get(f"/t/{admin}/export.json").headers["Location"]
        wait_for(lambda: client.get(f"{page_url}/status").get_json()["state"] == "done", message="the job")
    finally:
        worker.send_signal(signal.SIGTERM)  # a warm stop: the worker leaves RQ's registry at once
        worker.communicate(timeout=60)
    assert client.get("/readyz").get_json()["failed"] == ["worker"]
    with impatient_app.app_context():
        assert jobs.live_workers() == 0
