"""The quick path in real Chromium: from the landing page to a result in at most twelve questions, then deeper."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.conftest import session_catalog

pytestmark = pytest.mark.browser
CATALOG = session_catalog()


def answer_quick_page(page: Page, pick: str) -> int:
    """Choose an answer in every question of the quick page by clicking its label; returns how many."""
    fieldsets = page.locator("fieldset.question").all()
    for fieldset in fieldsets:
        labels = fieldset.locator("label.option")
        count = labels.count()
        labels.nth({"best": 0, "worst": count - 2}[pick]).click()
    return len(fieldsets)


@pytest.mark.parametrize("slug", ["employer-readiness", "role-audit", "org-readiness"])
def test_quick_check_from_the_landing_page_to_a_result(page: Page, live_server: str, slug: str) -> None:
    questionnaire = CATALOG.get(slug)
    page.goto(live_server + "/")
    began = time.monotonic()
    page.locator(f"form[action='/q/{slug}/start?path=quick'] button").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^Quick check: \d+ questions$"))
    assert_accessible(page)
    asked = answer_quick_page(page, "worst")
    assert asked == len(questionnaire.quick) <= 12
    page.get_by_role("button", name="See my result").click()
    expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]+$"))
    # Machine time only: a person reads; benchmarks/reading_time.py estimates that.
    print(f"{slug}: quick path walked in {time.monotonic() - began:.1f} s, {asked} questions")
    main = questionnaire.questions_in_part(questionnaire.main_part.id)
    expect(page.locator(".answer .confidence")).to_contain_text(f"{asked} of {len(main)} questions answered")
    assert_accessible(page)


def test_go_deeper_keeps_the_quick_answers(page: Page, live_server: str) -> None:
    page.goto(live_server + "/q/employer-readiness")
    page.get_by_role("button", name="Start the quick check").click()
    answer_quick_page(page, "best")
    page.get_by_role("button", name=re.compile("^Go deeper")).click()
    expect(page.locator(".progress")).to_contain_text("Step 1 of")
    first = CATALOG.get("employer-readiness").quick[0]
    expect(page.locator(f"fieldset#q_{first.replace('-', '_')} input[type=radio]").first).to_be_checked()
    page.get_by_role("button", name="Skip this section").click()
    expect(page.locator(".progress")).to_contain_text("Step 2 of")
