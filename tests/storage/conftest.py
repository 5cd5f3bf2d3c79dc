"""Fixtures for the storage tests, which all run twice: on SQLite and on PostgreSQL (see tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from flask import Flask

from assess.core import Questionnaire, result_to_dict, score
from assess.extensions import db
from tests.reports.pdfs import varied_answers

Scored = Callable[..., tuple[Questionnaire, dict[str, str], dict[str, Any]]]
T = TypeVar("T")


def found(value: T | None) -> T:
    """The looked-up row, failing the test when the lookup found nothing."""
    assert value is not None, "expected a stored row, found none"
    return value


@pytest.fixture
def in_app(db_app: Flask) -> Iterator[Flask]:
    """`db_app` with its app context pushed, so a test calls assess.store directly as a view would."""
    with db_app.app_context():
        yield db_app


@pytest.fixture
def scored(db_app: Flask) -> Scored:
    """A factory: scored(slug, seed=0) -> (questionnaire, answers, result as stored), a realistic varied answer set."""

    def make(slug: str, seed: int = 0) -> tuple[Questionnaire, dict[str, str], dict[str, Any]]:
        questionnaire = db_app.extensions["catalog"].get(slug)
        answers = varied_answers(questionnaire, seed)
        return questionnaire, answers, result_to_dict(score(questionnaire, answers))

    return make


@pytest.fixture
def forget(in_app: Flask) -> Callable[[], None]:
    """forget(): drop every loaded object from the session, so that the next read comes from the database itself
    (otherwise the session hands back the very objects just written, and a round trip proves nothing)."""
    return db.session.expunge_all
