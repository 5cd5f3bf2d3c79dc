"""The smaller findings of the attack on the running app, each fixed: bounded, escaped echoes of an import's
fields; a 429 page that keeps what was sent; an import hit by a database fault says its file was not kept; reads
after a write a read-only database refused; Allow on the site's 405; FLASK_TRUSTED_HOSTS."""

from __future__ import annotations

import io
import json
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import create_app
from assess import store
from tests.conftest import dispose, make_app
from tests.helpers import csrf_token


def _export(client: FlaskClient) -> dict[str, Any]:
    created = client.post("/api/v1/questionnaires/role-audit/assessments", json={"answers": {}})
    exported: dict[str, Any] = client.get(f"/api/v1/assessments/{created.get_json()['token']}/export.json").get_json()
    return exported


def _upload(client: FlaskClient, document: object) -> Any:
    page = client.get("/import")
    data = {
        "csrf_token": csrf_token(page.get_data(as_text=True)),
        "export": (io.BytesIO(json.dumps(document).encode()), "my-export.json"),
    }
    return client.post("/import", data=data, content_type="multipart/form-data")


def test_an_imports_version_is_bounded_and_escaped(client: FlaskClient) -> None:
    document = _export(client)
    huge = _upload(client, {**document, "version": "9" * 100_000})
    assert huge.status_code == 422
    assert len(huge.get_data()) < 40_000
    assert "version: 100000 characters; a version has at most 20." in huge.get_data(as_text=True)
    assert all(len(cookie) < 4096 for cookie in huge.headers.getlist("Set-Cookie"))

    marked = _upload(client, {**document, "version": "<b>9.9</b>"})  # another version: re-scored, and said so
    assert marked.status_code == 302
    assert all(len(cookie) < 4096 for cookie in marked.headers.getlist("Set-Cookie"))
    page = client.get(marked.headers["Location"]).get_data(as_text=True)
    assert "version &lt;b&gt;9.9&lt;/b&gt;" in page
    assert "<b>9.9</b>" not in page


def test_the_apis_refusals_quote_a_bounded_part_of_what_was_sent(client: FlaskClient) -> None:
    name = "x" * 100_000
    refused = client.post("/api/v1/questionnaires/role-audit/assessments", json={"answers": {}, name: 1})
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "unknown_field"
    assert len(error["message"]) <= 1000
    assert len(error["field"]) <= 200
    unknown = client.post("/api/v1/questionnaires/role-audit/assessments", json={"answers": {name: "yes"}})
    assert len(unknown.get_json()["error"]["message"]) <= 1000


def test_the_429_page_keeps_what_was_sent(sqlite_url: str) -> None:
    app = make_app(sqlite_url, RATELIMIT_ENABLED=True, RATELIMIT_SUBMIT="1 per minute")
    client = app.test_client()
    form = client.get("/teams/new")
    data = {"csrf_token": csrf_token(form.get_data(as_text=True)), "name": "Acme <hiring> 2027"}
    assert client.post("/teams/new", data=data).status_code == 302
    refused = client.post("/teams/new", data=data)
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    html = refused.get_data(as_text=True)
    assert "Too many requests from your address" in html
    assert 'name="name" value="Acme &lt;hiring&gt; 2027"' in html  # re-sent by "Try again"
    assert 'action="/teams/new"' in html
    assert "Try again" in html
    dispose(app)


def test_an_import_hit_by_a_database_fault_says_its_file_was_not_kept(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _export(client)

    def unavailable(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(store, "create_assessment", unavailable)
    response = _upload(client, document)
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "The file you chose (my-export.json) could not be kept on this page" in html
    assert '<a href="/import">Choose it again</a>' in html


def read_only(database_url: str, backend: str) -> str:
    """Make the test's database read-only; returns the URL to open it with. SQLite is opened read-only; PostgreSQL
    makes every new transaction read-only (as on a standby, or with `default_transaction_read_only`)."""
    url = make_url(database_url)
    if backend == "sqlite":
        return f"sqlite:///file:{url.database}?mode=ro&uri=true"
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on')
    return database_url


def test_reads_keep_working_after_a_refused_write(
    db_app: Flask, db_client: FlaskClient, database_url: str, backend: str
) -> None:
    token = db_client.post("/api/v1/questionnaires/role-audit/assessments", json={"answers": {}}).get_json()["token"]
    dispose(db_app)
    app = make_app(read_only(database_url, backend))
    client = app.test_client()
    try:
        refused = client.post("/api/v1/questionnaires/role-audit/assessments", json={"answers": {}})
        assert refused.status_code == 503
        assert refused.get_json()["error"]["code"] == "database_unavailable"
        page = client.get("/")
        start = client.post("/q/role-audit/start", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
        assert start.status_code == 503
        for _ in range(3):
            assert client.get(f"/r/{token}").status_code == 200
            assert client.get(f"/api/v1/assessments/{token}").status_code == 200
        pdf = client.get(f"/r/{token}/report.pdf?size=a4")  # a read that would keep the PDF: sent, not kept
        assert pdf.status_code == 200
        assert pdf.data.startswith(b"%PDF")
        assert client.get(f"/r/{token}").status_code == 200
    finally:
        dispose(app)


def test_the_sites_405_names_the_allowed_methods(client: FlaskClient) -> None:
    response = client.put("/how-scoring-works")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "text/html" in response.headers["Content-Type"]


def test_trusted_hosts_from_the_environment(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_TRUSTED_HOSTS", "ev.example.org, .ev.example.org")
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production", "SQLALCHEMY_DATABASE_URI": sqlite_url}
    )
    assert app.config["TRUSTED_HOSTS"] == ["ev.example.org", ".ev.example.org"]
    client = app.test_client()
    assert client.get("/api/v1/questionnaires", headers={"Host": "evil.example"}).status_code == 400
    good = client.get("/api/v1/questionnaires", headers={"Host": "www.ev.example.org"})
    assert good.status_code == 200
    assert "evil.example" not in good.get_data(as_text=True)
    assert "http://www.ev.example.org/api/v1/" in good.get_data(as_text=True)
    dispose(app)
