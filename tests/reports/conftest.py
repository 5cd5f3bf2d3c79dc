"""Fixtures for the PDF report tests: stored results with varied answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from assess import store
from assess.core import Questionnaire, Result, result_to_dict, score
from tests.reports.pdfs import varied_answers


@pytest.fixture
def make_result(app: Flask) -> Callable[..., tuple[str, Result]]:
    """A factory: make_result(slug, answers=None, label="", notes=None) stores a scored result and returns
    (token, result)."""

    def make(
        slug: str, answers: dict[str, str] | None = None, label: str = "", notes: dict[str, str] | None = None
    ) -> tuple[str, Result]:
        with app.app_context():
            questionnaire = app.extensions["catalog"].get(slug)
            given = varied_answers(questionnaire) if answers is None else answers
            result = score(questionnaire, given)
            assessment = store.create_assessment(
                slug, questionnaire.version, given, result_to_dict(result), label=label, notes=notes or {}
            )
            return assessment.token, result

    return make


@pytest.fixture
def questionnaire(app: Flask) -> Callable[[str], Questionnaire]:
    """A lookup: questionnaire(slug)."""

    def get(slug: str) -> Any:
        return app.extensions["catalog"].get(slug)

    return get
