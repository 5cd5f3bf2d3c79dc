"""PDFs rendered from several threads at once (a threaded dev server, a threaded worker) all come out whole."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime

from flask import Flask
from pypdf import PdfReader

from assess.core import result_to_dict, score
from assess.reports.context import build_report
from assess.reports.pdf import render_pdf


def test_concurrent_renders_are_serialised_and_whole(app: Flask) -> None:
    questionnaire = app.extensions["catalog"].get("role-audit")
    snapshot = result_to_dict(score(questionnaire, {}))
    outputs: list[bytes] = []
    errors: list[BaseException] = []

    def render() -> None:
        with app.app_context():
            try:
                report = build_report(questionnaire, snapshot, {}, "", {}, datetime(2026, 1, 1, tzinfo=UTC), "")
                outputs.append(render_pdf(report, "a4"))
            except BaseException as exc:  # collected here, asserted on below
                errors.append(exc)

    threads = [threading.Thread(target=render) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(outputs) == 3
    for body in outputs:
        assert len(PdfReader(io.BytesIO(body), strict=True).pages) >= 2
