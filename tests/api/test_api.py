"""The JSON API: every operation, every error case, and every response checked against the OpenAPI document."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from assess.core import UNKNOWN, Questionnaire, questionnaire_to_dict, result_to_dict, score
from tests.helpers import Walker

Validate = Callable[[str, Any], None]

SLUGS = ["employer-readiness", "role-audit", "org-readiness"]
API = "/api/v1"


def questionnaire(app: Flask, slug: str) -> Questionnaire:
    found: Questionnaire = app.extensions["catalog"].get(slug)
    return found


def best_answers(q: Questionnaire) -> dict[str, str]:
    return {x.id: max(x.options, key=lambda o: o.points).id for x in q.questions}


def assert_error(response: Any, status: int, code: str, field: str | None, validate: Validate) -> dict[str, Any]:
    """The response is the API's JSON error with this status, code and field, and sets no cookie."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert "Set-Cookie" not in response.headers
    body: dict[str, Any] = response.get_json()
    validate("Error", body)
    assert body["error"]["code"] == code
    assert body["error"]["field"] == field
    assert body["error"]["message"]
    return body


@pytest.fixture
def created(client: FlaskClient, app: Flask) -> dict[str, Any]:
    """A stored role-audit result, created through the API with every best answer."""
    response = client.post(
        f"{API}/questionnaires/role-audit/assessments", json={"answers": best_answers(questionnaire(app, "role-audit"))}
    )
    assert response.status_code == 201
    body: dict[str, Any] = response.get_json()
    return body


# ---------------------------------------------------------------------------------------------------------
# The document


