"""Errors mapped to HTTP in one place: HTML pages for people, JSON for the API."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from assess.extensions import db

log = logging.getLogger(__name__)
RETRY_AFTER = 30


class ApiError(Exception):
    """A request the API refuses: its HTTP status, a stable code, a message for people and the field at fault."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def json_error(status: int, code: str, message: str, field: str | None = None) -> Response:
    """The API's one error shape: {"error": {"code", "message", "field"}}."""
    response = jsonify({"error": {"code": code, "message": message, "field": field}})
    response.status_code = status
    return response


def _api_message(error: HTTPException) -> str:
    if error.code == 413:
        return f"The request body is larger than the limit of {current_app.config['MAX_CONTENT_LENGTH'] // 1024} KB."
    if error.code == 405:
        allowed = ", ".join(sorted(getattr(error, "valid_methods", None) or []))
        return f"{request.method} is not allowed on {request.path}" + (f"; use {allowed}." if allowed else ".")
    return str(error.description or error.name)


def init_app(app: Flask) -> None:
    """Install the error handlers, and end each request's database session before Flask-SQLAlchemy does."""

    @app.teardown_appcontext
    def end_session(_: BaseException | None) -> None:
        """Teardowns run last registered first, so this ends the session before Flask-SQLAlchemy's own. Its
        rollback fails when the database closed the connection after the request's queries ran (a restart or
        failover): the response is made by then, so the connection is discarded and the response goes out,
        where the error used to escape the teardown as a 500."""
        try:
            db.session.remove()
        except (OperationalError, InterfaceError) as error:
            log.warning("database connection lost at the end of a request (%s); discarded", type(error.orig).__name__)
            db.session().invalidate()  # close without the rollback the dead connection cannot take
            db.session.remove()

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> ResponseReturnValue:
        return json_error(error.status, error.code, error.message, error.field)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if request.path.startswith("/api/"):
            response = json_error(code, error.name.lower().replace(" ", "_"), _api_message(error))
            for name, value in error.get_headers():  # keeps Allow on a 405
                if name.lower() != "content-type":
                    response.headers[name] = value
            return response
        return render_template("errors/error.html", error=error, code=code), code

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeoutError)
    def database_unavailable(error: Exception) -> ResponseReturnValue:
        """The database is down, locked or unreachable: 503, and nothing the person sent is lost."""
        with contextlib.suppress(Exception):  # the session is already broken; the 503 below is what matters
            db.session.rollback()
        log.error("database unavailable on %s %s: %s", request.method, request.endpoint, type(error).__name__)
        if request.path.startswith("/api/"):
            response = json_error(
                503, "database_unavailable", "The database is unavailable just now; try again shortly."
            )
        else:
            # Every field the person sent goes back into the page, so "Try again" re-sends it all.
            fields = [(k, v) for k, v in request.form.items(multi=True)] if request.method == "POST" else []
            response = Response(
                render_template(
                    "errors/unavailable.html", fields=fields, method=request.method, retry=request.full_path
                ),
                status=503,
            )
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response
