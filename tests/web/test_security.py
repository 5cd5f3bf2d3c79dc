"""Security headers on every kind of page, and private pages kept out of caches and search engines."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import Walker


@pytest.fixture
def pages(walker) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """One URL of each kind: public, wizard, review, result, error, static."""
    w: Walker = walker("role-audit")
    draft = w.start()
    result = w.submit(w.start())
    return {
        "landing": "/",
        "method": "/how-scoring-works",
        "wizard": f"/d/{draft}/1",
        "review": f"/d/{draft}/review",
        "result": f"/r/{result}",
        "delete": f"/r/{result}/delete",
        "not found": "/r/missing",
        "static": "/static/css/app.css",
    }


def test_every_response_carries_the_security_headers(client: FlaskClient, pages: dict[str, str]) -> None:
    for kind, url in pages.items():
        with client.get(url) as response:  # closes the static file it streams
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp, kind
        assert "frame-ancestors 'none'" in csp, kind
        assert "script-src 'self'" in csp, kind
        assert headers["X-Content-Type-Options"] == "nosniff", kind
        assert headers["Referrer-Policy"] == "same-origin", kind  # no Referer to other sites
        assert "Strict-Transport-Security" not in headers, kind  # plain HTTP: no HSTS


@pytest.mark.parametrize("kind", ["wizard", "review", "result", "delete"])
def test_private_pages_are_not_cached_or_indexed(client: FlaskClient, pages: dict[str, str], kind: str) -> None:
    response = client.get(pages[kind])
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.get_data(as_text=True)


def test_public_pages_may_be_indexed(client: FlaskClient) -> None:
    response = client.get("/")
    assert "X-Robots-Tag" not in response.headers
    assert "noindex" not in response.get_data(as_text=True)


def test_https_adds_hsts_and_a_secure_session_cookie(client: FlaskClient) -> None:
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = response.headers.get("Set-Cookie", "")
    assert "session=" in cookie  # the landing page's forms put a CSRF secret in the session
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_plain_http_session_cookie_is_httponly_and_lax(client: FlaskClient) -> None:
    cookie = client.get("/").headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_pages_have_no_inline_scripts_or_styles(client: FlaskClient, pages: dict[str, str]) -> None:
    import re

    for kind, url in pages.items():
        if kind == "static":
            continue
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), kind
        assert "<style" not in html, kind
        assert not re.search(r"\sstyle=", html), kind