def test_the_document_is_openapi_3_1_with_valid_schemas(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    for name, schema in document["components"]["schemas"].items():
        assert name
        Draft202012Validator.check_schema(schema)
    operations = {
        (method, path) for path, item in document["paths"].items() for method in item if method != "parameters"
    }
    assert operations == {
        ("get", "/api/v1/questionnaires"),
        ("get", "/api/v1/questionnaires/{slug}"),
        *(("post", f"/api/v1/questionnaires/{slug}/assessments") for slug in SLUGS),
        ("get", "/api/v1/assessments/{token}"),
        ("delete", "/api/v1/assessments/{token}"),
        ("get", "/api/v1/assessments/{token}/report.pdf"),
        ("get", "/api/v1/assessments/{token}/export.json"),
        ("get", "/api/v1/assessments/{token}/export.csv"),
        ("post", "/api/v1/imports"),
        ("post", "/api/v1/job-ads"),
        ("post", "/api/v1/teams"),
        ("get", "/api/v1/teams/{admin_token}"),
        ("post", "/api/v1/teams/{respondent_token}/responses"),
        ("get", "/api/v1/openapi.json"),
        ("get", "/api/v1/docs"),
    }


def test_every_documented_operation_is_a_route_and_every_api_route_is_documented(
    app: Flask, document: dict[str, Any]
) -> None:
    adapter = app.url_map.bind("localhost")
    documented = set()
    for path, item in document["paths"].items():
        concrete = path.replace("{slug}", "role-audit").replace("{token}", "abc")
        for method in item:
            if method != "parameters":
                endpoint, _ = adapter.match(concrete, method=method.upper())
                assert endpoint.startswith("api."), (method, path)
                documented.add(endpoint)
    api_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert api_endpoints == documented, "an API route is missing from the OpenAPI document"
    for slug in SLUGS:
        assert f"/api/v1/questionnaires/{slug}/assessments" in document["paths"]


def test_the_docs_page_renders_the_document_without_external_resources(
    client: FlaskClient, document: dict[str, Any]
) -> None:
    page = client.get(f"{API}/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for path in document["paths"]:
        assert f"<code>{path}</code>" in html
    for name in ("Assessment", "Error", "Export", "RoleAuditCreate", "RoleAuditAnswers", "ImportRequest"):
        assert f'id="schema-{name}"' in html
    assert "http://" not in html.replace("http://localhost", "")
    assert "https://" not in html
    assert "<script" not in html.replace('<script src="/static/', "")


# ---------------------------------------------------------------------------------------------------------
# Questionnaires


def test_list_questionnaires(client: FlaskClient, validate: Validate) -> None:
    response = client.get(f"{API}/questionnaires")
    assert response.status_code == 200
    body = response.get_json()
    validate("QuestionnaireList", body)
    assert [q["slug"] for q in body["questionnaires"]] == SLUGS
    first = body["questionnaires"][0]
    assert first["links"]["self"] == "http://localhost/api/v1/questionnaires/employer-readiness"
    assert first["links"]["assessments"].endswith("/api/v1/questionnaires/employer-readiness/assessments")


@pytest.mark.parametrize("slug", SLUGS)
def test_get_a_questionnaire_definition(client: FlaskClient, app: Flask, validate: Validate, slug: str) -> None:
    response = client.get(f"{API}/questionnaires/{slug}")
    assert response.status_code == 200
    body = response.get_json()
    validate("Questionnaire", body)
    assert body == json.loads(json.dumps(questionnaire_to_dict(questionnaire(app, slug))))


def test_unknown_questionnaire_is_404(client: FlaskClient, validate: Validate) -> None:
    body = assert_error(client.get(f"{API}/questionnaires/nope"), 404, "unknown_questionnaire", None, validate)
    assert "role-audit" in body["error"]["message"]


# ---------------------------------------------------------------------------------------------------------
# Creating assessments


@pytest.mark.parametrize("slug", SLUGS)
def test_create_scores_stores_and_links(client: FlaskClient, app: Flask, validate: Validate, slug: str) -> None:
    q = questionnaire(app, slug)
    answers = best_answers(q)
    response = client.post(
        f"{API}/questionnaires/{slug}/assessments",
        json={"answers": answers, "label": " Acme ", "notes": {q.sections[0].id: "a note"}},
    )
    assert response.status_code == 201
    body = response.get_json()
    validate("Assessment", body)
    token = body["token"]
    assert response.headers["Location"] == body["links"]["self"] == f"http://localhost/api/v1/assessments/{token}"
    assert body["links"]["html"] == f"http://localhost/r/{token}"
    assert body["links"]["pdf"] == f"http://localhost/api/v1/assessments/{token}/report.pdf"
    assert body["links"]["export_json"].endswith(f"/assessments/{token}/export.json")
    assert body["links"]["export_csv"].endswith(f"/assessments/{token}/export.csv")
    assert body["questionnaire"] == slug
    assert body["version"] == q.version
    assert body["label"] == "Acme"
    assert body["notes"] == {q.sections[0].id: "a note"}
    expected = result_to_dict(score(q, answers))
    assert {k: body[k] for k in expected} == expected
    assert body["overall"]["score"] == 100
    assert client.get(f"/r/{token}").status_code == 200  # the same result on the site


def test_nul_characters_are_dropped_from_stored_text(client: FlaskClient) -> None:
    body = {"answers": {}, "label": "a\u0000b", "notes": {"time": "\u0000"}}
    response = client.post(f"{API}/questionnaires/role-audit/assessments", json=body)
    assert response.status_code == 201
    assert response.get_json()["label"] == "ab"
    assert response.get_json()["notes"] == {}


def test_left_out_questions_count_as_unknown(client: FlaskClient, app: Flask, validate: Validate) -> None:
    q = questionnaire(app, "role-audit")
    one = q.questions[0]
    response = client.post(
        f"{API}/questionnaires/role-audit/assessments", json={"answers": {one.id: one.options[0].id}}
    )
    assert response.status_code == 201
    body = response.get_json()
    validate("Assessment", body)
    assert body["answers"][one.id] == one.options[0].id
    assert all(body["answers"][x.id] == UNKNOWN for x in q.questions[1:])
    assert body["overall"]["answered"] == 1

    empty = client.post(f"{API}/questionnaires/role-audit/assessments", json={"answers": {}})
    assert empty.status_code == 201
    assert empty.get_json()["overall"]["score"] is None


def test_no_csrf_token_and_no_cookie(app: Flask) -> None:
    """CSRF protection is on for the site; the API needs no token and never sets a cookie."""
    assert app.config.get("WTF_CSRF_ENABLED", True)
    client = app.test_client(use_cookies=False)
    assert client.post("/q/role-audit/start").status_code == 400  # the site still checks CSRF
    for response in (
        client.get(f"{API}/questionnaires"),
        client.post(f"{API}/questionnaires/role-audit/assessments", json={"answers": {}}),
        client.post(f"{API}/questionnaires/role-audit/assessments", data="{", content_type="application/json"),
        client.get(f"{API}/assessments/nope"),
    ):
        assert "Set-Cookie" not in response.headers
    created = client.post(f"{API}/questionnaires/role-audit/assessments", json={"answers": {}})
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"


def _q_and_option(app: Flask) -> tuple[str, str]:
    first = questionnaire(app, "role-audit").questions[0]
    return first.id, first.options[0].id


# (body, status, code, field); "QID" stands for a real question id
CREATE_ERRORS: list[tuple[Any, int, str, str | None]] = [
    ({}, 422, "missing_field", "answers"),
    ({"label": "x"}, 422, "missing_field", "answers"),
    ({"answers": {"no-such-question": "yes"}}, 422, "unknown_question", "answers.no-such-question"),
    ({"answers": {"QID": "no-such-option"}}, 422, "unknown_option", "answers.QID"),
    ({"answers": {"QID": 3}}, 422, "invalid_answer", "answers.QID"),
    ({"answers": {"QID": None}}, 422, "invalid_answer", "answers.QID"),
    ({"answers": {"QID": ["a"]}}, 422, "invalid_answer", "answers.QID"),
    ({"answers": []}, 422, "invalid_type", "answers"),
    ({"answers": "QID=a"}, 422, "invalid_type", "answers"),
    ({"answers": None}, 422, "invalid_type", "answers"),
    ({"answers": {}, "answer": {}}, 422, "unknown_field", "answer"),
    ({"answers": {}, "label": 5}, 422, "invalid_type", "label"),
    ({"answers": {}, "label": None}, 422, "invalid_type", "label"),
    ({"answers": {}, "label": "x" * 121}, 422, "too_long", "label"),
    ({"answers": {}, "notes": "a note"}, 422, "invalid_type", "notes"),
    ({"answers": {}, "notes": {"no-such-section": "x"}}, 422, "unknown_section", "notes.no-such-section"),
    ({"answers": {}, "notes": {"time": 1}}, 422, "invalid_type", "notes.time"),
    ({"answers": {}, "notes": {"time": "x" * 1001}}, 422, "too_long", "notes.time"),
    ([], 422, "invalid_type", None),
    ("answers", 422, "invalid_type", None),
    (42, 422, "invalid_type", None),
    (None, 422, "invalid_type", None),
]


@pytest.mark.parametrize(("body", "status", "code", "field"), CREATE_ERRORS)
def test_create_refuses_bad_bodies_naming_the_field(
    client: FlaskClient, app: Flask, validate: Validate, body: Any, status: int, code: str, field: str | None
) -> None:
    qid, _ = _q_and_option(app)
    text = json.dumps(body).replace("QID", qid)
    response = client.post(f"{API}/questionnaires/role-audit/assessments", data=text, content_type="application/json")
    assert_error(response, status, code, field.replace("QID", qid) if field else None, validate)


MALFORMED: list[bytes] = [
    b"",
    b"{",
    b'{"answers": {}',
    b'{"answers": {}} trailing',
    b"{'answers': {}}",
    b'{"answers": NaN}',
    b'{"answers": {"a": Infinity}}',
    b"\xff\xfe\xfa",
    b'{"answers": "\xc3\x28"}',
    b'{"answers": {}, "label": "\\ud800"}',
    b"[" * 100_000 + b"]" * 100_000,
]


@pytest.mark.parametrize("raw", MALFORMED, ids=range(len(MALFORMED)))
@pytest.mark.parametrize("path", [f"{API}/questionnaires/role-audit/assessments", f"{API}/imports"])
def test_malformed_json_is_400(client: FlaskClient, validate: Validate, raw: bytes, path: str) -> None:
    response = client.post(path, data=raw, content_type="application/json")
    assert_error(response, 400, "malformed_json", None, validate)


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("text/plain", '{"answers": {}}'),
        ("application/x-www-form-urlencoded", "answers=x"),
        ("multipart/form-data; boundary=x", "--x--"),
        (None, '{"answers": {}}'),
        ("application/xml", "<answers/>"),
    ],
)
@pytest.mark.parametrize("path", [f"{API}/questionnaires/role-audit/assessments", f"{API}/imports"])
def test_wrong_content_type_is_415(
    client: FlaskClient, validate: Validate, content_type: str | None, data: str, path: str
) -> None:
    response = client.post(path, data=data, content_type=content_type)
    assert_error(response, 415, "unsupported_media_type", None, validate)


