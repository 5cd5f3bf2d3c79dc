"""A PostgreSQL restart under traffic: a request whose query succeeded and whose connection the server then closed
(a fast shutdown terminates every backend) still gets its page. The session's rollback at the end of the request
fails on the dead connection; it used to escape Flask-SQLAlchemy's teardown as a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, Response
from sqlalchemy import text

from assess.extensions import db
from tests.conftest import dispose, make_app
from tests.helpers import Walker
from tests.pg_service import Cluster


@pytest.fixture
def pg_app(postgres: Cluster, pg_template: str) -> Iterator[Flask]:
    with postgres.fresh_database(template=pg_template) as url:
        app = make_app(url)
        yield app
        dispose(app)


def test_a_connection_closed_by_the_server_after_the_query_still_answers(pg_app: Flask, postgres: Cluster) -> None:
    armed: list[bool] = []
    killed: list[int] = []

    @pg_app.after_request
    def terminate_own_backend(response: Response) -> Response:
        """As a fast shutdown does: the server ends this request's connection after its queries ran."""
        if armed and response.status_code == 200 and not killed:
            pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with postgres.admin() as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            killed.append(pid)
        return response

    client = pg_app.test_client()
    walker = Walker(client, pg_app.extensions["catalog"].get("role-audit"))
    result = walker.submit(walker.start())
    armed.append(True)
    page = client.get(f"/r/{result}")
    assert killed
    assert page.status_code == 200
    assert client.get(f"/r/{result}").status_code == 200  # and the next request gets a fresh connection
