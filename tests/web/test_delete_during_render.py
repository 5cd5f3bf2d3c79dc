"""A result deleted while its first PDF renders: a clean 404 on the site and the API, never a 500, and nothing
kept for it. On SQLite and PostgreSQL; the delete runs on its own session, as another request would."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess import store
from assess.reports import pdf as pdf_report
from tests.reports.pdfs import varied_answers


def _result(client: FlaskClient, app: Flask) -> str:
    questionnaire = app.extensions["catalog"].get("employer-readiness")
    created = client.post(
        f"/api/v1/questionnaires/{questionnaire.slug}/assessments", json={"answers": varied_answers(questionnaire)}
    )
    assert created.status_code == 201
    token: str = created.get_json()["token"]
    return token


@pytest.mark.parametrize("path", ["/r/{token}/report.pdf?size=a4", "/api/v1/assessments/{token}/report.pdf"])
@pytest.mark.usefixtures("stub_renderer")  # about HTTP and keeping, not the PDF: see tests/reports
def test_a_result_deleted_while_its_pdf_renders_is_a_404(
    db_app: Flask, db_client: FlaskClient, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    token = _result(db_client, db_app)
    render = pdf_report.render_pdf

    def render_then_delete(*args: Any, **kwargs: Any) -> bytes:
        body = render(*args, **kwargs)
        with db_app.app_context():  # another request's session deletes the result before this one keeps the PDF
            store.delete_assessment(store.get_assessment(token))  # type: ignore[arg-type]
        return body

    monkeypatch.setattr(pdf_report, "render_pdf", render_then_delete)
    response = db_client.get(path.format(token=token))
    assert response.status_code == 404
    assert not response.data.startswith(b"%PDF")
    with db_app.app_context():
        assert store.get_assessment(token) is None
        assert store.get_report_pdf(token, "a4", pdf_report.template_version(db_app)) is None
