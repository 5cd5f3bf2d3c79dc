"""Response hardening: security headers on every response, and no caching or indexing of private pages.

Tokens live in URLs, so private pages must never be cached, indexed or leaked through the Referer header.
"""

from __future__ import annotations

from flask import Flask, Request, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

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
    """The session cookie is Secure whenever the request came over HTTPS, not only when configured so."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured, or when this request arrived over HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app: Flask) -> None:
    """Install the headers hook, the session interface and, when configured, the proxy fix."""
    app.session_interface = SessionInterface()
    proxies = int(app.config.get("TRUSTED_PROXIES", 0) or 0)
    if proxies:
        # Behind a reverse proxy: trust its X-Forwarded-For/Proto so is_secure and client addresses are right.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    @app.after_request
    def harden(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # Tokens live in URLs: no other site ever gets a Referer. This site does, because Flask-WTF refuses a POST
        # over HTTPS whose Referer is not this site (with no-referrer, every form answered 400 behind TLS).
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if is_private(request):
            headers["Cache-Control"] = "no-store"
            headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
