"""The web layer: blueprints that parse requests, call the domain, store and render."""

from __future__ import annotations

import gc
from typing import NoReturn

from flask import Flask, abort, current_app

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


def warm(app: Flask) -> None:
    """Compile every template now, then move the long-lived heap out of the cyclic collector's reach.

    For a server that forks workers from a preloaded app (gunicorn.conf.py): what is compiled, imported and frozen
    in the parent is shared by every worker, copy-on-write, instead of built again in each one.
    """
    for name in app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html")):
        app.jinja_env.get_template(name)
    # Importing WeasyPrint takes about 1.5 s of CPU, which each recycled worker paid again on its first PDF. Only the
    # modules are loaded here; fonts and stylesheets are built in each worker after the fork (assess.reports.pdf).
    import weasyprint  # noqa: F401

    gc.collect()
    gc.freeze()


def init_app(app: Flask) -> None:
    """Register the blueprints, the security headers, the rate limits and the error pages."""
    from . import api, compare, errors, exports, limits, pages, reports, results, security, teams, wizard
    from .forms import text_control

    security.init_app(app)
    app.jinja_env.globals["text_control"] = text_control  # for _macros.html, which imports without the context
    for module in (pages, wizard, results, reports, exports, teams, compare, api):
        app.register_blueprint(module.bp)
    limits.init_app(app)  # after the blueprints: it puts limits on their endpoints
    errors.init_app(app)
