"""Fixtures for the API tests: the OpenAPI document and a validator for its schemas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker

Validate = Callable[[str, Any], None]


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    """The OpenAPI document as the app serves it."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc: dict[str, Any] = response.get_json()
    return doc


@pytest.fixture
def validate(document: dict[str, Any]) -> Validate:
    """validate(schema name, instance): raises jsonschema.ValidationError unless the instance fits the schema."""

    def check(name: str, instance: Any) -> None:
        schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
        Draft202012Validator(schema, format_checker=FormatChecker()).validate(instance)

    return check
