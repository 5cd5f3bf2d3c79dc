"""Errors mapped to HTTP in one place: HTML pages for people, JSON for the API."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import InterfaceError, InternalError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from assess.extensions import db

log = logging.getLogger(__name__)
RETRY_AFTER = 30


class ApiError(Exception):
    """A request the API refuses: its HTTP status, a stable code, a message for people and the field at fault."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        message, field = bounded(message, MESSAGE_MAX), bounded(field, FIELD_MAX) if field is not None else None
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


MESSAGE_MAX = 1000
FIELD_MAX = 200
"""Refusals quote what was sent (a field name, a version, an id); these bound how much of it comes back."""


def bounded(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters (ending "…") when longer: an echo of what was sent never grows with it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object, limit: int = 60) -> str:
    """A sent value quoted in a message (its repr), at most `limit` characters."""
    return bounded(repr(value), limit)


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


READ_ONLY_SQLSTATE = "25006"


def _resend() -> dict[str, object]:
    """What an error page needs to keep what a POST sent: every form field (re-sent by its "Try again" button)
    and the names of any files chosen (which a page cannot send again, so it says so)."""
    posted = request.method == "POST"
    try:
        request.form  # noqa: B018  # parsed here, where a body over the size cap would raise
    except HTTPException:
        posted = False
    return {
        "method": request.method,
        "retry": request.full_path,
        "fields": list(request.form.items(multi=True)) if posted else [],
        "files": [file.filename or name for name, file in request.files.items(multi=True)] if posted else [],
    }


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
        if code == 429:  # like the 503 page: everything sent goes back into the page
            page = render_template("errors/limited.html", message=error.description, **_resend())
        else:
            page = render_template("errors/error.html", error=error, code=code)
        response = Response(page, status=code)
        for name, value in error.get_headers():  # Allow on a 405
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(InternalError)
    def database_internal_error(error: InternalError) -> ResponseReturnValue:
        """A write refused by a read-only database (PostgreSQL's read_only_sql_transaction, 25006, which psycopg
        raises as InternalError) is the database being unavailable for writing: 503, not 500."""
        if getattr(error.orig, "sqlstate", None) == READ_ONLY_SQLSTATE:
            return database_unavailable(error)
        raise error

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
            response = Response(render_template("errors/unavailable.html", **_resend()), status=503)
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response
