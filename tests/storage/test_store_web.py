"""Whole journeys through the app on each database: the wizard to a kept PDF and deletion, a team of three, and the
API's create-then-read."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess import store
from assess.reports import pdf as pdf_report
from tests.helpers import Walker, csrf_token
from tests.reports.pdfs import varied_answers
from tests.storage.conftest import found
from tests.web.test_teams import create_team, respond


@pytest.mark.usefixtures("stub_renderer")  # about HTTP and keeping, not the PDF: see tests/reports
def test_wizard_to_result_to_kept_pdf_to_deletion(db_app: Flask, db_client: FlaskClient) -> None:
    walker = Walker(db_client, db_app.extensions["catalog"].get("employer-readiness"))
    draft = walker.start()
    walker.answer_all(draft, varied_answers(walker.questionnaire))
    token = walker.submit(draft)
    page = db_client.get(f"/r/{token}")
    assert page.status_code == 200
    assert walker.questionnaire.title in page.get_data(as_text=True)

    first = db_client.get(f"/r/{token}/report.pdf?size=a4")
    assert first.status_code == 200
    assert first.data.startswith(b"%PDF-")
    with db_app.app_context():
        assert store.get_report_pdf(token, "a4", pdf_report.template_version(db_app)) == first.data  # kept
    assert db_client.get(f"/r/{token}/report.pdf?size=a4").data == first.data  # served from the store

    confirm = db_client.get(f"/r/{token}/delete")
    deleted = db_client.post(f"/r/{token}/delete", data={"csrf_token": csrf_token(confirm.get_data(as_text=True))})
    assert deleted.status_code == 302
    assert db_client.get(f"/r/{token}").status_code == 404
    assert db_client.get(f"/r/{token}/report.pdf?size=a4").status_code == 404
    with db_app.app_context():
        assert store.get_report_pdf(token, "a4", pdf_report.template_version(db_app)) is None
        assert store.get_draft(draft) is None


def test_a_team_of_three_reaches_the_admin_report(db_app: Flask, db_client: FlaskClient) -> None:
    admin, respondent = create_team(db_client)
    before = db_client.get(f"/t/{admin}").get_data(as_text=True)
    assert "0 of at least 3 responses so far" in before
    for department, level in (("marketing", 1.0), ("it", 0.0), ("marketing", 0.5)):
        assert respond(db_app, respondent, department, level) == 200
    page = db_client.get(f"/t/{admin}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<strong>3 respondents.</strong>" in html
    assert "responses so far" not in html
    with db_app.app_context():
        assert store.count_team_responses(found(store.get_team_by_admin(admin))) == 3


def test_api_creates_then_reads_a_result(db_app: Flask, db_client: FlaskClient) -> None:
    questionnaire = db_app.extensions["catalog"].get("employer-readiness")
    answers = varied_answers(questionnaire)
    notes = {questionnaire.sections[0].id: "Ask about the budget."}
    created = db_client.post(
        f"/api/v1/questionnaires/{questionnaire.slug}/assessments",
        json={"answers": answers, "label": "Acme", "notes": notes},
    )
    assert created.status_code == 201
    body = created.get_json()
    read = db_client.get(f"/api/v1/assessments/{body['token']}")
    assert read.status_code == 200
    assert read.get_json() == body
    assert (body["answers"], body["label"], body["notes"]) == (answers, "Acme", notes)
    assert db_client.delete(f"/api/v1/assessments/{body['token']}").status_code == 204
    assert db_client.get(f"/api/v1/assessments/{body['token']}").status_code == 404
