"""The PDF report: valid, complete, tagged, attachment-free, warning-free; served with the right headers."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from tests.helpers import Walker
from tests.reports.pdfs import SLUGS, page_texts, pdf_text, read_pdf, squash, varied_answers, weakest_answers

MAIN_PAGES = 4
"""The most pages the report itself may take, before its appendix, for every path and answer set."""


def download(client: FlaskClient, token: str, query: str = "", **headers: str) -> Any:
    response = client.get(f"/r/{token}/report.pdf{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response


def weasyprint_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What WeasyPrint logged at WARNING or above while the test captured its log."""
    return [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]


def all_unknown(q: Any) -> dict[str, str]:
    return {x.id: "unknown" for x in q.questions}


def all_best(q: Any) -> dict[str, str]:
    return {x.id: max(x.options, key=lambda o: o.points).id for x in q.questions}


ANSWER_SETS = {"varied": varied_answers, "weakest": weakest_answers, "unknown": all_unknown, "best": all_best}


def appendix_start(pages: list[str]) -> int:
    """The index of the page the appendix starts on (its heading opens the page), from each page's squashed text."""
    for index, page in enumerate(pages):
        if squash("Appendix: the detail behind this report") in page:
            return index
    raise AssertionError("no appendix")


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("answer_set", list(ANSWER_SETS))
def test_page_one_is_the_answer_the_report_fits_four_pages_and_the_appendix_follows_marked(
    client: FlaskClient,
    make_result: Callable[..., Any],
    questionnaire: Callable[[str], Any],
    caplog: pytest.LogCaptureFixture,
    slug: str,
    answer_set: str,
) -> None:
    from assess.core.findings import CAPS
    from assess.web.results import load_report

    q = questionnaire(slug)
    answers = ANSWER_SETS[answer_set](q)
    token, _ = make_result(slug, answers)
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        full = download(client, token, "?size=a4").data
        main_only = download(client, token, "?size=a4&appendix=0").data
    assert weasyprint_warnings(caplog) == []
    with client.application.app_context():
        from assess import store

        report = load_report(store.get_assessment(token))

    pages, short = [squash(text) for text in page_texts(full)], page_texts(main_only)
    assert len(short) <= MAIN_PAGES
    start = appendix_start(pages)
    assert start == len(short)  # the appendix starts on a page of its own, right after the report
    main_text = squash("".join(short))
    assert "Appendix" not in main_text

    first = pages[0]
    assert squash(report.verdict_name) in first
    assert squash(report.verdict_sentence) in first
    assert squash(f"Confidence: {report.confidence_word}.") in first
    for move in report.next_moves:
        assert squash(f"{move.title}. {move.action}") in first

    assert squash("Also on the list") not in main_text
    for criterion in q.criteria:  # ids only in the appendix's methodology
        assert squash(criterion.id) not in main_text
    appendix = "".join(pages[start:])
    for criterion in q.criteria:
        assert squash(criterion.id) in appendix
    for figure in q.figures:  # every source with its year
        assert squash(f"{figure.source}, {figure.year}") in appendix
    if q.audience == "job-seeker":  # the interview checklist: at most ten questions, each with room to write
        asked = list(report.next_moves) + report.listed["questions"][0]
        assert len(asked) <= CAPS["questions"]
        for finding in asked:
            assert squash(finding.action) in main_text


@pytest.mark.parametrize("slug", SLUGS)
def test_each_section_heading_is_a_bookmark(client: FlaskClient, make_result: Callable[..., Any], slug: str) -> None:
    token, _ = make_result(slug, notes={"leadership": "Ask who signs off the budget."}, label="Acme")
    reader = read_pdf(download(client, token).data)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[-1].startswith("Appendix")
    assert "Your notes" in titles


@pytest.mark.parametrize("slug", SLUGS)
def test_pdf_is_tagged_titled_in_english_describes_its_links_and_carries_no_attachment(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Any], slug: str
) -> None:
    token, _ = make_result(slug)
    reader = read_pdf(download(client, token).data)
    root: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert "/Metadata" in root  # XMP, with the PDF/UA identification
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    info = reader.metadata
    assert info is not None
    assert questionnaire(slug).title in (info.title or "")
    assert info.author == "Escape Velocity"
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object()["/Subtype"] != "/FileAttachment"
    # Each link's alternate description is its own words, not its target's id.
    links = [a.get_object() for page in reader.pages for a in page.get("/Annots") or []]
    assert all(str(link["/Contents"]) != str(link.get("/Dest")) for link in links if link["/Subtype"] == "/Link")


