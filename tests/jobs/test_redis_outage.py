"""A Redis outage is no outage: a real Redis is stopped in the middle of the test, and every route that used it
(rate-limited pages and API, kept PDFs, team outputs, a queued job's page) still answers, none with a 500.

Rate limits fall back to counting in the process (Flask-Limiter's in-memory fallback), logged once; a team output
is made in the request; a job already queued says the queue cannot be reached and offers to make it now;
/readyz names Redis and the worker as failed while /healthz stays "ok".
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator

import pytest
from flask import Flask
from pypdf import PdfReader

from tests.conftest import dispose, make_app
from tests.helpers import Walker, csrf_token
from tests.jobs.helpers import job_path, make_team
from tests.redis_service import RedisServer, start_redis

FALLBACK = "Rate limit storage unreachable - falling back to in-memory storage"


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A Redis of this test's own, so stopping it leaves the session's Redis to the other tests."""
    server = start_redis()
    yield server
    server.stop()


@pytest.fixture
def outage_app(sqlite_url: str, own_redis: RedisServer) -> Iterator[Flask]:
    """The app on that Redis, for its queue and its rate limits (switched on, with small limits)."""
    app = make_app(
        sqlite_url,
        REDIS_URL=own_redis.url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=own_redis.url,
        RATELIMIT_API="12 per minute",
        RATELIMIT_SUBMIT="20 per minute",
    )
    yield app
    dispose(app)


def test_with_redis_stopped_nothing_answers_500_and_limits_count_per_process(
    outage_app: Flask, own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    app = outage_app
    client = app.test_client()
    walker = Walker(client, app.extensions["catalog"].get("role-audit"))
    result = walker.submit(walker.start())
    assert client.get(f"/r/{result}/report.pdf").status_code == 200  # rendered once, and kept
    admin, _ = make_team(app)
    queued = client.get(f"/t/{admin}/export.json")
    assert queued.status_code == 303  # Redis up: the export is queued, and no worker runs
    page_url = queued.headers["Location"]
    assert client.get("/readyz").status_code == 503  # no worker: not ready, though Redis answers
    assert own_redis.client().keys("LIMITS*")  # the limits were counted in Redis

    own_redis.stop()
    caplog.set_level(logging.INFO, logger="flask-limiter")

    api = [client.get("/api/v1/questionnaires").status_code for _ in range(3)]
    assert api == [200, 200, 200]
    created = client.post("/api/v1/questionnaires/role-audit/assessments", json={"answers": {}})
    assert created.status_code == 201
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/q/role-audit/start", data={"csrf_token": token}).status_code == 302
    kept = client.get(f"/r/{result}/report.pdf")
    assert kept.status_code == 200
    assert kept.get_data().startswith(b"%PDF")

    team_pdf = client.get(f"/t/{admin}/report.pdf?size=a4")  # no queue to reach: made in the request
    assert team_pdf.status_code == 200
    assert PdfReader(io.BytesIO(team_pdf.get_data())).pages
    assert client.get(f"/t/{admin}/export.csv").status_code == 200

    page = client.get(page_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The job queue cannot be reached just now: you can have it made now." in html
    assert 'class="job-stalled" hidden' not in html
    now = client.post(f"{page_url}/now", data={"csrf_token": csrf_token(html)})
    assert now.status_code == 200
    assert now.mimetype == "application/json"
    assert len(now.get_json()["responses"]) == 6
    status = client.get(f"{page_url}/status").get_json()
    assert (status["state"], status["stalled"]) == ("done", False)

    ready = client.get("/readyz")
    assert ready.status_code == 503
    body = ready.get_json()
    assert body["status"] == "not ready"
    assert body["failed"] == ["redis", "worker"]
    assert body["checks"]["database"] == "ok"
    assert "Connection refused" in body["checks"]["redis"]
    assert client.get("/healthz").status_code == 200

    # Still limited, now per process: 12 reads a minute counted afresh in memory from the outage on, so after the
    # three above, nine more pass and the thirteenth is refused.
    statuses = [client.get("/api/v1/questionnaires").status_code for _ in range(12)]
    assert statuses == [200] * 9 + [429] * 3
    assert [r.getMessage() for r in caplog.records].count(FALLBACK) == 1  # said once, not per request


def test_a_queued_job_s_make_it_now_is_made_once(outage_app: Flask) -> None:
    """ "Make it now" on a job no longer queued (made already) goes back to its page instead of making it twice."""
    client = outage_app.test_client()
    admin, _ = make_team(outage_app)
    page_url = client.get(f"/t/{admin}/export.csv").headers["Location"]
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    first = client.post(f"{page_url}/now", data={"csrf_token": token})
    assert first.status_code == 200
    rows = list(csv.DictReader(io.StringIO(first.get_data(as_text=True))))
    assert len(rows) == 6
    again = client.post(f"{page_url}/now", data={"csrf_token": token})
    assert again.status_code == 303
    assert again.headers["Location"].endswith(page_url)
    assert job_path(page_url)[0] == admin
