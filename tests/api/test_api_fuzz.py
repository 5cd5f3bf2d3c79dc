"""Schemathesis drives the live app (in-process, through WSGI) with requests generated from its OpenAPI document,
with every built-in check on: no server error, every status, content type, header and body as documented,
schema-invalid requests refused, schema-valid ones accepted, unsupported methods answered 405 with Allow."""

from __future__ import annotations

from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

from tests.conftest import make_app


def _document() -> dict[str, Any]:
    """The document exactly as the app serves it (building it needs no database)."""
    app = make_app("sqlite://")
    document: dict[str, Any] = app.test_client().get("/api/v1/openapi.json").get_json()
    return document


# Loaded at import, and each case is sent to the `app` fixture (a fresh migrated database): schemathesis's
# fixture-based loader (schemathesis.pytest.from_fixture) fails under pytest 9, which dropped Node._nodeid.
schema = schemathesis.openapi.from_dict(_document())

# Bounded so the whole file runs in well under a minute; the seed varies from run to run.
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@schema.parametrize()
@FUZZ
def test_api_matches_its_document(case: schemathesis.Case, app: Flask) -> None:
    case.call_and_validate(app=app)


def test_api_workflows_follow_the_document_links(app: Flask) -> None:
    """Stateful: create a result, then read, export and delete it through the links the document declares."""

    class AppWorkflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"app": app}

    AppWorkflow.run(
        settings=settings(
            max_examples=10, stateful_step_count=5, deadline=None, suppress_health_check=list(HealthCheck)
        )
    )
