"""Response hardening: security headers on every response, and no caching or indexing of private pages.

Tokens live in URLs, so private pages must never be cached, indexed or leaked through the Referer header.
"""

from __future__ import annotations

from flask import Flask, Request, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from .kept import Kept

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PRIVATE_PREFIXES = (
    "/d/",
    "/r/",
    "/t/",
    "/compare",
    "/api/v1/assessments",
    "/api/v1/teams",
    "/api/v1/imports",
    "/import",
)


def is_private(req: Request) -> bool:
    """True for pages and downloads reached through a private token (or carrying personal answers)."""
    return req.path.startswith(PRIVATE_PREFIXES)


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS, not only when configured so; its
    signing serializer is built once per set of keys."""

    def __init__(self) -> None:
        super().__init__()
        self._serializer: tuple[tuple[object, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, kept while the secret keys stay the same. Flask builds a new one twice a request,
        and building one runs a trial serialisation: together about a fifteenth of a kept results page's time."""
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = self._serializer
        if kept is None or kept[0] != keys:
            kept = self._serializer = (keys, super().get_signing_serializer(app))
        return kept[1]

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured, or when this request arrived over HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


_signed_tokens: Kept[tuple[object, str, str], str] = Kept(4096)


def csrf_token() -> str:
    """This visitor's signed CSRF token, as Flask-WTF's `generate_csrf` makes it, signed once per session token.

    With no time limit on tokens (``WTF_CSRF_TIME_LIMIT = None``) a signed token's timestamp is never checked,
    so the token signed for a session on its first page stays valid for all of them: keeping it (per process,
    least recently used first out) spares the signing, about a tenth of a kept wizard or results page's time.
    With a time limit configured, every call signs afresh, as Flask-WTF does.
    """
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(field)
    if field in g or config.get("WTF_CSRF_TIME_LIMIT") is not None or not isinstance(raw, str):
        return str(generate_csrf())
    key = (config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, field, raw)
    token = _signed_tokens.get(key)
    if token is None:
        token = str(generate_csrf())
        _signed_tokens.put(key, token)
    else:
        setattr(g, field, token)  # later calls in this request, and forms' hidden fields, reuse it
    return token


def init_app(app: Flask) -> None:
    """Install the headers hook, the session interface and, when configured, the proxy fix."""
    app.session_interface = SessionInterface()
    # In place of Flask-WTF's generate_csrf, which its init_app (called before this) sets in both places.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
    proxies = int(app.config.get("TRUSTED_PROXIES", 0) or 0)
    if proxies:
        # Behind a reverse proxy: trust its X-Forwarded-For/Proto so is_secure and client addresses are right.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    @app.after_request
    def harden(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if is_private(request):
            headers["Cache-Control"] = "no-store"
            headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
