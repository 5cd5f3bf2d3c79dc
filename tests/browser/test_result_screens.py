"""The results page as a coach, in real Chromium at a phone's and a desktop's size: the answer on the first screen,
nothing said twice, no criterion id outside the methodology, and at most 900 words shown until asked for more."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from assess.core import UNKNOWN, Questionnaire, score
from assess.core.findings import rank_findings
from tests.browser.conftest import PHONE_WIDTH
from tests.conftest import session_catalog

pytestmark = pytest.mark.browser
CATALOG = session_catalog()
SCREENS = {"phone": (PHONE_WIDTH, 812), "desktop": (1280, 900)}
WORD_BUDGET = 900
CRITERION_ID = re.compile(r"\b(?:ER|RA|CP|CH|HM)-[A-Z]+\b")


def answer_set(q: Questionnaire, kind: str) -> dict[str, str]:
    """All "Don't know", all strong, all weak, or a mix of the three."""
    answers = {}
    for index, question in enumerate(q.questions):
        ordered = sorted(question.options, key=lambda o: o.points)
        pick = {"unknown": None, "strong": ordered[-1], "weak": ordered[0]}.get(
            kind, ordered[(index * 5) % len(ordered)]
        )
        if kind == "mixed" and index % 6 == 0:
            pick = None
        answers[question.id] = UNKNOWN if pick is None else pick.id
    return answers


@pytest.fixture(scope="module", params=list(SCREENS))
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A fresh page at one of the two sizes."""
    width, height = SCREENS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    yield context.new_page()
    context.close()


def stored(page: Page, base: str, slug: str, answers: dict[str, str]) -> str:
    """A result stored through the public API; its page's address."""
    response = page.request.post(f"{base}/api/v1/questionnaires/{slug}/assessments", data={"answers": answers})
    assert response.status == 201, response.text()
    return f"{base}/r/{response.json()['token']}"


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("slug", list(CATALOG.questionnaires))
@pytest.mark.parametrize("kind", ["mixed", "unknown", "strong", "weak"])
def test_first_screen_holds_the_verdict_and_the_next_moves_nothing_twice_plain_words_within_budget(
    screen: Page, live_server: str, slug: str, kind: str
) -> None:
    q = CATALOG.get(slug)
    answers = answer_set(q, kind)
    screen.goto(stored(screen, live_server, slug, answers))
    height = screen.viewport_size["height"] if screen.viewport_size else 0

    verdict = screen.locator("#verdict-title").bounding_box()
    assert verdict is not None
    assert verdict["y"] + verdict["height"] <= height
    moves = screen.locator(".findings-moves > li")
    if moves.count():  # a strategist with nothing to fix has no moves; every other result has three
        assert 3 <= moves.count() <= 5
        last = moves.last.bounding_box()
        assert last is not None
        assert last["y"] + last["height"] <= height, f"the last next move ends at {last['y'] + last['height']}px"
    else:
        assert slug == "role-audit"
        assert kind == "strong"
    confidence = screen.locator(".answer .confidence").bounding_box()
    assert confidence is not None
    assert confidence["y"] + confidence["height"] <= height

    shown: Any = screen.locator("main").inner_text()  # what is rendered: closed details are not
    assert len(shown.split()) <= WORD_BUDGET
    assert not CRITERION_ID.findall(shown)
    everything = squeeze(screen.locator("main").text_content() or "")
    method = squeeze(screen.locator("#detail-method").text_content() or "")
    assert not CRITERION_ID.findall(everything.replace(method, ""))  # ids only in the methodology
    for finding in rank_findings(q, score(q, answers), answers):
        for words in {finding.action, finding.why, finding.ask} - {""}:
            assert everything.count(squeeze(words)) <= 1, words


def test_the_chart_is_legible_at_phone_width(phone: Page, live_server: str) -> None:
    q = CATALOG.get("role-audit")
    phone.goto(stored(phone, live_server, q.slug, answer_set(q, "mixed")))
    phone.get_by_text("Scores by area").click()
    labels = phone.locator("#detail-scores .bar-label")
    assert labels.count() > 0
    for index in range(labels.count()):
        size = float(labels.nth(index).evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        assert size >= 12, f"label {index} is {size:.1f}px"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_table_headers_never_break_inside_a_word_at_phone_width(phone: Page, live_server: str) -> None:
    q = CATALOG.get("employer-readiness")
    phone.goto(stored(phone, live_server, q.slug, answer_set(q, "mixed")))
    phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    # A header breaks mid-word when one of its words is wider than its cell: measure each word on its own.
    broken = phone.evaluate(
        """() => [...document.querySelectorAll('thead th')].filter(th => th.textContent.trim().split(/\\s+/)
            .some(word => {
                const span = document.createElement('span');
                span.textContent = word;
                span.style.whiteSpace = 'nowrap';
                th.appendChild(span);
                const wide = span.getBoundingClientRect().width > th.clientWidth;
                span.remove();
                return wide;
            })).map(th => th.textContent)"""
    )
    assert phone.locator("thead th").count() > 5
    assert broken == []


def test_the_api_reference_fits_a_phone(phone: Page, live_server: str) -> None:
    phone.goto(f"{live_server}/api/v1/docs")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_chosen_answer_is_highlighted_not_only_by_its_radio_dot(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/q/role-audit")
    page.get_by_role("button", name="Begin").click()
    option = page.locator("fieldset.question label.option").first
    before = option.evaluate("e => getComputedStyle(e).backgroundColor")
    option.click()
    page.mouse.move(0, 0)  # not hovering: the highlight must come from the choice itself
    after = option.evaluate("e => getComputedStyle(e).backgroundColor")
    assert after != before
    assert option.evaluate("e => getComputedStyle(e).borderColor") != "rgba(0, 0, 0, 0)"
