"""Fixtures for the domain tests: no app, no database, only assess.core."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.core import Catalog, Questionnaire, load_catalog
from assess.core.catalog import load_criteria, load_questionnaire

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    """The hand-checkable test questionnaire in tests/core/data/mini.yaml."""
    criteria = {c.id: c for c in load_criteria(DATA / "criteria.yaml")}
    return load_questionnaire(DATA / "mini.yaml", criteria)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The project's real questionnaires."""
    return load_catalog()
