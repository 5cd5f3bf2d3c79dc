"""Rate limits on submitting, PDF rendering and the API: each answers 429 with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
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
