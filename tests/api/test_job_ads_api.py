"""POST /api/v1/job-ads: an ad's text in, the findings out, as the OpenAPI document describes them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from assess.jobads import MAX_AD_CHARS
from tests.api.conftest import Validate

AD = """<h2>Social Media Strategist</h2>
<ul><li>You will respond to customer comments and messages every day.</li>
<li>You will win buy-in from stakeholders across the business.</li>
<li>There is no on-call.</li></ul>
<p>Our office has a lovely canteen overlooking the river.</p>"""


def test_reading_an_ad_returns_findings_with_their_sentences(client: FlaskClient, validate: Validate) -> None:
    response = client.post("/api/v1/job-ads", json={"text": AD})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    validate("JobAdReading", body)
    assert body["sentences"] == 5
    found = {(f["signal"], f["quote"]) for f in body["findings"]}
    assert found == {
        ("helpdesk-duties", "You will respond to customer comments and messages every day."),
        ("buy-in", "You will win buy-in from stakeholders across the business."),
    }
    assert [(s["signal"], s["reason"]) for s in body["set_aside"]] == [("always-on", "cancelled")]
    assert body["answers"]["employer-readiness"]["climate-jobad"]["option"] == "win-buy-in"
    assert body["answers"]["org-readiness"]["o-jobad-buyin"]["option"] == "win-buy-in"
    assert any(q["signal"] == "business-measures" and q["quotes"] == [] for q in body["questions"])
    assert "canteen" not in json.dumps(body)  # quotes only, never the whole ad
    assert response.headers["Cache-Control"] == "no-store"


def test_the_document_describes_the_endpoint(document: dict[str, Any]) -> None:
    operation = document["paths"]["/api/v1/job-ads"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/JobAdRead"
    }
    assert set(operation["responses"]) >= {"200", "400", "413", "415", "422"}
    assert document["components"]["schemas"]["JobAdRead"]["properties"]["text"]["maxLength"] == MAX_AD_CHARS


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({}, "missing_field", "text"),
        ({"text": "   "}, "invalid_type", "text"),
        ({"text": 42}, "invalid_type", "text"),
        ({"text": "x" * (MAX_AD_CHARS + 1)}, "too_long", "text"),
        ({"text": "Reply to comments.", "ad": "typo"}, "unknown_field", "ad"),
    ],
)
def test_a_bad_body_is_a_422_naming_the_field(
    client: FlaskClient, validate: Validate, body: dict[str, Any], code: str, field: str
) -> None:
    response = client.post("/api/v1/job-ads", json=body)
    assert response.status_code == 422
    error = response.get_json()
    validate("Error", error)
    assert (error["error"]["code"], error["error"]["field"]) == (code, field)


def test_not_json_is_refused(client: FlaskClient) -> None:
    assert client.post("/api/v1/job-ads", data="text=hello", content_type="text/plain").status_code == 415
    assert client.post("/api/v1/job-ads", data="{", content_type="application/json").status_code == 400
