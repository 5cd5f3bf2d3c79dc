"""A queued team PDF and export in real Chromium: the progress page polls its status through app.js, says each
change in its live region without reloading, then shows the download link, or the retry button after a failure.
Without script it never reloads itself: it offers "Check again"."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible, browser_app, serve
from tests.jobs.helpers import burst, make_team

pytestmark = pytest.mark.browser


@pytest.fixture
def queued_server(tmp_path: Path, migrated_db: Path, redis_url: str) -> Iterator[tuple[str, Flask]]:
    """The app with its job queue on the session's private Redis, served on loopback; its URL and the app."""
    database = tmp_path / "jobs.sqlite3"
    shutil.copy(migrated_db, database)
    app = browser_app(database, REDIS_URL=redis_url)
    with serve(app) as url:
        yield url, app


def test_progress_page_follows_a_pdf_to_its_download_and_a_failed_export_to_its_retry(
    page: Page, queued_server: tuple[str, Flask]
) -> None:
    url, app = queued_server
    admin, _ = make_team(app, "Umbrella social lead")
    # The page polls less often the longer it waits (up to every 4 s). Playwright's clock lets each check below
    # move time on to the next poll once the job has been made, instead of sitting out the interval.
    page.clock.install()
    page.goto(f"{url}/t/{admin}")
    page.get_by_role("button", name="Download the team report (PDF)").click()
    expect(page.locator("h1")).to_contain_text("Team report (PDF")
    status = page.locator("#job-status[role=status]")
    expect(status).to_have_text("Queued. It is next in line.")
    assert_accessible(page)
    page.evaluate("window.stillHere = true")  # a reload would lose it: the script updates the page in place

    burst(app)
    page.clock.fast_forward(4000)
    download = page.get_by_role("link", name="Download the report")
    expect(download).to_be_visible(timeout=20_000)
    expect(status).to_contain_text("Ready.")
    assert page.evaluate("window.stillHere === true")
    assert_accessible(page)
    with page.expect_download() as saved:
        download.click()
    assert Path(saved.value.path()).read_bytes().startswith(b"%PDF-")

    # An export whose every attempt outlives a one-second limit: the page turns to the failure and its retry.
    app.config["JOB_TIMEOUT"] = 1
    page.goto(f"{url}/t/{admin}")
    page.get_by_role("link", name="Export responses (CSV)").click()
    expect(status).to_have_text("Queued. It is next in line.")
    burst(app, JOB_TEST_DELAY=30)
    page.clock.fast_forward(4000)
    retry = page.get_by_role("button", name="Try again")
    expect(retry).to_be_visible(timeout=20_000)
    expect(status).to_have_text("It could not be made: it took longer than the 1-second limit.")
    expect(page.locator(".job-done")).to_be_hidden()
    assert_accessible(page)
    app.config["JOB_TIMEOUT"] = 120
    retry.click()
    expect(status).to_have_text("Queued. It is next in line.")
    burst(app)
    page.clock.fast_forward(4000)
    expect(page.get_by_role("link", name="Download the export")).to_be_visible(timeout=20_000)


def test_without_javascript_the_progress_page_never_reloads_itself_and_offers_check_again(
    browser: Browser, queued_server: tuple[str, Flask]
) -> None:
    """WCAG 2.2.1: no timed refresh under 20 seconds (this page has none at all); the person asks when they like.
    At 320 CSS pixels, like every other page, it does not scroll sideways."""
    url, app = queued_server
    admin, _ = make_team(app)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        documents: list[str] = []
        page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)
        response = page.goto(f"{url}/t/{admin}/export.json")
        assert response is not None
        expect(page.locator("#job-status[role=status]")).to_have_text("Queued. It is next in line.")
        assert "refresh" not in {name.lower() for name in response.headers}
        delays = page.eval_on_selector_all(
            "meta[http-equiv]", "metas => metas.filter(m => /refresh/i.test(m.httpEquiv)).map(m => parseInt(m.content))"
        )
        noscript = page.locator("noscript").all_inner_texts()  # a <noscript> meta would act with script off
        assert not any("refresh" in text.lower() for text in noscript), noscript
        assert all(delay >= 20 for delay in delays), delays
        loaded = len(documents)
        page.wait_for_timeout(3000)  # longer than the 2 seconds after which the old page reloaded itself
        assert len(documents) == loaded, documents[loaded:]
        assert page.evaluate("document.documentElement.scrollWidth") <= 320

        burst(app)
        check = page.get_by_role("link", name="Check again")
        check.click()
        expect(page.get_by_role("link", name="Download the export")).to_be_visible()
        expect(page.locator("#job-status[role=status]")).to_contain_text("Ready.")
        expect(page.get_by_role("link", name="Check again")).to_have_count(0)  # settled: nothing left to check
    finally:
        context.close()
