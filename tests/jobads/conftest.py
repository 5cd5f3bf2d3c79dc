"""The signals, loaded once for the job-ad tests (the file is checked against the real catalogue)."""

from __future__ import annotations

import pytest

from assess.core import Catalog, load_catalog
from assess.jobads import Signals, load_signals


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def signals(catalog: Catalog) -> Signals:
    return load_signals(catalog)
