"""Each path walked in real Chromium as a person would, with axe-core checks on every page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE_WIDTH, assert_accessible
from tests.conftest import session_catalog

pytestmark = pytest.mark.browser
CATALOG = session_catalog()


def answer_page(page: Page, pick: str, step: int) -> None:
    """Choose an answer in every question of wizard step ``step`` by clicking its label, as a person does once the
    page has loaded. Waiting for the step's own progress line first means a click that has just started a
    navigation can't leave us answering (or counting) the page being left."""
    expect(page.locator(".progress")).to_contain_text(f"Step {step} of")
    page.wait_for_load_state()
    for fieldset in page.locator("fieldset.question").all():
        labels = fieldset.locator("label.option")
        count = labels.count()
        index = {"best": 0, "worst": count - 2, "unknown": count - 1}[pick]
        labels.nth(index).click()


def walk(page: Page, base: str, slug: str, pick: str = "best", check: bool = True) -> str:
    """From the landing page to the result; returns the result URL."""
    page.goto(base + "/")
    if check:
        assert_accessible(page)
    page.locator(f"form[action='/q/{slug}/start'] button").click()
    steps = len(CATALOG.get(slug).sections)
    for step in range(1, steps + 1):
        expect(page.locator(".progress")).to_contain_text(f"Step {step} of {steps}")
        if check:
            assert_accessible(page)
        answer_page(page, pick, step)
        page.get_by_role("button", name="Review answers" if step == steps else "Next").click()
    expect(page.locator("h1")).to_have_text("Review your answers")
    if check:
        assert_accessible(page)
    page.get_by_role("button", name="See my result").click()
    expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{43}$"))
    if check:
        assert_accessible(page)
    return page.url


@pytest.mark.parametrize("slug", list(CATALOG.questionnaires))
def test_each_path_end_to_end_with_no_accessibility_violations(page: Page, live_server: str, slug: str) -> None:
    walk(page, live_server, slug, pick="worst")
    expect(page.locator("#verdict-title")).to_be_visible()
    expect(page.locator(".findings-moves .tag-critical").first).to_have_text("Serious red flag")


def test_resume_link_in_a_fresh_browser_continues_where_the_person_stopped(
    page: Page, browser: Browser, live_server: str
) -> None:
    page.goto(live_server + "/")
    page.locator("form[action='/q/role-audit/start'] button").click()
    answer_page(page, "worst", 1)
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".progress")).to_contain_text("Step 2 of")
    resume = page.locator("#resume-url").input_value()
    other = browser.new_context()
    try:
        fresh = other.new_page()
        fresh.goto(resume)
        expect(fresh.locator(".progress")).to_contain_text("Step 2 of")
        fresh.get_by_role("button", name="Back").click()
        # Wait for step 1 before looking at it: counting while the Back navigation is under way finds no fieldsets.
        expect(fresh.locator(".progress")).to_contain_text("Step 1 of")
        audit = CATALOG.get("role-audit")
        first_step = [q for q in audit.questions if q.section == audit.sections[0].id]
        assert first_step
        expect(fresh.locator("fieldset.question")).to_have_count(len(first_step))
        expect(fresh.locator("fieldset.question input:checked")).to_have_count(len(first_step))
    finally:
        other.close()


def test_reaudit_shows_what_changed_and_delete_erases(page: Page, live_server: str) -> None:
    first = walk(page, live_server, "role-audit", pick="worst", check=False)
    page.get_by_role("button", name="Update my answers").click()
    steps = len(CATALOG.get("role-audit").sections)
    for step in range(1, steps + 1):
        answer_page(page, "best", step)
        page.get_by_role("button", name="Review answers" if step == steps else "Next").click()
    page.get_by_role("button", name="See my result").click()
    expect(page.locator("#comparison-title")).to_have_text("Since your previous result")
    expect(page.locator(".comparison")).to_contain_text("▲ up")
    assert_accessible(page)
    page.get_by_text("Link, copies, delete").click()  # the quiet corner of the controls
    page.get_by_role("link", name="Delete this result").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator(".flash")).to_contain_text("deleted for good")
    gone = page.goto(page.url)
    assert gone is not None
    previous = page.goto(first)
    assert previous is not None
    assert previous.status == 200  # only the re-audit was deleted


def test_validation_message_sits_beside_the_question(page: Page, live_server: str) -> None:
    page.goto(live_server + "/q/org-readiness")
    assert_accessible(page)
    page.get_by_role("button", name="Begin").click()
    label = page.get_by_label("Organisation or team name")
    label.evaluate("element => element.removeAttribute('maxlength')")  # a browser that ignores maxlength
    label.fill("x" * 200)
    page.locator("#section_note").fill("Our budget is shared with IT")
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".text-field.has-error").first.locator(".field-error")).to_contain_text("Keep the name to")
    expect(page.locator("#section_note")).to_have_value("Our budget is shared with IT")
    assert_accessible(page)


def test_error_pages_are_accessible(page: Page, live_server: str) -> None:
    response = page.goto(live_server + "/r/no-such-result")
    assert response is not None
    assert response.status == 404
    assert_accessible(page)
    page.goto(live_server + "/how-scoring-works")
    assert_accessible(page)


def test_phone_width_has_no_sideways_scroll(phone: Page, live_server: str) -> None:
    url = walk(phone, live_server, "employer-readiness", pick="unknown", check=False)
    for path in ("/", url):
        phone.goto(path if path.startswith("http") else live_server + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{phone.url} is {width}px wide at a {PHONE_WIDTH}px viewport"
        assert_accessible(phone)


def test_keyboard_only_answering(page: Page, live_server: str) -> None:
    page.goto(live_server + "/q/role-audit")
    page.get_by_role("button", name="Begin").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".progress")).to_contain_text("Step 1 of")
    first_radio = page.locator("fieldset.question input[type=radio]").first
    first_radio.focus()
    page.keyboard.press("Space")
    expect(first_radio).to_be_checked()
    # the focused element shows a visible outline
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_works_without_javascript(browser: Browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server + "/")
        page.locator("form[action='/q/role-audit/start'] button").click()
        steps = len(CATALOG.get("role-audit").sections)
        for step in range(1, steps + 1):
            answer_page(page, "best", step)
            page.get_by_role("button", name="Review answers" if step == steps else "Next").click()
        page.get_by_role("button", name="See my result").click()
        expect(page.locator("#verdict-title")).to_contain_text("Proactive strategist")
    finally:
        context.close()
