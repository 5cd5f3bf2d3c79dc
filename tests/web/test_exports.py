"""Exports from the results page (JSON, CSV) and the import page."""

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

from tests.helpers import Walker, csrf_token


def best_answers(walker: Walker) -> dict[str, str]:
    return {q.id: max(q.options, key=lambda o: o.points).id for q in walker.questionnaire.questions}


@pytest.fixture
def result_token(walker: Callable[[str], Walker]) -> str:
    """A role-audit result submitted through the wizard."""
    w = walker("role-audit")
    draft = w.start()
    w.answer_all(draft, best_answers(w))
    return w.submit(draft)


def upload(client: FlaskClient, content: bytes, filename: str = "export.json", token: str | None = None) -> Any:
    page = client.get("/import")
    data: dict[str, Any] = {"export": (io.BytesIO(content), filename)}
    data["csrf_token"] = token if token is not None else csrf_token(page.get_data(as_text=True))
    return client.post("/import", data=data, content_type="multipart/form-data")


def test_result_page_links_both_exports(client: FlaskClient, result_token: str) -> None:
    html = client.get(f"/r/{result_token}").get_data(as_text=True)
    section = re.search(r'<details class="bar-more">.*?</details>', html, re.S)
    assert section, "no exports section on the result page"
    assert f"/r/{result_token}/export.json" in section.group(0)
    assert f"/r/{result_token}/export.csv" in section.group(0)
    assert html.index('id="verdict-title"') < html.index('<details class="bar-more">')  # after the answer


def test_landing_links_the_import_page(client: FlaskClient) -> None:
    assert 'href="/import"' in client.get("/").get_data(as_text=True)


def test_json_export_download(client: FlaskClient, result_token: str) -> None:
    response = client.get(f"/r/{result_token}/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    export = response.get_json()
    assert export["format"] == "escape-velocity-result"
    assert export["format_version"] == 1
    assert export["questionnaire"] == "role-audit"
    assert export["result"]["overall"]["score"] == 100
    assert result_token not in response.get_data(as_text=True)


def test_csv_export_download(client: FlaskClient, app: Flask, result_token: str) -> None:
    response = client.get(f"/r/{result_token}/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    questionnaire = app.extensions["catalog"].get("role-audit")
    assert len(rows) == len(questionnaire.questions)
    assert rows[0]["section"] == questionnaire.sections[0].title
    assert rows[0]["dimension"] == questionnaire.dimension(questionnaire.questions[0].dimension).title
    assert all(row["points"] == row["max_points"] for row in rows)


@pytest.mark.parametrize("suffix", ["export.json", "export.csv"])
def test_exports_of_an_unknown_result_are_404(client: FlaskClient, suffix: str) -> None:
    response = client.get(f"/r/nope/{suffix}")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_import_page_has_a_csrf_protected_upload_form(client: FlaskClient) -> None:
    page = client.get("/import")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html
    assert csrf_token(html)


def test_import_reproduces_the_result(client: FlaskClient, result_token: str) -> None:
    export = client.get(f"/r/{result_token}/export.json").get_data()
    response = upload(client, export)
    assert response.status_code == 302
    new_token = response.headers["Location"].rsplit("/", 1)[-1]
    assert new_token != result_token
    page = client.get(f"/r/{new_token}").get_data(as_text=True)
    assert "Imported" in page
    again = client.get(f"/r/{new_token}/export.json").get_json()
    assert again["result"] == json.loads(export)["result"]
    assert again["answers"] == json.loads(export)["answers"]


def _problem(response: Any) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_import_without_a_file(client: FlaskClient) -> None:
    page = client.get("/import")
    response = client.post("/import", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 422
    assert "Choose the JSON export file" in _problem(response)


def test_import_without_csrf_is_refused(client: FlaskClient, result_token: str) -> None:
    export = client.get(f"/r/{result_token}/export.json").get_data()
    response = upload(client, export, token="forged")
    assert response.status_code == 400
    assert "expired" in _problem(response)


@pytest.mark.parametrize(
    ("content", "status", "words"),
    [
        (b"not json at all", 400, "not valid JSON"),
        (b"\xff\xfe\x00", 400, "not valid UTF-8"),
        (b"[1, 2]", 422, "An export is a JSON object"),
        (b'{"answers": {}}', 422, "not an Escape Velocity result export"),
    ],
)
def test_import_explains_unusable_files(client: FlaskClient, content: bytes, status: int, words: str) -> None:
    response = upload(client, content)
    assert response.status_code == status
    assert words in _problem(response)


def test_importing_the_csv_export_says_import_takes_the_json_export(client: FlaskClient, result_token: str) -> None:
    """Defect: uploading the CSV export said "The body is not valid JSON"."""
    exported = client.get(f"/r/{result_token}/export.csv").data
    response = upload(client, exported, filename="result.csv")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "not valid JSON" not in html
    assert "This is the CSV export" in html
    assert "Import takes the JSON export" in html


def test_import_of_a_newer_format_says_so(client: FlaskClient, result_token: str) -> None:
    export = client.get(f"/r/{result_token}/export.json").get_json() | {"format_version": 2}
    response = upload(client, json.dumps(export).encode())
    assert response.status_code == 422
    assert "written by a newer version" in _problem(response)


def test_import_of_an_unknown_version_that_no_longer_fits_names_it(client: FlaskClient, result_token: str) -> None:
    export = client.get(f"/r/{result_token}/export.json").get_json()
    export["version"] = "0.1"
    export["answers"]["old-question"] = "yes"
    problem = _problem(upload(client, json.dumps(export).encode()))
    assert "version 0.1" in problem
    assert "old-question" in problem


def test_import_of_another_version_rescoring_is_explained(client: FlaskClient, result_token: str) -> None:
    export = client.get(f"/r/{result_token}/export.json").get_json() | {"version": "0.1"}
    response = upload(client, json.dumps(export).encode())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "version 0.1" in page
    assert "re-scored" in page


def test_import_over_the_file_limit(client: FlaskClient) -> None:
    response = upload(client, b" " * (210 * 1024))
    assert response.status_code == 422
    assert "larger than 200 KB" in _problem(response)


def test_import_over_the_request_limit(client: FlaskClient, app: Flask) -> None:
    response = upload(client, b" " * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert response.status_code == 413
    assert f"larger than {app.config['MAX_CONTENT_LENGTH'] // 1024} KB" in _problem(response)
