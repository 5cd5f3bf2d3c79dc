"""Fixtures for the web tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import Walker


@pytest.fixture
def walker(client: FlaskClient, app: Flask) -> Callable[[str], Walker]:
    """A factory: walker(slug) -> Walker driving that questionnaire through the wizard."""

    def make(slug: str) -> Walker:
        return Walker(client, app.extensions["catalog"].get(slug))

    return make
