"""Property-based: any valid answer set to any questionnaire is accepted, scored as the engine scores it, matches
the document, and survives export then import unchanged. (Schemathesis cannot generate these: which answers are
valid depends on the questionnaire named in the path.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.core import UNKNOWN, Questionnaire, result_to_dict, score

SLUGS = ["employer-readiness", "role-audit", "org-readiness"]


@st.composite
def answer_sets(draw: st.DrawFn, app: Flask) -> tuple[Questionnaire, dict[str, str]]:
    """A questionnaire and a valid partial answer set: some questions left out, some "unknown"."""
    q: Questionnaire = app.extensions["catalog"].get(draw(st.sampled_from(SLUGS)))
    answers = {}
    for question in q.questions:
        choice = draw(st.sampled_from([None, UNKNOWN, *[o.id for o in question.options]]))
        if choice is not None:
            answers[question.id] = choice
    return q, answers


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_valid_answers_are_scored_stored_and_round_trip(
    data: st.DataObject, client: FlaskClient, app: Flask, validate: Callable[[str, Any], None]
) -> None:
    q, answers = data.draw(answer_sets(app))
    created = client.post(f"/api/v1/questionnaires/{q.slug}/assessments", json={"answers": answers})
    assert created.status_code == 201
    body = created.get_json()
    validate("Assessment", body)
    expected = result_to_dict(score(q, answers))
    assert {k: body[k] for k in expected} == expected

    export = client.get(body["links"]["export_json"]).get_json()
    validate("Export", export)
    imported = client.post("/api/v1/imports", json=export)
    assert imported.status_code == 201
    again = imported.get_json()
    validate("ImportedAssessment", again)
    assert again["import"]["same_result"] is True
    assert {k: again[k] for k in expected} == expected
    assert again["answers"] == body["answers"]
