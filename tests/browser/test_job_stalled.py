"""A queued team PDF with no worker running, in real Chromium: once it has waited JOB_WORKER_WAIT seconds the page
(polling through app.js, without reloading) says no worker is running and shows "Make it now", which makes the
PDF in the request and downloads it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, browser_app, serve
from tests.jobs.helpers import make_team

pytestmark = pytest.mark.browser


@pytest.fixture
def workerless_server(tmp_path: Path, migrated_db: Path, redis_url: str) -> Iterator[tuple[str, Flask]]:
    """The queue on, no worker started, a missing worker reported after two seconds."""
    database = tmp_path / "stalled.sqlite3"
    shutil.copy(migrated_db, database)
    app = browser_app(database, REDIS_URL=redis_url, JOB_WORKER_WAIT=2)
    with serve(app) as url:
        yield url, app


def test_a_job_no_worker_will_make_offers_make_it_now(page: Page, workerless_server: tuple[str, Flask]) -> None:
    url, app = workerless_server
    admin, _ = make_team(app, "Initech social lead")
    page.goto(f"{url}/t/{admin}")
    page.get_by_role("button", name="Download the team report (PDF)").click()
    status = page.locator("#job-status[role=status]")
    expect(status).to_have_text("Queued. It is next in line.")
    make_now = page.get_by_role("button", name="Make it now")
    expect(make_now).to_be_hidden()
    page.evaluate("window.stillHere = true")  # the script updates the page in place

    expect(make_now).to_be_visible(timeout=20_000)
    expect(status).to_have_text(
        "Queued. No worker is running to make it, so it may wait a long time: you can have it made now."
    )
    assert page.evaluate("window.stillHere === true")
    assert_accessible(page)
    with page.expect_download() as saved:
        make_now.click()
    assert Path(saved.value.path()).read_bytes().startswith(b"%PDF-")
