"""The web layer: blueprints that parse requests, call the domain, store and render."""

from __future__ import annotations

from flask import Flask, current_app

from assess.core import Catalog


def catalog() -> Catalog:
    """The questionnaire catalogue loaded at start-up."""
    loaded: Catalog = current_app.extensions["catalog"]
    return loaded


def init_app(app: Flask) -> None:
    """Register the blueprints and the error pages."""
    from . import errors, pages, results, wizard

    app.register_blueprint(pages.bp)
    app.register_blueprint(wizard.bp)
    app.register_blueprint(results.bp)
    errors.init_app(app)
