"""A rendered PDF is kept: the second download renders nothing; deleting the result deletes it; a failure
leaves the results page working and answers 503 for the PDF only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from assess import store
from assess.extensions import db
from assess.reports import pdf as pdf_report
from tests.helpers import csrf_token


@pytest.fixture
def renders(stub_renderer: list[str]) -> list[str]:
    """Counts renders (each page size rendered is one entry); the layout itself is stubbed: this file is about
    keeping PDFs, and tests/reports/test_pdf_report.py renders real ones."""
    return stub_renderer


def kept(app: Flask, token: str) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).where(store.ReportPdf.token == token)) or 0)


def test_second_download_renders_nothing_and_returns_the_same_bytes(
    client: FlaskClient, app: Flask, make_result: Callable[..., Any], renders: list[str]
) -> None:
    token, _ = make_result("employer-readiness")
    first = client.get(f"/r/{token}/report.pdf?size=a4")
    second = client.get(f"/r/{token}/report.pdf?size=a4")
    assert first.status_code == second.status_code == 200
    assert renders == ["a4"]
    assert first.data == second.data
    assert second.headers["Cache-Control"] == "no-store"
    assert "attachment;" in second.headers["Content-Disposition"]
    client.get(f"/r/{token}/report.pdf?size=letter")
    client.get(f"/r/{token}/report.pdf?size=letter")
    assert renders == ["a4", "letter"]
    assert kept(app, token) == 2


def test_a_new_template_version_renders_afresh_and_replaces_the_old_copy(
    client: FlaskClient, app: Flask, make_result: Callable[..., Any], renders: list[str]
) -> None:
    token, _ = make_result("role-audit")
    client.get(f"/r/{token}/report.pdf?size=a4")
    app.extensions["pdf_template_version"] = "next-release"
    client.get(f"/r/{token}/report.pdf?size=a4")
    client.get(f"/r/{token}/report.pdf?size=a4")
    assert renders == ["a4", "a4"]
    with app.app_context():
        versions = db.session.scalars(select(store.ReportPdf.template_version).where(store.ReportPdf.token == token))
        assert list(versions) == ["next-release"]


@pytest.mark.usefixtures("stub_renderer")  # about HTTP and keeping, not the PDF: see tests/reports
def test_deleting_the_result_deletes_its_kept_pdfs(
    client: FlaskClient, app: Flask, make_result: Callable[..., Any]
) -> None:
    token, _ = make_result("org-readiness")
    other, _ = make_result("org-readiness")
    for size in ("a4", "letter"):
        assert client.get(f"/r/{token}/report.pdf?size={size}").status_code == 200
    assert client.get(f"/r/{other}/report.pdf?size=a4").status_code == 200
    assert kept(app, token) == 2
    confirm = client.get(f"/r/{token}/delete")
    response = client.post(f"/r/{token}/delete", data={"csrf_token": csrf_token(confirm.get_data(as_text=True))})
    assert response.status_code == 302
    assert kept(app, token) == 0
    assert kept(app, other) == 1
    assert client.get(f"/r/{token}/report.pdf").status_code == 404


def test_a_failed_render_answers_503_logs_it_and_leaves_the_page_working(
    client: FlaskClient,
    app: Flask,
    make_result: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token, _ = make_result("employer-readiness")

    def broken(report: Any, page_size: str) -> bytes:
        raise pdf_report.ReportTooLong("report has 99 pages, more than 40")

    monkeypatch.setattr(pdf_report, "render_pdf", broken)
    with caplog.at_level(logging.ERROR, logger="assess.web.reports"):
        response = client.get(f"/r/{token}/report.pdf")
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "The PDF report could not be made" in page
    assert f'href="/r/{token}"' in page
    failures = [r for r in caplog.records if r.name == "assess.web.reports"]
    assert failures
    assert failures[0].exc_info is not None
    assert token not in failures[0].getMessage()  # the private token stays out of the log
    assert kept(app, token) == 0
    assert client.get(f"/r/{token}").status_code == 200
