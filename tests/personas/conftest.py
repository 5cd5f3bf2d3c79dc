"""The real catalogue, loaded once for the persona tests."""

from __future__ import annotations

import pytest

from assess.core import Catalog, load_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The project's real questionnaires."""
    return load_catalog()
