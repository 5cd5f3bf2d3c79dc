"""A job seeker pastes a job ad in Chromium, sees its sentences marked, and finds the wizard opened with the
answers the ad settles chosen and labelled "from the ad"; the hiring manager's path offers the same."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

AD = """Social Media Strategist
About us: we pride ourselves on excellent customer service in all 40 stores.
You'll be our first and only social media hire.
• Respond to customer comments, messages and reviews on every channel.
• Win buy-in from stakeholders across the business for social media.
• Be available to work evenings and weekends.
We offer 25 days holiday plus bank holidays.
"""


def test_paste_an_ad_see_the_marks_and_find_the_answers_chosen(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name="Or start from the job ad").click()
    expect(page.locator("h1")).to_have_text("Start from the job ad")
    assert_accessible(page)
    page.get_by_label("Paste the job ad").fill(AD)
    page.get_by_role("button", name="Read the ad").click()

    expect(page).to_have_url(re.compile(r"/d/[A-Za-z0-9_-]{43}/job-ad$"))
    expect(page.locator("h1")).to_have_text("What the job ad says")
    marks = page.locator(".job-ad-text mark")
    expect(marks).to_have_count(4)
    expect(marks.nth(0)).to_contain_text("You'll be our first and only social media hire.")
    expect(marks.nth(1)).to_contain_text("Respond to customer comments")
    expect(page.locator(".job-ad-text")).to_contain_text("We offer 25 days holiday plus bank holidays.")  # unmarked
    expect(page.locator(".job-ad-text mark", has_text="bank holidays")).to_have_count(0)
    expect(page.locator(".job-ad-text")).to_contain_text("[warning: Support still to be won]")  # without colour
    expect(page.locator("#findings")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Continue to the questions").first.click()
    expect(page.locator(".progress")).to_contain_text("Step 1 of")
    buyin = page.locator("fieldset.question", has_text="support from other departments")
    expect(buyin.get_by_label("It asks the new hire to win support or make progress on buy-in")).to_be_checked()
    expect(buyin).to_contain_text("From the ad: “Win buy-in from stakeholders across the business for social media.”")
    share = page.locator("fieldset.question", has_text="answering requests, comments and complaints")
    expect(share.get_by_label("A small part of it")).to_be_checked()
    expect(share).to_contain_text("From the ad:")
    others = page.locator("fieldset.question").filter(has_not_text="From the ad:")
    expect(others.first).to_be_visible()
    for index in range(others.count()):  # everything else stays unknown
        expect(others.nth(index).locator("input:checked")).to_have_count(0)
    assert_accessible(page)


def test_a_broken_upload_says_why_and_keeps_the_pasted_text(page: Page, live_server: str, tmp_path: object) -> None:
    from pathlib import Path

    broken = Path(str(tmp_path)) / "ad.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a PDF")
    page.goto(live_server + "/q/org-readiness/job-ad")
    expect(page.locator("h1")).to_have_text("Read your draft job ad as a candidate would")
    page.get_by_label("Paste the job ad").fill("Our words stay.")
    page.get_by_label("Or upload it").set_input_files(str(broken))
    page.get_by_role("button", name="Read the ad").click()
    expect(page.locator("#error-summary")).to_contain_text("This PDF could not be read")
    expect(page.get_by_label("Paste the job ad")).to_have_value("Our words stay.")
    assert_accessible(page)
