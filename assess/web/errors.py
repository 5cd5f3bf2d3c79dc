"""Errors mapped to HTTP in one place: HTML pages for people, JSON for the API."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    """Install the error handlers."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if request.path.startswith("/api/"):
            return {
                "error": {"code": error.name.lower().replace(" ", "_"), "message": error.description, "field": None}
            }, code
        return render_template("errors/error.html", error=error, code=code), code