def test_wizard_result_downloads_with_its_label_and_notes_as_text(
    client: FlaskClient, app: Flask, questionnaire: Callable[[str], Any]
) -> None:
    from assess.web.forms import LABEL_FIELD, NOTE_FIELD

    q = questionnaire("employer-readiness")
    walker = Walker(client, q)
    draft = walker.start()
    hostile = '<img src="file:///etc/passwd"> Acme & Co'
    answers = varied_answers(q, seed=2)
    first = walker.page_data(draft, 1, answers, {LABEL_FIELD: hostile, NOTE_FIELD: "Ask about <b>budget</b>"})
    assert client.post(f"/d/{draft}/1", data={**first, "action": "next"}).status_code == 302
    for step in range(2, len(q.sections) + 1):
        data = walker.page_data(draft, step, answers)
        assert client.post(f"/d/{draft}/{step}", data={**data, "action": "next"}).status_code == 302
    token = walker.submit(draft)
    response = download(client, token)
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(
        r'attachment; filename="escape-velocity-employer-readiness-\d{4}-\d{2}-\d{2}\.pdf"', disposition
    )
    assert response.headers["Cache-Control"] == "no-store"
    text = pdf_text(response.data)
    assert squash(hostile) in text  # typed text is printed as text, never followed
    assert squash("Ask about <b>budget</b>") in text
    reader = read_pdf(response.data)
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        assert "/XObject" not in resources or not any(
            x.get_object().get("/Subtype") == "/Image" for x in resources["/XObject"].values()
        )


WORLD_TEXT = {
    # script: typed text a person might give an employer, a role or a note
    "Japanese": "株式会社ノースウィンド",
    "Chinese": "北风贸易有限公司",
    "Korean": "노스윈드 무역",
    "full-width Latin": "ＮＯＲＴＨＷＩＮＤ",
    "Arabic": "شركة نورثويند",
    "Hebrew": "נורת'וינד",
    "Cyrillic": "Нортвинд Трейдерс",
    "Greek": "Νόρθγουιντ",
    "Latin with accents": "Société Générale, Ærø, Łódź",
}


SCRIPT_GROUPS = {
    # One report a group, each script in the label and in a note of its own: the right-to-left scripts apart, since
    # their text is extracted in visual order and would scramble the left-to-right text on the same line.
    "left-to-right": [script for script in WORLD_TEXT if script not in ("Arabic", "Hebrew")],
    "right-to-left": ["Arabic", "Hebrew"],
}


@pytest.mark.parametrize("group", list(SCRIPT_GROUPS))
def test_typed_text_in_any_script_is_printed_with_real_glyphs(
    client: FlaskClient,
    make_result: Callable[..., Any],
    questionnaire: Callable[[str], Any],
    caplog: pytest.LogCaptureFixture,
    group: str,
) -> None:
    """No empty boxes: WeasyPrint warns when it draws .notdef for a character no installed font has."""
    scripts = SCRIPT_GROUPS[group]
    label = " · ".join(WORLD_TEXT[script] for script in scripts)
    sections = questionnaire("employer-readiness").sections
    notes: dict[str, str] = {}
    for index, script in enumerate(scripts):  # a note each, round the sections
        section = sections[index % len(sections)].id
        notes[section] = f"{notes[section]}\n" if section in notes else ""
        notes[section] += f"{WORLD_TEXT[script]}: ask about the budget"
    token, _ = make_result("employer-readiness", label=label, notes=notes)
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        data = download(client, token).data
    assert weasyprint_warnings(caplog) == []
    if group == "left-to-right":
        text = pdf_text(data)
        for script in scripts:
            assert squash(WORLD_TEXT[script]) in text, script


