"""A hiring manager's team, in real Chromium: create, five colleagues answer, report, export, close.

Two colleagues, one from each department, answer in their own browsers; the other three send the same answers
through the API (the same respondent link's token), since walking the same pages again would test nothing new."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import answer_page
from tests.conftest import session_catalog

pytestmark = pytest.mark.browser
QUESTIONNAIRE = session_catalog().get("org-readiness")
DEPARTMENT_IDS = {"Marketing": "marketing", "IT": "it"}


def steps_for(department: str) -> int:
    """How many pages a respondent of this department sees: the sections with a question they are asked."""
    asked = {q.section for q in QUESTIONNAIRE.questions if q.asked_in_team(DEPARTMENT_IDS[department])}
    return sum(1 for s in QUESTIONNAIRE.sections if s.id in asked)


def answer_as(browser: Browser, link: str, department: str, pick: str, check: bool = False) -> None:
    """One colleague, in their own browser, answers every page."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(link)
        if check:
            assert_accessible(page)
        page.get_by_label(department, exact=True).check()
        page.get_by_role("button", name="Start answering").click()
        steps = steps_for(department)
        for step in range(1, steps + 1):
            if check and step == 1:
                assert_accessible(page)
            answer_page(page, pick, step)
            page.get_by_role("button", name="Review answers" if step == steps else "Next").click()
        page.get_by_role("button", name=re.compile("Send my answers")).click()
        expect(page.locator("h1")).to_have_text("Thank you: your answers are in")
        if check:
            assert_accessible(page)
    finally:
        context.close()


def api_response(department: str, pick: str) -> dict[str, object]:
    """The answers `answer_page` gives for `pick` ("best": each question's first option, "worst": its last), as the
    API takes them."""
    asked = [q for q in QUESTIONNAIRE.questions if q.asked_in_team(DEPARTMENT_IDS[department])]
    answers = {q.id: (q.options[0] if pick == "best" else q.options[-1]).id for q in asked}
    return {"department": DEPARTMENT_IDS[department], "answers": answers}


def test_manager_sees_disagreement_exports_and_closes(page: Page, browser: Browser, live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name=re.compile("ask colleagues")).click()
    assert_accessible(page)
    page.get_by_label("Team or organisation name").fill("Contoso: social media lead")
    page.get_by_role("button", name="Create the team").click()
    expect(page.locator(".answer .kicker")).to_contain_text("Contoso: social media lead")
    expect(page.locator("h1")).to_have_text("Waiting for answers")
    assert_accessible(page)
    respondent_link = page.locator("#respondent-url").input_value()

    answer_as(browser, respondent_link, "Marketing", "best", check=True)
    answer_as(browser, respondent_link, "IT", "worst")
    respondent = respondent_link.rstrip("/").rsplit("/", 1)[-1]
    for department, pick in [("Marketing", "best"), ("Marketing", "best"), ("IT", "worst")]:
        sent = page.request.post(
            f"{live_server}/api/v1/teams/{respondent}/responses", data=api_response(department, pick)
        )
        assert sent.status == 201, sent.text()

    page.reload()
    expect(page.locator(".meta").first).to_contain_text("5 responses")
    expect(page.locator(".answer .confidence")).to_contain_text("5 respondents.")
    expect(page.locator("#detail-scores table")).to_contain_text("Disagree")
    expect(page.locator("#detail-departments")).to_contain_text("Marketing (3)")
    expect(page.locator("#detail-departments")).not_to_contain_text("IT (2)")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Export responses (CSV)").click()
    rows = Path(download.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert len(rows) == 4  # header and the earliest three of five: exports grow in whole threes
    assert rows[0].startswith("department,questionnaire_version,overall,")

    page.get_by_role("button", name="Close to new responses").click()
    expect(page.locator(".flash")).to_contain_text("no longer accepts answers")

    context = browser.new_context()
    try:
        sixth = context.new_page()
        response = sixth.goto(respondent_link)
        assert response is not None
        assert response.status == 403
        expect(sixth.locator("h1")).to_contain_text("closed to new responses")
        assert_accessible(sixth)
    finally:
        context.close()
