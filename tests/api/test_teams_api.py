"""The team API: create, respond anonymously, read the aggregate; tokens never cross over."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import Validate


def answers_at(app: Flask, level: float) -> dict[str, str]:
    questionnaire = app.extensions["catalog"].get("org-readiness")
    chosen = {}
    for q in questionnaire.questions:
        ordered = sorted(q.options, key=lambda o: o.points)
        chosen[q.id] = ordered[round(level * (len(ordered) - 1))].id
    return chosen


def new_team(client: FlaskClient, validate: Validate) -> dict[str, Any]:
    response = client.post("/api/v1/teams", json={"name": "Fabrikam social lead"})
    assert response.status_code == 201
    body = response.get_json()
    validate("TeamCreated", body)
    assert response.headers["Location"].endswith(f"/api/v1/teams/{body['admin_token']}")
    return body


def test_team_aggregate_by_department_with_the_divide(client: FlaskClient, app: Flask, validate: Validate) -> None:
    team = new_team(client, validate)
    respond = f"/api/v1/teams/{team['respondent_token']}/responses"
    for _ in range(3):
        response = client.post(respond, json={"department": "marketing", "answers": answers_at(app, 1.0)})
        assert response.status_code == 201
        validate("TeamResponseRecorded", response.get_json())
    for _ in range(3):
        assert client.post(respond, json={"department": "it", "answers": answers_at(app, 0.0)}).status_code == 201
    body = client.get(f"/api/v1/teams/{team['admin_token']}").get_json()
    validate("Team", body)
    assert body["responses"] == 6
    assert body["shown"] is True
    ownership = next(d for d in body["dimensions"] if d["id"] == "ownership")
    assert (ownership["n"], ownership["min"], ownership["max"], ownership["spread"]) == (6, 0.0, 100.0, 100.0)
    assert ownership["disagreement"] is True
    assert sorted(d["department"] for d in body["departments"]) == ["it", "marketing"]
    assert any(d["dimension"] == "ownership" and d["gap"] == 100.0 for d in body["divides"])
    assert "answers" not in str(body)  # statistics only


def test_nothing_shown_below_three(client: FlaskClient, app: Flask, validate: Validate) -> None:
    team = new_team(client, validate)
    client.post(f"/api/v1/teams/{team['respondent_token']}/responses", json={"answers": answers_at(app, 1.0)})
    body = client.get(f"/api/v1/teams/{team['admin_token']}").get_json()
    assert body["shown"] is False
    assert body["overall"]["median"] is None
    assert body["dimensions"] == []


def test_tokens_do_not_cross_over(client: FlaskClient, validate: Validate) -> None:
    team = new_team(client, validate)
    assert client.get(f"/api/v1/teams/{team['respondent_token']}").status_code == 404
    response = client.post(f"/api/v1/teams/{team['admin_token']}/responses", json={"answers": {}})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_team"


def test_closed_team_refuses_with_409(client: FlaskClient, app: Flask, validate: Validate) -> None:
    team = new_team(client, validate)
    with app.app_context():
        from assess import store

        store.set_team_closed(store.get_team_by_admin(team["admin_token"]), True)
    response = client.post(f"/api/v1/teams/{team['respondent_token']}/responses", json={"answers": {}})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "team_closed"


def test_bad_team_bodies_name_the_field(client: FlaskClient, validate: Validate) -> None:
    assert client.post("/api/v1/teams", json={}).get_json()["error"]["field"] == "name"
    assert client.post("/api/v1/teams", json={"name": 5}).get_json()["error"]["field"] == "name"
    assert client.post("/api/v1/teams", json={"name": "x" * 500}).status_code == 422
    team = new_team(client, validate)
    respond = f"/api/v1/teams/{team['respondent_token']}/responses"
    bad_department = client.post(respond, json={"department": "finance", "answers": {}})
    assert (bad_department.status_code, bad_department.get_json()["error"]["field"]) == (422, "department")
    bad_answer = client.post(respond, json={"answers": {"nope": "x"}})
    assert bad_answer.status_code == 422
    assert bad_answer.get_json()["error"]["field"] == "answers.nope"
    assert client.post(respond, data="{", content_type="application/json").status_code == 400


def test_team_aggregate_says_what_it_hides_and_holds_a_disputed_band(
    client: FlaskClient, app: Flask, validate: Validate
) -> None:
    """Three marketers answer best, two IT colleagues worst: IT is named with its count, the rest of the
    organisation is said to differ from marketing without a figure, and the budget battle IT raises (two of five)
    holds the band below the median's."""
    team = new_team(client, validate)
    respond = f"/api/v1/teams/{team['respondent_token']}/responses"
    for _ in range(3):
        assert (
            client.post(respond, json={"department": "marketing", "answers": answers_at(app, 1.0)}).status_code == 201
        )
    for _ in range(2):
        assert client.post(respond, json={"department": "it", "answers": answers_at(app, 0.0)}).status_code == 201
    body = client.get(f"/api/v1/teams/{team['admin_token']}").get_json()
    validate("Team", body)
    assert [d["department"] for d in body["departments"]] == ["marketing"]
    assert body["unshown"] == [{"department": "it", "n": 2, "counted_in": "overall"}]
    assert body["rest"]["department"] == "marketing"
    assert body["rest"]["n_rest"] == 2
    assert {"id": "ownership", "title": "Ownership and teamwork", "agrees": False} in body["rest"]["dimensions"]
    assert body["overall"]["median"] == 100.0
    assert (body["band"], body["band_capped"]) == ("caution", True)
    assert "hiring-into-budget-battle" in [f["id"] for f in body["disputed_by"]]
