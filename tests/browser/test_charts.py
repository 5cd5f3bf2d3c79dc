"""The score charts on the results and team pages, in real Chromium: no label clipped under WCAG 1.4.12 text
spacing (each label's scroll size against its box), legible at 320 CSS pixels, drawn in system colours under
forced colours on a dark theme, named once, and tied to the table that holds the same figures."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from assess import store
from assess.core import result_to_dict, score
from tests.browser.conftest import browser_app, serve
from tests.conftest import session_catalog
from tests.jobs.helpers import make_team

pytestmark = pytest.mark.browser
CATALOG = session_catalog()

# The WCAG 1.4.12 text-spacing override, as the W3C's test bookmarklet applies it.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

CLIPPED = """() => [...document.querySelectorAll('.bar-chart .bar-label, .bar-chart .bar-value, .bar-chart .bar-ticks')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1
              || e.getBoundingClientRect().right > e.closest('.chart-figure').getBoundingClientRect().right + 1
              || e.getBoundingClientRect().right > document.documentElement.clientWidth)
    .map(e => `${e.textContent} (${e.scrollWidth}x${e.scrollHeight} in ${e.clientWidth}x${e.clientHeight})`)"""


@pytest.fixture(scope="module")
def chart_pages(tmp_path_factory: pytest.TempPathFactory, migrated_db: Path) -> Iterator[list[str]]:
    """The results page of each questionnaire (the longest labels answered, some dimensions unknown, and a
    re-audit for the previous-score marks) and a team page, served on loopback."""
    database = tmp_path_factory.mktemp("charts") / "charts.sqlite3"
    shutil.copy(migrated_db, database)
    app = browser_app(database)
    paths = []
    with app.app_context():
        for questionnaire in CATALOG.questionnaires.values():
            answers = {q.id: q.options[i % len(q.options)].id for i, q in enumerate(questionnaire.questions)}
            first = store.create_assessment(
                questionnaire.slug, questionnaire.version, answers, result_to_dict(score(questionnaire, answers))
            )
            better = {q.id: q.options[0].id for q in questionnaire.questions}
            again = store.create_assessment(
                questionnaire.slug,
                questionnaire.version,
                better,
                result_to_dict(score(questionnaire, better)),
                previous_token=first.token,
            )
            paths += [f"/r/{first.token}", f"/r/{again.token}"]
    admin, _ = make_team(app)
    paths.append(f"/t/{admin}")
    with serve(app) as url:
        yield [url + path for path in paths]


def open_charts(page: Page, url: str) -> None:
    page.goto(url)
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert page.locator(".bar-chart .bar-row").count() >= 3, url


def test_no_chart_label_is_clipped_under_text_spacing_at_any_width(browser: Browser, chart_pages: list[str]) -> None:
    for width in (1280, 320):
        # bypass_csp: the page's CSP (rightly) refuses the injected style sheet that stands for the user's own.
        context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
        try:
            page = context.new_page()
            for url in chart_pages:
                open_charts(page, url)
                page.add_style_tag(content=TEXT_SPACING)
                spacing = page.evaluate("getComputedStyle(document.querySelector('.bar-label')).letterSpacing")
                assert spacing != "normal", "the override did not apply"
                assert page.evaluate(CLIPPED) == [], f"{url} at {width}px"
                assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{url} at {width}px"
        finally:
            context.close()


def test_charts_are_legible_at_320_pixels(browser: Browser, chart_pages: list[str]) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        for url in chart_pages:
            open_charts(page, url)
            sizes = page.eval_on_selector_all(
                ".bar-chart .bar-label, .bar-chart .bar-value",
                "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
            )
            assert min(sizes) >= 14, (url, sizes)  # the page's own text size, not a picture scaled down
            assert page.evaluate(CLIPPED) == [], url
            bars = page.eval_on_selector_all(
                ".bar-chart .bar-track", "els => els.map(e => e.getBoundingClientRect().width)"
            )
            assert min(bars) >= 150, (url, bars)  # room to tell 40 from 60
    finally:
        context.close()


def test_forced_colours_draw_the_chart_in_system_colours(browser: Browser, chart_pages: list[str]) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.emulate_media(forced_colors="active", color_scheme="dark")
        for url in chart_pages:
            open_charts(page, url)
            seen = page.evaluate(
                """() => {
                    const canvas = getComputedStyle(document.body).backgroundColor;
                    const paint = [...document.querySelectorAll('.bar-chart rect.bar')]
                        .map(e => getComputedStyle(e).fill);
                    const text = [...document.querySelectorAll('.bar-chart .bar-label, .bar-chart .bar-value')]
                        .map(e => getComputedStyle(e).color);
                    const probe = document.createElement('span');
                    probe.style.color = 'CanvasText';
                    document.body.appendChild(probe);
                    const canvasText = getComputedStyle(probe).color;
                    probe.remove();
                    return {canvas, paint, text, canvasText};
                }"""
            )
            assert seen["paint"], url
            assert set(seen["paint"]) == {seen["canvasText"]}, (url, seen)  # the bars in the theme's text colour
            assert seen["canvas"] != seen["canvasText"], seen
            assert set(seen["text"]) == {seen["canvasText"]}, (url, seen)  # labels and figures too
    finally:
        context.close()


def test_each_chart_is_named_once_and_points_at_its_table(page: Page, chart_pages: list[str]) -> None:
    for url in chart_pages:
        open_charts(page, url)
        for figure in page.locator(".chart-figure").all():
            snapshot = figure.aria_snapshot()
            caption = figure.locator("figcaption").inner_text().strip()
            assert snapshot.count(caption[:40]) == 1, (url, snapshot)  # the caption once; the drawing hidden
            assert "img" not in snapshot, (url, snapshot)
            assert figure.locator(".bar-chart").get_attribute("aria-hidden") == "true"
            table_id = figure.get_attribute("aria-details")
            assert table_id, url
            table = page.locator(f"table#{table_id}")
            assert table.count() == 1, (url, table_id)
            # The table holds every figure the chart draws.
            figures = [v.strip() for v in figure.locator(".bar-value").all_inner_texts()]
            cells = table.inner_text()
            for value in figures:
                assert value in cells or value == "not enough answers", (url, value)
