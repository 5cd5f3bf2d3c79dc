"""Liveness and readiness: /healthz answers without touching anything; /readyz checks the database round trip
(and, with a queue, Redis and a worker: tests/jobs) and names what failed."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import dispose, make_app
from tests.pg_service import free_port


def test_ready_on_sqlite_without_redis(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "failed": [], "checks": {"database": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_a_database_that_does_not_answer_is_named_while_healthz_stays_ok() -> None:
    app = make_app(f"postgresql+psycopg://ev@127.0.0.1:{free_port()}/escape_velocity")
    try:
        client = app.test_client()
        response = client.get("/readyz")
        assert response.status_code == 503
        body = response.get_json()
        assert body["failed"] == ["database"]
        assert body["checks"]["database"].startswith("failed: ")
        assert "SELECT" not in body["checks"]["database"]  # the reason, not the statement
        health = client.get("/healthz")
        assert (health.status_code, health.get_data(as_text=True)) == (200, "ok")
    finally:
        dispose(app)
