"""Logs never carry a token: every private link's token is replaced before a log line is written.

Results, drafts, teams and jobs are reached by 256-bit tokens in their URLs, so a log that wrote request paths
would let anyone who reads it open, change or delete them. `redact` replaces every run of 16 or more URL-safe
characters (`A-Z a-z 0-9 _ -`) that is not plain lowercase words with "[token]": a token (43 such characters from
`secrets.token_urlsafe(32)`) always is one; the app's own path words ("employer-readiness", "how-scoring-works")
are lowercase words and stay readable. `RedactTokens` applies it to a log record's message and traceback (whose
frame lines, file paths and function names only, are left as they are).

It is installed on gunicorn's access and error logs (`GunicornLogger`, named by gunicorn.conf.py), on the
development server's request log (the `werkzeug` logger) and on the app's own logger (`init_app`).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import gunicorn.glogging
from flask import Flask

TOKEN_LIKE = re.compile(r"(?<![A-Za-z0-9_-])(?![a-z-]+(?![A-Za-z0-9_-]))[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])")
"""A run of 16 or more URL-safe characters, unless it is only lowercase letters and hyphens (a path word)."""

REPLACEMENT = "[token]"


FRAME_LINE = re.compile(r'^ *File "[^"\n]*", line \d+, in [\w<>.]+$', re.MULTILINE)
"""A traceback's frame line: a source file's path and a function name, never request data."""


def redact(text: str) -> str:
    """`text` with every token-like run replaced by "[token]"."""
    return TOKEN_LIKE.sub(REPLACEMENT, text)


def redact_traceback(text: str) -> str:
    """A formatted traceback with every token-like run replaced, except in its frame lines, whose file paths and
    function names ("psycopg/_connection_base.py") would otherwise read as tokens and hide where it failed."""
    kept = 0
    out: list[str] = []
    for frame in FRAME_LINE.finditer(text):
        out.append(redact(text[kept : frame.start()]))
        out.append(frame.group())
        kept = frame.end()
    out.append(redact(text[kept:]))
    return "".join(out)


class RedactTokens(logging.Filter):
    """Rewrites a record's message (and its formatted traceback) without tokens; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            # Formatters use exc_text when it is set: a database error's text quotes its parameters (tokens).
            record.exc_text = redact_traceback(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact_traceback(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_traceback(record.stack_info)
        return True


FILTER = RedactTokens()
"""One instance, so adding it again (a reload, a second app) never stacks copies."""


def protect(logger: logging.Logger) -> None:
    """Redact tokens in everything `logger` and its handlers write (handlers also see its children's records)."""
    logger.addFilter(FILTER)
    for handler in logger.handlers:
        handler.addFilter(FILTER)


def init_app(app: Flask) -> None:
    """Redact the app's own log and the development server's request log ("GET /r/<token> HTTP/1.1" 200)."""
    protect(app.logger)
    protect(logging.getLogger("werkzeug"))


class GunicornLogger(gunicorn.glogging.Logger):  # type: ignore[misc]
    """gunicorn's own logger, with tokens redacted from its access log (the request line, path, query and
    referrer) and its error log ("Error handling request /r/...")."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        protect(self.error_log)
        protect(self.access_log)