def test_emoji_in_a_label_are_drawn_not_boxed(
    client: FlaskClient, make_result: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    token, _ = make_result("role-audit", label="Social team 🚀✨ (me 👩🏽‍💻)")
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        read_pdf(download(client, token).data)
    assert weasyprint_warnings(caplog) == []


@pytest.mark.parametrize(
    ("query", "language", "size"),
    [
        ("", "en-US,en;q=0.9", "letter"),
        ("", "es-MX", "letter"),
        ("", "fr-CA,fr;q=0.8", "letter"),
        ("", "en-GB,en;q=0.9", "a4"),
        ("", "de-DE", "a4"),
        ("", "", "a4"),
        ("?size=a4", "en-US", "a4"),
        ("?size=letter", "de-DE", "letter"),
    ],
)
def test_paper_size_from_the_query_or_the_browser_language(
    client: FlaskClient,
    make_result: Callable[..., Any],
    stub_renderer: list[str],
    query: str,
    language: str,
    size: str,
) -> None:
    """Which paper a download is laid out on (the layout itself, stubbed here, is measured in the next test)."""
    token, _ = make_result("role-audit")
    headers = {"Accept-Language": language} if language else {}
    download(client, token, query, **headers)
    assert stub_renderer == [size]


@pytest.mark.parametrize(("size", "points"), [("a4", (595.3, 841.9)), ("letter", (612, 792))])
def test_each_paper_size_lays_the_pdf_out_on_that_paper(
    client: FlaskClient, make_result: Callable[..., Any], size: str, points: tuple[float, float]
) -> None:
    token, _ = make_result("role-audit")
    for page in read_pdf(download(client, token, f"?size={size}").data).pages:
        assert abs(float(page.mediabox.width) - points[0]) < 1
        assert abs(float(page.mediabox.height) - points[1]) < 1


def test_results_page_offers_the_pdf_with_the_paper_from_the_browser_language(
    client: FlaskClient, make_result: Callable[..., Any]
) -> None:
    token, _ = make_result("org-readiness")
    us = client.get(f"/r/{token}", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert f'action="/r/{token}/report.pdf"' in us
    assert '<option value="letter" selected>' in us
    uk = client.get(f"/r/{token}", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert '<option value="a4" selected>' in uk


def test_unknown_paper_size_is_400_and_unknown_result_404(client: FlaskClient, make_result: Callable[..., Any]) -> None:
    token, _ = make_result("role-audit")
    assert client.get(f"/r/{token}/report.pdf?size=tabloid").status_code == 400
    assert client.get("/r/no-such-token/report.pdf").status_code == 404


def test_a_long_plan_prints_its_first_seven_steps_and_counts_the_rest_for_the_results_page(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Any]
) -> None:
    from assess.core.findings import CAPS, rank_findings

    q = questionnaire("role-audit")
    answers = weakest_answers(q)
    token, result = make_result("role-audit", answers)
    findings = rank_findings(q, result, answers)
    assert len(findings) > CAPS["plan"], "the weakest answers should give a plan longer than the cap"
    text = pdf_text(download(client, token, "?appendix=0").data)
    assert squash("Also on the list") not in text
    for finding in findings[: CAPS["plan"]]:
        assert squash(finding.action) in text
    for finding in findings[CAPS["plan"] :]:
        assert squash(finding.action) not in text
    assert squash(f"{len(findings) - CAPS['plan']} more steps on your results page") in text
    # The results page keeps every step, the rest under a closed "Show more".
    page = client.get(f"/r/{token}").get_data(as_text=True)
    more = page.split('<details class="more">')[1].split("</details>")[0]
    for finding in findings[CAPS["plan"] :]:
        assert str(escape(finding.action)) in more


def test_the_challenges_heading_and_its_sentence_stay_on_the_page_of_their_table(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Any]
) -> None:
    """Defect: on a job seeker's appendix, "Exposure to the six challenges" and its sentence ended page 3 and the
    table began page 4. These answers (every other criterion at its weakest) laid it out that way."""
    q = questionnaire("employer-readiness")
    weak = sorted({x.criterion for x in q.questions})[::2]
    answers = {x.id: (min if x.criterion in weak else max)(x.options, key=lambda o: o.points).id for x in q.questions}
    token, result = make_result(q.slug, answers)
    pages = [squash(text) for text in page_texts(download(client, token, "?size=a4").data)]
    heading = [index for index, text in enumerate(pages) if squash("Exposure to the six challenges") in text]
    assert len(heading) == 1
    page = pages[heading[0]]
    assert squash("Higher means more exposed.") in page
    assert squash(result.challenges[0].title) in page.split(squash("Exposure to the six challenges"))[1]
