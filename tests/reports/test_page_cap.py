"""Every result can be printed: a report whose notes would take it over the page cap is printed with each note cut
short, saying so; and a PDF that fails is not rendered again on every request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess.reports import pdf as pdf_report
from tests.reports.pdfs import pdf_text, read_pdf, squash


def test_notes_that_would_pass_the_page_cap_are_printed_short(
    app: Flask, client: FlaskClient, make_result: Callable[..., tuple[str, Any]]
) -> None:
    questionnaire = app.extensions["catalog"].get("role-audit")
    # Stored as an older release took them (the forms and API now bound notes in lines): over 100 pages in print.
    notes = {section.id: "x\n" * 600 + "the end" for section in questionnaire.sections}
    token, _ = make_result("role-audit", notes=notes)
    response = client.get(f"/r/{token}/report.pdf?size=a4")
    assert response.status_code == 200
    assert len(read_pdf(response.data).pages) <= pdf_report.MAX_PAGES
    text = pdf_text(response.data)
    assert squash("shortened to fit the printed report; the whole note is on your results page") in text
    assert "theend" not in text  # cut
    assert "the end" in client.get(f"/r/{token}").get_data(as_text=True)  # the page keeps the whole note


def test_short_notes_are_printed_whole(app: Flask, make_result: Callable[..., tuple[str, Any]]) -> None:
    assert pdf_report._shortened("one\ntwo") == "one\ntwo"
    long = "\n".join(f"line {n}" for n in range(10))
    assert pdf_report._shortened(long) == "\n".join(f"line {n}" for n in range(6)) + pdf_report.SHORTENED


def test_a_failed_render_is_not_redone_on_every_request(
    app: Flask, client: FlaskClient, make_result: Callable[..., tuple[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    token, _ = make_result("employer-readiness")
    attempts = []

    def failing(*args: Any, **kwargs: Any) -> bytes:
        attempts.append(1)
        raise pdf_report.PdfError("cannot lay it out")

    monkeypatch.setattr(pdf_report, "render_pdf", failing)
    for _ in range(3):
        response = client.get(f"/r/{token}/report.pdf?size=a4")
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "120"
    assert client.get(f"/api/v1/assessments/{token}/report.pdf?size=a4").status_code == 503
    assert len(attempts) == 1  # remembered for the Retry-After time
    assert client.get(f"/r/{token}/report.pdf?size=letter").status_code == 503
    assert len(attempts) == 2  # another paper size is another PDF
    app.config["PDF_RETRY_AFTER"] = 0  # the time has passed: tried again
    assert client.get(f"/r/{token}/report.pdf?size=a4").status_code == 503
    assert len(attempts) == 3
