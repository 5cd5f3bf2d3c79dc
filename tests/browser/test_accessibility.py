"""What axe-core cannot see, checked in real Chromium: where focus goes after a save and after a refused form, what
the live regions say after a copy and a save, counters that keep quiet while a person types, the progress bar's
spoken value, and every kind of page reflowing into 320 CSS pixels (WCAG 1.4.10)."""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect

from assess import store
from assess.core import result_to_dict, score
from tests.browser.conftest import PHONE_WIDTH, browser_app, serve
from tests.browser.test_journeys import answer_page
from tests.conftest import session_catalog
from tests.jobs.helpers import make_team

pytestmark = pytest.mark.browser
CATALOG = session_catalog()


@dataclass(frozen=True)
class Site:
    """The app served on loopback with a few stored results and a team with answers."""

    url: str
    app: Flask
    results: dict[str, str]  # questionnaire slug -> result token
    admin: str  # the team's manager token
    respondent: str  # the team's respondent token


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, migrated_db: Path) -> Iterator[Site]:
    database = tmp_path_factory.mktemp("a11y") / "a11y.sqlite3"
    shutil.copy(migrated_db, database)
    app = browser_app(database)
    results = {}
    with app.app_context():
        for questionnaire in CATALOG.questionnaires.values():
            answers = {q.id: q.options[len(q.options) // 2].id for q in questionnaire.questions}
            stored = store.create_assessment(
                questionnaire.slug,
                questionnaire.version,
                answers,
                result_to_dict(score(questionnaire, answers)),
                label=f"A {questionnaire.slug} with a long name to wrap",
            )
            results[questionnaire.slug] = stored.token
    admin, team_id = make_team(app, "Initech social media readiness across departments")
    with app.app_context():
        team = store.db.session.get(store.Team, team_id)
        assert team is not None
        respondent = team.respondent_token
    with serve(app) as url:
        yield Site(url, app, results, admin, respondent)


def active(page: Page) -> dict[str, str | None]:
    """What has focus: its tag, id, role, name and class."""
    return page.evaluate(
        """() => { const e = document.activeElement;
            return {tag: e.tagName.toLowerCase(), id: e.id, role: e.getAttribute('role'), name: e.getAttribute('name'),
                    cls: e.className}; }"""
    )


def start_draft(page: Page, site: Site, slug: str) -> None:
    page.goto(f"{site.url}/q/{slug}")
    page.get_by_role("button", name="Begin").click()
    expect(page.locator(".progress")).to_contain_text("Step 1 of")


def assert_summary_focused_and_links_land_on_controls(page: Page) -> None:
    """Focus is on the error summary; each of its links, followed, puts focus on a control of the field in error."""
    expect(page.locator("#error-summary")).to_be_visible()
    page.wait_for_load_state()
    # Playwright's own retrying check: wait_for_function evaluates its string inside the page, which the CSP's
    # script-src 'self' can refuse as eval when a navigation lands mid-wait (it failed once that way).
    expect(page.locator("#error-summary")).to_be_focused()
    links = page.locator("#error-summary a")
    assert links.count() >= 1
    for index in range(links.count()):
        link = links.nth(index)
        target = (link.get_attribute("href") or "")[1:]
        link.click()
        focused = active(page)
        assert focused["id"] == target, f"{link.text_content()!r} left focus on {focused}"
        assert focused["tag"] in ("input", "textarea", "select"), focused
        in_error = page.evaluate(
            "id => !!document.getElementById(id).closest('.has-error')", target
        )  # the control belongs to the field the summary names
        assert in_error, target
        page.locator("#error-summary").focus()


def test_focus_lands_on_the_error_summary_of_every_form_and_its_links_on_the_first_control(
    page: Page, site: Site
) -> None:
    # A wizard page: a note longer than allowed, from a browser that ignores maxlength (no question is required:
    # an open question is "don't know").
    start_draft(page, site, "org-readiness")
    page.evaluate("document.getElementById('section_note').removeAttribute('maxlength')")
    page.locator("#section_note").fill("n" * 1001)
    page.get_by_role("button", name="Next").click()
    assert_summary_focused_and_links_land_on_controls(page)
    first = page.locator("#error-summary a").first.get_attribute("href")
    assert first == "#section_note"

    # Joining a team without choosing a department.
    page.goto(f"{site.url}/t/join/{site.respondent}")
    page.get_by_role("button", name="Start answering").click()
    assert_summary_focused_and_links_land_on_controls(page)

    # A team without a name.
    page.goto(f"{site.url}/teams/new?q=org-readiness")
    page.get_by_role("button", name="Create the team").click()
    assert_summary_focused_and_links_land_on_controls(page)

    # /compare with neither link, then with one link that is no link at all.
    page.goto(f"{site.url}/compare")
    page.get_by_role("button", name="Compare").click()
    assert_summary_focused_and_links_land_on_controls(page)
    expect(page.locator("#error-summary a")).to_have_count(2)
    page.locator("#candidate").fill("not a link")
    page.locator("#organisation").fill(f"{site.url}/r/{site.results['org-readiness']}")
    page.get_by_role("button", name="Compare").click()
    assert_summary_focused_and_links_land_on_controls(page)
    expect(page.locator("#error-summary a")).to_have_count(1)
    expect(page.locator("#candidate")).to_have_value("not a link")  # nothing entered is lost

    # /import without a file, then with a file that is not an export.
    page.goto(f"{site.url}/import")
    page.get_by_role("button", name="Import").click()
    assert_summary_focused_and_links_land_on_controls(page)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "notes.json", "mimeType": "application/json", "buffer": b'{"hello": 1}'}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()


def test_save_says_when_it_saved_and_takes_focus_there(page: Page, site: Site) -> None:
    start_draft(page, site, "role-audit")
    answer_page(page, "best", 1)
    page.get_by_role("button", name="Save").click()
    message = page.locator(".flash")
    expect(message).to_have_text(re.compile(r"^Your answers were saved at \d\d:\d\d UTC\.$"))
    expect(message).to_be_focused()
    assert active(page)["role"] == "status"  # a status message, read when focus arrives
    expect(page.locator(".progress")).to_contain_text("Step 1 of")  # it stayed on the page it saved
    checked = page.locator("fieldset.question input:checked")
    expect(checked).to_have_count(page.locator("fieldset.question").count())


def test_copy_is_announced_in_a_live_region(browser: Browser, site: Site) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        result = f"{site.url}/r/{site.results['role-audit']}"
        page.goto(result)
        announcer = page.locator("#announcer")
        assert announcer.get_attribute("role") == "status"
        expect(announcer).to_have_text("")
        page.locator("summary", has_text="Link, copies").click()  # the link sits under a closed section
        page.locator(".copy-button[data-copy='result-url']").click()
        expect(announcer).to_have_text("Private link to this result copied to the clipboard.")
        assert page.evaluate("navigator.clipboard.readText()") == result
        page.locator(".copy-button[data-copy='result-url']").click()  # a second copy is a second announcement
        expect(announcer).to_have_text("Private link to this result copied to the clipboard.")

        page.goto(f"{site.url}/t/{site.admin}")
        page.locator(".copy-button[data-copy='respondent-url']").click()
        expect(page.locator("#announcer")).to_have_text("Respondent link copied to the clipboard.")
        assert page.evaluate("navigator.clipboard.readText()").endswith(f"/t/join/{site.respondent}")
    finally:
        context.close()


def test_counters_keep_quiet_while_typing_and_the_progress_bar_says_how_many(page: Page, site: Site) -> None:
    start_draft(page, site, "role-audit")
    progress = page.get_by_role("progressbar")
    total = len(CATALOG.get("role-audit").questions)
    expect(progress).to_have_attribute("aria-valuetext", f"0 of {total} answered")
    note = page.locator("textarea").first
    counter = page.locator(f"[data-counter-for='{note.get_attribute('id')}']")
    assert counter.get_attribute("aria-live") is None  # the visible count is not read at every keystroke
    assert page.evaluate("el => el.closest('[aria-live]') === null", counter.element_handle())
    maxlength = int(note.get_attribute("maxlength") or 0)
    note.press_sequentially("Shared budget")
    expect(counter).to_have_text(f"13 / {maxlength} characters")
    page.wait_for_timeout(1300)
    expect(page.locator("#announcer")).to_have_text("")  # far from the cap: nothing said
    note.fill("x" * (maxlength - 6))
    note.press_sequentially("y")
    expect(page.locator("#announcer")).to_have_text("5 characters left.")

    answer_page(page, "best", 1)
    page.get_by_role("button", name="Save").click()
    answered = len(CATALOG.get("role-audit").questions_in_section(CATALOG.get("role-audit").sections[0].id))
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuetext", f"{answered} of {total} answered")


def pages_of_every_kind(page: Page, site: Site) -> list[str]:
    """One URL of each kind of page, walking a draft to get the wizard's."""
    start_draft(page, site, "employer-readiness")
    step = page.url
    token = re.search(r"/d/([^/]+)/1$", step)
    assert token
    return [
        "/",
        "/how-scoring-works",
        "/q/role-audit",
        step,
        f"/d/{token.group(1)}/review",
        f"/d/{token.group(1)}/quick",
        f"/d/{token.group(1)}/job-ad",
        "/q/employer-readiness/job-ad",
        *(f"/r/{t}" for t in site.results.values()),
        f"/r/{site.results['role-audit']}/delete",
        "/import",
        "/compare",
        f"/compare/{site.results['employer-readiness']}/{site.results['org-readiness']}",
        f"/compare/{site.results['employer-readiness']}/{site.admin}",
        "/teams/new?q=org-readiness",
        f"/t/{site.admin}",
        f"/t/{site.admin}/delete",
        f"/t/join/{site.respondent}",
        f"/t/join/{site.respondent}/thanks",
        "/api/v1/docs",
        "/r/no-such-result",
    ]


# The WCAG 1.4.12 text-spacing override, as the W3C's test bookmarklet applies it.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


@pytest.mark.parametrize("spacing", [False, True], ids=["plain", "text-spacing"])
def test_every_kind_of_page_reflows_at_320_css_pixels(browser: Browser, site: Site, spacing: bool) -> None:
    """320 CSS pixels is a 1280-pixel window at 400% zoom; the second run adds WCAG 1.4.12's text spacing (the
    page's CSP refuses injected styles, rightly, so this context bypasses it to stand for the user's own)."""
    context: BrowserContext = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=spacing)
    try:
        page = context.new_page()
        wide = []
        for path in pages_of_every_kind(page, site):
            page.goto(path if path.startswith("http") else site.url + path)
            page.wait_for_load_state()
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            if spacing:
                page.add_style_tag(content=TEXT_SPACING)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                culprit = page.evaluate(
                    """() => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > 321)
                        .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > 321))
                        .slice(0, 3)
                        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
                )
                wide.append(f"{page.url}: {width}px ({culprit})")
        assert wide == [], "\n".join(wide)
    finally:
        context.close()


def test_a_comparison_stacks_on_a_phone_and_stays_a_table(phone: Page, site: Site) -> None:
    """Defect: on a phone the four-column comparison was cut off at its last column, the difference itself, and
    broke words mid-way ("Leadershi p"). Each dimension is stacked under its title, every figure labelled from its
    column's header; to a screen reader it is still a table, and the labels are not read twice."""
    phone.goto(f"{site.url}/compare/{site.results['employer-readiness']}/{site.admin}")
    table = phone.locator(".compare-table")
    expect(table).to_be_visible()
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), "the comparison scrolls sideways"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    rows = table.locator("tbody tr")
    assert rows.count() >= 5
    for row in rows.all():
        title, *cells = row.locator("th, td").all()
        boxes = [cell.bounding_box() for cell in (title, *cells)]
        assert all(box is not None for box in boxes)
        tops = [box["y"] for box in boxes if box is not None]
        assert all(above < below for above, below in itertools.pairwise(tops)), "a dimension's figures are not stacked"
        labels = [cell.evaluate("c => getComputedStyle(c, '::before').content") for cell in cells]
        assert ["Candidate" in labels[0], "Team median" in labels[1], "Difference" in labels[2]] == [True] * 3, labels
    tree = table.aria_snapshot()
    assert tree.startswith("- table")
    assert '- columnheader "Candidate"' in tree
    assert "rowheader" in tree
    assert "Candidate:" not in tree  # the visual labels are decoration: the headers already name each cell