def test_json_with_charset_and_vendor_types_are_accepted(client: FlaskClient) -> None:
    path = f"{API}/questionnaires/role-audit/assessments"
    assert client.post(path, data='{"answers": {}}', content_type="application/json; charset=utf-8").status_code == 201
    assert client.post(path, data='{"answers": {}}', content_type="application/vnd.api+json").status_code == 201


@pytest.mark.parametrize("path", [f"{API}/questionnaires/role-audit/assessments", f"{API}/imports"])
def test_oversize_body_is_413(client: FlaskClient, app: Flask, validate: Validate, path: str) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = '{"answers": {}, "label": "' + "x" * limit + '"}'
    body_json = assert_error(
        client.post(path, data=body, content_type="application/json"), 413, "request_entity_too_large", None, validate
    )
    assert f"{limit // 1024} KB" in body_json["error"]["message"]


def test_oversize_streamed_body_is_413_not_truncated_json(client: FlaskClient, app: Flask, validate: Validate) -> None:
    """A chunked body has no Content-Length; werkzeug cuts it at the limit, which must not read as bad JSON."""
    body = b'{"answers": {}, "label": "' + b"x" * app.config["MAX_CONTENT_LENGTH"] + b'"}'
    response = client.post(
        f"{API}/questionnaires/role-audit/assessments",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert_error(response, 413, "request_entity_too_large", None, validate)
    small = client.post(
        f"{API}/questionnaires/role-audit/assessments",
        input_stream=io.BytesIO(b'{"answers": {}}'),
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert small.status_code == 201


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/questionnaires"),
        ("post", "/questionnaires/role-audit"),
        ("get", "/questionnaires/role-audit/assessments"),
        ("patch", "/assessments/abc"),
        ("post", "/assessments/abc/export.json"),
        ("get", "/imports"),
        ("delete", "/openapi.json"),
    ],
)
def test_wrong_method_is_405_with_allow(client: FlaskClient, validate: Validate, method: str, path: str) -> None:
    response = client.open(API + path, method=method.upper())
    assert_error(response, 405, "method_not_allowed", None, validate)
    assert response.headers["Allow"]


