"""Real-browser fixtures: the app served on loopback from a thread, driven by Debian's Chromium via Playwright.

Never Playwright's own browser download (there is no network for it). `scripts/bootstrap --dev` installs
Debian's chromium, so these tests never skip for want of it.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page
from werkzeug.serving import make_server

from app import create_app
from tests.conftest import session_catalog, session_signals, with_shared_templates


def browser_app(database: Path, **config: Any) -> Flask:
    """The app as the browser tests serve it, on a private SQLite database."""
    return with_shared_templates(
        create_app(
            {
                "SECRET_KEY": "browser-test-secret-key-0123456789",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                "RATELIMIT_ENABLED": False,  # every browser test comes from 127.0.0.1
                **config,
            },
            catalog=session_catalog(),
            signals=session_signals(),
        )
    )


def buffered(app: Flask) -> Callable[[dict[str, Any], Any], list[bytes]]:
    """`app` with each response read whole, and closed, before the server writes it.

    When Chromium drops a connection mid-response (a favicon fetch cut short by a navigation), werkzeug's dev
    server can fail in its own clean-up before it closes the response, leaving a static file open; the
    ResourceWarning then surfaced in whichever test was running (one CI failure). A closed body cannot leak."""

    def application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return application


@contextlib.contextmanager
def serve(app: Flask) -> Iterator[str]:
    """`app` served at http://127.0.0.1:<port> from a background thread for the length of the block."""
    server = make_server("127.0.0.1", 0, buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, migrated_db: Path) -> Iterator[str]:
    """The app on a private database, served at http://127.0.0.1:<port> from a background thread."""
    database = tmp_path_factory.mktemp("browser") / "browser.sqlite3"
    shutil.copy(migrated_db, database)
    with serve(browser_app(database)) as url:
        yield url


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile at desktop width: no cookies, like a new device."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page in a fresh context."""
    return context.new_page()


PHONE_WIDTH = 375
"""The phone the layout tests hold a page to, in CSS pixels (an iPhone's width)."""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A page in a fresh profile on a phone: 375 by 812 CSS pixels, a mobile viewport, touch."""
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 812}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


AXE = Axe()


def assert_accessible(page: Page) -> None:
    """axe-core finds no violation on the page as it stands, once it has loaded.

    A click on a link returns once the next page's navigation has started; axe run before that page's document exists
    fails on a null `documentElement` (seen once in a full run), so the check waits for the load event first.
    """
    page.wait_for_load_state()
    results = AXE.run(page)
    violations = results.response["violations"]
    summary = [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    assert violations == [], f"{page.url}\n" + "\n".join(summary)
