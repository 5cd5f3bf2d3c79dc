"""What every blueprint looks up the same way: the loaded catalogue, and a stored result by its private token."""

from __future__ import annotations

from typing import NoReturn

from flask import abort, current_app

from assess import store
from assess.core import Catalog


def catalog() -> Catalog:
    """The questionnaire catalogue loaded at start-up."""
    loaded: Catalog = current_app.extensions["catalog"]
    return loaded


def no_such_result() -> NoReturn:
    """Answer 404 for a result token that matches nothing, with the same words on every page that takes one."""
    abort(404, description="No result matches this link. It may have been deleted, or mistyped.")


def assessment_or_404(token: str) -> store.Assessment:
    """The stored result behind a result link; 404 when there is none."""
    assessment = store.get_assessment(token)
    if assessment is None:
        no_such_result()
    return assessment