def test_unknown_api_path_is_json_404(client: FlaskClient, validate: Validate) -> None:
    assert_error(client.get(f"{API}/nothing-here"), 404, "not_found", None, validate)


def test_unknown_slug_on_create_is_404(client: FlaskClient, validate: Validate) -> None:
    response = client.post(f"{API}/questionnaires/nope/assessments", json={"answers": {}})
    assert_error(response, 404, "unknown_questionnaire", None, validate)


# ---------------------------------------------------------------------------------------------------------
# Reading and deleting


def test_get_returns_what_create_returned(client: FlaskClient, validate: Validate, created: dict[str, Any]) -> None:
    response = client.get(f"{API}/assessments/{created['token']}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    validate("Assessment", body)
    assert body == created


def test_a_wizard_result_is_readable_through_the_api(app: Flask, client: FlaskClient, validate: Validate) -> None:
    w = Walker(client, questionnaire(app, "org-readiness"))
    draft = w.start()
    w.answer_all(draft, best_answers(w.questionnaire))
    token = w.submit(draft)
    body = client.get(f"{API}/assessments/{token}").get_json()
    validate("Assessment", body)
    assert body["overall"]["score"] == 100


def test_a_result_stored_before_newer_fields_is_written_whole(
    app: Flask, client: FlaskClient, validate: Validate, created: dict[str, Any]
) -> None:
    """A result scored by an older version lacks the fields added since. The API writes them with the core's
    defaults (as the result page rebuilds it), so the body still fits the document."""
    from assess import store

    with app.app_context():
        kept = store.get_assessment(created["token"])
        assert kept is not None
        kept.result = {k: v for k, v in kept.result.items() if k not in ("probes", "fixes", "verdict")}
        kept.result["overall"] = {k: v for k, v in kept.result["overall"].items() if k != "capped"}
        store.db.session.commit()
    body = client.get(f"{API}/assessments/{created['token']}").get_json()
    validate("Assessment", body)
    assert (body["probes"], body["fixes"], body["verdict"], body["overall"]["capped"]) == ([], [], None, False)
    assert body["overall"]["score"] == created["overall"]["score"]
    export = client.get(f"{API}/assessments/{created['token']}/export.json").get_json()
    validate("Export", export)
    assert (export["result"]["fixes"], export["result"]["overall"]["capped"]) == ([], False)


@pytest.mark.parametrize("suffix", ["", "/report.pdf", "/export.json", "/export.csv"])
def test_unknown_token_is_404(client: FlaskClient, validate: Validate, suffix: str) -> None:
    assert_error(client.get(f"{API}/assessments/not-a-token{suffix}"), 404, "unknown_assessment", None, validate)


def test_delete_erases_for_good(client: FlaskClient, validate: Validate, created: dict[str, Any]) -> None:
    token = created["token"]
    response = client.delete(f"{API}/assessments/{token}")
    assert response.status_code == 204
    assert response.get_data() == b""
    assert_error(client.get(f"{API}/assessments/{token}"), 404, "unknown_assessment", None, validate)
    assert_error(client.delete(f"{API}/assessments/{token}"), 404, "unknown_assessment", None, validate)
    assert client.get(f"/r/{token}").status_code == 404


@pytest.mark.usefixtures("stub_renderer")  # about HTTP and keeping, not the PDF: see tests/reports
def test_pdf_report(client: FlaskClient, validate: Validate, created: dict[str, Any]) -> None:
    path = f"{API}/assessments/{created['token']}/report.pdf"
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF")
    assert "Set-Cookie" not in response.headers
    letter = client.get(f"{path}?size=letter")
    assert letter.status_code == 200
    assert letter.get_data() != response.get_data()
    assert_error(client.get(f"{path}?size=a3"), 422, "invalid_type", "size", validate)


def test_pdf_failure_is_503_not_500(
    client: FlaskClient, validate: Validate, created: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from assess.reports import pdf

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise pdf.PdfError("layout failed")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    response = client.get(f"{API}/assessments/{created['token']}/report.pdf")
    assert_error(response, 503, "pdf_unavailable", None, validate)
    assert response.headers["Retry-After"]


# ---------------------------------------------------------------------------------------------------------
# Exports


def test_json_export(client: FlaskClient, validate: Validate, created: dict[str, Any]) -> None:
    response = client.get(f"{API}/assessments/{created['token']}/export.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="escape-velocity-role-audit-')
    export = response.get_json()
    validate("Export", export)
    assert export["format"] == "escape-velocity-result"
    assert export["format_version"] == 1
    assert export["questionnaire"] == "role-audit"
    assert export["version"] == created["version"]
    assert export["answers"] == created["answers"]
    assert export["result"] == {k: created[k] for k in export["result"]}
    assert created["token"] not in response.get_data(as_text=True)


def test_csv_export(client: FlaskClient, app: Flask, created: dict[str, Any]) -> None:
    response = client.get(f"{API}/assessments/{created['token']}/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    q = questionnaire(app, "role-audit")
    assert [r["question_id"] for r in rows] == [x.id for x in q.questions]
    assert list(rows[0]) == [
        "section",
        "dimension",
        "criterion",
        "question_id",
        "question",
        "answer_id",
        "answer",
        "points",
        "max_points",
    ]
    for row, question in zip(rows, q.questions, strict=True):
        assert row["question"] == question.text
        assert row["criterion"] == question.criterion
        assert row["points"] == row["max_points"] == str(question.max_points)


# ---------------------------------------------------------------------------------------------------------
# Imports


def _export(client: FlaskClient, token: str) -> dict[str, Any]:
    export: dict[str, Any] = client.get(f"{API}/assessments/{token}/export.json").get_json()
    return export


def test_import_round_trips_to_an_identical_result(
    client: FlaskClient, validate: Validate, created: dict[str, Any]
) -> None:
    export = _export(client, created["token"])
    response = client.post(f"{API}/imports", json=export)
    assert response.status_code == 201
    body = response.get_json()
    validate("ImportedAssessment", body)
    assert body["token"] != created["token"]
    assert response.headers["Location"] == body["links"]["self"]
    assert body["import"] == {
        "exported_version": export["version"],
        "same_version": True,
        "same_result": True,
        "message": body["import"]["message"],
    }
    assert {k: body[k] for k in export["result"]} == export["result"]
    assert body["answers"] == export["answers"]
    again = _export(client, body["token"])
    times = ("scored_at", "exported_at")
    assert {k: v for k, v in again.items() if k not in times} == {k: v for k, v in export.items() if k not in times}


def test_import_of_a_newer_format_is_refused_by_name(
    client: FlaskClient, validate: Validate, created: dict[str, Any]
) -> None:
    export = _export(client, created["token"]) | {"format_version": 2, "new_field": True}
    body = assert_error(client.post(f"{API}/imports", json=export), 422, "newer_format", "format_version", validate)
    assert "written by a newer version" in body["error"]["message"]


def test_import_from_another_version_is_rescored_with_a_note(
    client: FlaskClient, validate: Validate, created: dict[str, Any]
) -> None:
    export = _export(client, created["token"]) | {"version": "0.9"}
    response = client.post(f"{API}/imports", json=export)
    assert response.status_code == 201
    body = response.get_json()
    validate("ImportedAssessment", body)
    assert body["version"] == created["version"]
    assert body["import"]["same_version"] is False
    assert body["import"]["same_result"] is True
    assert "version 0.9" in body["import"]["message"]
    assert f"version {created['version']}" in body["import"]["message"]


def test_import_from_another_version_that_no_longer_fits_names_the_version_and_answer(
    client: FlaskClient, validate: Validate, created: dict[str, Any]
) -> None:
    export = _export(client, created["token"])
    export["version"] = "0.9"
    export["answers"]["retired-question"] = "yes"
    body = assert_error(
        client.post(f"{API}/imports", json=export), 422, "incompatible_version", "answers.retired-question", validate
    )
    assert "version 0.9" in body["error"]["message"]
    assert "retired-question" in body["error"]["message"]


def test_import_with_an_edited_result_keeps_the_rescored_one(client: FlaskClient, created: dict[str, Any]) -> None:
    export = _export(client, created["token"])
    export["result"]["overall"]["score"] = 1.0
    body = client.post(f"{API}/imports", json=export).get_json()
    assert body["import"]["same_result"] is False
    assert body["overall"]["score"] == 100
    assert "differs" in body["import"]["message"]


def test_import_without_a_result_or_label(client: FlaskClient, created: dict[str, Any]) -> None:
    export = _export(client, created["token"])
    minimal = {k: export[k] for k in ("format", "format_version", "questionnaire", "version", "answers")}
    body = client.post(f"{API}/imports", json=minimal).get_json()
    assert body["import"]["same_result"] is None
    assert body["overall"] == created["overall"]


IMPORT_ERRORS: list[tuple[dict[str, Any], str, str | None]] = [
    ({"format": None}, "not_an_export", "format"),
    ({"format": "something-else"}, "not_an_export", "format"),
    ({"format_version": "1"}, "invalid_type", "format_version"),
    ({"format_version": 0}, "invalid_type", "format_version"),
    ({"format_version": True}, "invalid_type", "format_version"),
    ({"questionnaire": "nope"}, "unknown_questionnaire", "questionnaire"),
    ({"questionnaire": 3}, "invalid_type", "questionnaire"),
    ({"version": 1}, "invalid_type", "version"),
    ({"version": ""}, "invalid_type", "version"),
    ({"answers": []}, "invalid_type", "answers"),
    ({"answers": {"nope": "x"}}, "unknown_question", "answers.nope"),
    ({"result": []}, "invalid_type", "result"),
    ({"label": 7}, "invalid_type", "label"),
    ({"notes": {"nope": "x"}}, "unknown_section", "notes.nope"),
    ({"exported_at": 20250101}, "invalid_type", "exported_at"),
    ({"scored_at": None}, "invalid_type", "scored_at"),
    ({"token": "abc"}, "unknown_field", "token"),
]


@pytest.mark.parametrize(("change", "code", "field"), IMPORT_ERRORS)
def test_import_refuses_bad_exports_naming_the_field(
    client: FlaskClient,
    validate: Validate,
    created: dict[str, Any],
    change: dict[str, Any],
    code: str,
    field: str | None,
) -> None:
    export = _export(client, created["token"]) | change
    assert_error(client.post(f"{API}/imports", json=export), 422, code, field, validate)


@pytest.mark.parametrize("missing", ["questionnaire", "version", "answers"])
def test_import_needs_the_required_fields(
    client: FlaskClient, validate: Validate, created: dict[str, Any], missing: str
) -> None:
    export = _export(client, created["token"])
    del export[missing]
    assert_error(client.post(f"{API}/imports", json=export), 422, "missing_field", missing, validate)


def test_import_of_a_plain_answers_file_explains_what_an_export_is(client: FlaskClient, validate: Validate) -> None:
    body = assert_error(client.post(f"{API}/imports", json={"answers": {}}), 422, "not_an_export", "format", validate)
    assert "export" in body["error"]["message"].lower()


def test_import_body_not_an_object(client: FlaskClient, validate: Validate) -> None:
    assert_error(client.post(f"{API}/imports", json=[1]), 422, "invalid_type", None, validate)


def test_a_questionnaire_tells_its_quick_path_and_who_in_a_team_is_asked(
    client: FlaskClient, validate: Validate
) -> None:
    body = client.get("/api/v1/questionnaires/org-readiness").get_json()
    validate("Questionnaire", body)
    assert body["quick"]["minutes"] == 4
    assert 0 < len(body["quick"]["questions"]) <= 12
    team = {q["id"]: q["team"] for q in body["questions"]}
    assert team["h-salary"] == []  # the hiring questions stay with the manager
    assert team["o-manager"] is None  # every department
    assert "it" in team["o-shared-tool"]


# What \s means in a JSON Schema pattern (ECMA-262), which schemathesis and API clients follow; Python's \s also
# matches U+001C-U+001F and U+0085, which str.strip removes.
ECMA_WHITESPACE = "\\t\\n\\x0b\\x0c\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"


@pytest.mark.parametrize(
    ("path", "model", "field"), [("/api/v1/teams", "TeamCreate", "name"), ("/api/v1/job-ads", "JobAdRead", "text")]
)
def test_a_text_that_must_not_be_blank_is_refused_alike_by_the_document_and_the_api(
    client: FlaskClient, document: dict[str, Any], path: str, model: str, field: str
) -> None:
    """schemathesis found "\\x1f" for a team's name; "\\x00" for a name and "\\x1f" for an ad did the same: each
    matched the document's pattern, so a client may send it, yet the API cleans it to nothing (drops NUL, strips) and
    refuses it."""
    pattern = document["components"]["schemas"][model]["properties"][field]["pattern"]
    as_a_client_reads_it = pattern.replace("\\S", "[^\\s]").replace("\\s", ECMA_WHITESPACE)
    blanks = ["\x00", *(chr(code) for code in range(0x3001) if chr(code).isspace())]
    assert "\x1f" in blanks
    assert [blank for blank in blanks if re.search(as_a_client_reads_it, blank * 3)] == []
    assert re.search(as_a_client_reads_it, " \x1f a ") is not None
    for blank in ("\x00", " \x1f\x1c ", "\x85", "\u3000 "):
        refused = client.post(path, json={field: blank})
        assert refused.status_code == 422, repr(blank)
        assert refused.get_json()["error"] == {
            "code": "invalid_type",
            "field": field,
            "message": f"{field}: must not be blank.",
        }
