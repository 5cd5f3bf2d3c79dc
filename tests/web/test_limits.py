"""Rate limits on submitting, PDF rendering and the API: each answers 429 with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient

from app import create_app
from assess import web
from assess.web import limits
from tests.helpers import Walker, csrf_token


@pytest.fixture
def limited(tmp_path: Path, migrated_db: Path) -> Flask:
    """The app with small limits switched on."""
    database = tmp_path / "limits.sqlite3"
    shutil.copy(migrated_db, database)
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_SUBMIT": "3 per minute",
            "RATELIMIT_PDF": "2 per minute",
            "RATELIMIT_API": "5 per minute",
        }
    )


def test_starting_too_often_gets_429_with_a_message(limited: Flask) -> None:
    client = limited.test_client()
    token = csrf_token(client.get("/").get_data(as_text=True))
    statuses = [client.post("/q/role-audit/start", data={"csrf_token": token}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    page = client.post("/q/role-audit/start", data={"csrf_token": token})
    assert page.status_code == 429
    text = page.get_data(as_text=True)
    assert "Too many requests from your address" in text
    assert "3 per 1 minute" in text or "3 per minute" in text
    assert "Retry-After" in page.headers


@pytest.mark.usefixtures("stub_renderer")  # about HTTP and keeping, not the PDF: see tests/reports
def test_pdf_downloads_are_limited(limited: Flask) -> None:
    client = limited.test_client()
    walker = Walker(client, limited.extensions["catalog"].get("role-audit"))
    result = walker.submit(walker.start())
    statuses = [client.get(f"/r/{result}/report.pdf").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_api_is_limited_with_a_json_error(limited: Flask) -> None:
    client = limited.test_client()
    statuses = [client.get("/api/v1/questionnaires").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    body = client.get("/api/v1/questionnaires").get_json()
    assert body["error"]["code"] == "too_many_requests"
    assert "Too many requests" in body["error"]["message"]


def test_api_submissions_are_limited(limited: Flask) -> None:
    client = limited.test_client()
    statuses = [
        client.post("/api/v1/questionnaires/role-audit/assessments", json={"answers": {}}).status_code for _ in range(4)
    ]
    assert statuses == [201, 201, 201, 429]


def _budgeted(database: str, **config: object) -> Flask:
    """The app with generous per-endpoint limits and a write budget of 5 a minute."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": database,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_SUBMIT": "20 per minute",
            "RATELIMIT_API": "100 per minute",
            "RATELIMIT_WRITES": "5 per minute",
            **config,
        }
    )


def _writes(client: FlaskClient) -> list[int]:
    """Two creates and two teams through the API: each endpoint well inside its own limit."""
    statuses = []
    for _ in range(2):
        statuses.append(client.post("/api/v1/questionnaires/role-audit/assessments", json={"answers": {}}).status_code)
    for _ in range(2):
        statuses.append(client.post("/api/v1/teams", json={"name": "Budget"}).status_code)
    return statuses


def test_one_write_budget_spans_every_endpoint(sqlite_url: str) -> None:
    client = _budgeted(sqlite_url).test_client()
    created = client.post("/api/v1/questionnaires/role-audit/assessments", json={"answers": {}})
    export = client.get(f"/api/v1/assessments/{created.get_json()['token']}/export.json").get_data()
    statuses = _writes(client)  # 1 + 4 = 5: the budget
    assert statuses == [201, 201, 201, 201]
    refused = client.post("/api/v1/imports", data=export, content_type="application/json")
    assert refused.status_code == 429  # the imports endpoint's first request: refused by the shared budget
    assert "across the whole site is 5 per minute" in refused.get_json()["error"]["message"]
    page = client.get("/")
    assert page.status_code == 200  # reading is not writing
    start = client.post("/q/role-audit/start", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert start.status_code == 429  # the site's forms share it
    assert "across the whole site" in start.get_data(as_text=True)


def test_the_write_budget_is_shared_through_redis(sqlite_url: str, redis_url: str) -> None:
    """Two app servers on one Redis (REDIS_URL) count one budget per address."""
    servers = [_budgeted(sqlite_url, RATELIMIT_STORAGE_URI=redis_url).test_client() for _ in range(2)]
    statuses = [servers[n % 2].post("/api/v1/teams", json={"name": "Shared"}).status_code for n in range(6)]
    assert statuses == [201] * 5 + [429]


def test_every_state_changing_route_has_a_rate_limit(app: Flask) -> None:
    """Every POST, PUT, PATCH and DELETE rule of the app is limited (a new route without one fails here, and the
    app refuses to start: see the next test)."""
    limited = limits.limited_endpoints(app)
    changing = {rule.endpoint for rule in app.url_map.iter_rules() if limits.STATE_CHANGING & (rule.methods or set())}
    assert changing, "no state-changing route found"
    assert changing - limited == set()


def test_the_app_refuses_to_start_with_a_state_changing_route_that_has_no_limit(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A limit cannot fall off silently: adding a POST route without @limit stops create_app with its name."""
    extra = Blueprint("unlimited", __name__)
    extra.add_url_rule("/unlimited", "erase", lambda: "", methods=["POST"])
    original = web.init_app

    def with_extra(app: Flask) -> None:
        app.register_blueprint(extra)
        original(app)

    monkeypatch.setattr(web, "init_app", with_extra)
    with pytest.raises(RuntimeError, match=r"/unlimited \(unlimited\.erase\)"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sqlite_url})
