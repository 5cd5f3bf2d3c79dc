"""The web layer: blueprints that parse requests, call the domain, store and render.

Imports go one way: this package's `init_app` imports the blueprints; the blueprints import `lookup`, `forms`,
`errors` and the layers below (assess.core, assess.store, assess.reports), never this package itself.
"""

from __future__ import annotations

import gc

from flask import Flask

from assess.core import UNKNOWN_LABEL

from . import api, compare, errors, exports, jobads, limits, pages, reports, results, security, teams, wizard


def warm(app: Flask) -> None:
    """Compile every template and import WeasyPrint now, then move the long-lived heap out of the cyclic
    collector's reach.

    For a server that forks workers from a preloaded app (gunicorn.conf.py): what is compiled, imported and frozen
    in the parent is shared by every worker, copy-on-write, instead of built again in each one. Importing
    WeasyPrint takes about a second of CPU, which each recycled worker would otherwise pay again on its first PDF.
    It is imported here rather than with the app, so that a process that makes no PDF (a CLI command, `flask run`
    before the first download, each test process) does not pay it on start.
    """
    import weasyprint  # noqa: F401

    for name in app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html")):
        app.jinja_env.get_template(name)
    gc.collect()
    gc.freeze()


def init_app(app: Flask) -> None:
    """Register the blueprints, the security headers, the rate limits and the error pages."""
    security.init_app(app)
    app.jinja_env.globals["unknown_label"] = UNKNOWN_LABEL
    for module in (pages, wizard, jobads, results, reports, exports, teams, compare, api):
        app.register_blueprint(module.bp)
    limits.init_app(app)  # after the blueprints: it puts limits on their endpoints
    errors.init_app(app)
