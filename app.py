"""Escape Velocity: is this social media role a strategy job, or will it become the social media help desk?"""

from __future__ import annotations

from typing import Any

from flask import Flask

from assess import cli, jobs, logs, web
from assess.config import configure, serving
from assess.core import Catalog, CatalogError, load_catalog
from assess.extensions import csrf, db, migrate
from assess.jobads import Signals, load_signals


def create_app(
    test_config: dict[str, Any] | None = None, catalog: Catalog | None = None, signals: Signals | None = None
) -> Flask:
    """Build the app: configuration, the questionnaire catalogue, extensions, blueprints and the CLI.

    `catalog` is the questionnaire catalogue to serve, loaded from assess/questionnaires when not given, and
    `signals` the job-ad reader's signals, loaded from assess/jobads/signals.yaml and checked against that catalogue
    when not given. The tests load both once per session and hand them to every app they build: they are immutable,
    and compiling the signals' phrasings was most of the cost of building an app."""
    app = Flask(__name__, instance_relative_config=True)
    configure(app, test_config)
    logs.init_app(app)  # no token in any log line
    try:
        app.extensions["catalog"] = catalog if catalog is not None else load_catalog()
        app.extensions["signals"] = signals if signals is not None else load_signals(app.extensions["catalog"])
    except CatalogError:
        # An invalid questionnaire file stops the app here, with the file and the place in it; only
        # `flask assess validate` and the other offline commands may still load, to report it.
        if serving():
            raise
    jobs.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"))
    csrf.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    return app
