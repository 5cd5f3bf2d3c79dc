"""Debian's Chromium, as every browser test drives it (never Playwright's own download: there is no network for it).

One Playwright session a test run: its sync API runs an event loop on the test thread, so a second
`sync_playwright()` while the first is open fails. The `browser` fixture (tests/conftest.py) is that one session,
shared by the browser journeys and the deployment test.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
