"""The web layer: blueprints that parse requests, call the domain, store and render."""

from __future__ import annotations

from flask import Flask, current_app

from assess.core import Catalog


def catalog() -> Catalog:
    """The questionnaire catalogue loaded at start-up."""
    loaded: Catalog = current_app.extensions["catalog"]
    return loaded


def init_app(app: Flask) -> None:
    """Register the blueprints, the security headers, the rate limits and the error pages."""
    from . import api, compare, errors, exports, limits, pages, reports, results, security, teams, wizard

    security.init_app(app)
    for module in (pages, wizard, results, reports, exports, teams, compare, api):
        app.register_blueprint(module.bp)
    limits.init_app(app)  # after the blueprints: it puts limits on their endpoints
    errors.init_app(app)
