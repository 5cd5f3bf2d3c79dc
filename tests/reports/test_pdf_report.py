"""The PDF report: valid, complete, tagged, attachment-free, warning-free; served with the right headers."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import Walker
from tests.reports.pdfs import SLUGS, contents, pdf_text, read_pdf, squash, varied_answers, weakest_answers

PAGES = {  # the expected page range per questionnaire, for a mixed and a worst-case answer set
    "employer-readiness": (7, 30),
    "role-audit": (7, 30),
    "org-readiness": (7, 30),
}


def download(client: FlaskClient, token: str, query: str = "", **headers: str) -> Any:
    response = client.get(f"/r/{token}/report.pdf{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response


def weasyprint_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What WeasyPrint logged at WARNING or above while the test captured its log."""
    return [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("answer_set", ["varied", "weakest"])
def test_pdf_holds_the_score_flags_and_questions_and_logs_no_warning(
    client: FlaskClient,
    make_result: Callable[..., Any],
    questionnaire: Callable[[str], Any],
    caplog: pytest.LogCaptureFixture,
    slug: str,
    answer_set: str,
) -> None:
    q = questionnaire(slug)
    answers = varied_answers(q) if answer_set == "varied" else weakest_answers(q)
    token, result = make_result(slug, answers)
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        data = download(client, token).data
    assert weasyprint_warnings(caplog) == []

    reader = read_pdf(data)
    low, high = PAGES[slug]
    assert low <= len(reader.pages) <= high
    text = pdf_text(data)
    main = result.parts[q.main_part.id]
    assert main.score is not None
    assert squash(f"{main.score:.0f}/100") in text
    assert squash(main.band_label) in text
    for flag in result.flags:
        assert squash(flag.title) in text
    for item in (*result.interview_questions, *result.probes):
        assert squash(item.ask) in text
        assert squash(item.why) in text
    for action in result.action_plan[:3]:
        assert squash(action.title) in text
    for criterion in q.criteria:  # the appendix lists every criterion with its id
        assert squash(criterion.id) in text
    for figure in q.figures:  # and every source with its year
        assert squash(f"{figure.source}, {figure.year}") in text
    if slug == "employer-readiness":
        assert squash("Sharpen your pitch") in text
        for advice in result.pitch_advice:
            assert squash(advice.title) in text
    if slug == "role-audit":
        assert squash("Exposure to the six challenges") in text
        assert squash("Talking points for other departments") in text
    if slug == "org-readiness":
        assert squash("What to fix before hiring") in text
        assert squash("What a savvy candidate will probe") in text


@pytest.mark.parametrize("slug", SLUGS)
def test_contents_on_the_cover_give_the_page_each_section_starts_on(
    client: FlaskClient, make_result: Callable[..., Any], slug: str
) -> None:
    token, _ = make_result(slug, notes={"leadership": "Ask who signs off the budget."}, label="Acme")
    reader = read_pdf(download(client, token).data)
    entries = contents(reader)
    titles = [title for title, _ in entries]
    assert titles[0] == "Summary"
    assert titles[-1].startswith("Appendix")
    assert "Your notes" in titles
    # The bookmarks come from the section headings themselves: each entry must agree with its heading's page.
    top_level = [item for item in reader.outline if not isinstance(item, list)]
    bookmarks = {item.title: reader.get_destination_page_number(item) + 1 for item in top_level}
    for entry, page in entries:
        pages = [start for title, start in bookmarks.items() if entry.startswith(title)]
        assert pages, (entry, bookmarks)
        assert page == pages[0], (entry, bookmarks)
    assert len({page for _, page in entries}) > 3  # real numbers, not one page repeated


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
    # Each link's alternate description is its own words (the contents' titles), not its target's id.
    links = [annotation.get_object() for annotation in reader.pages[0].get("/Annots") or []]
    described = {str(link["/Contents"]) for link in links if link["/Subtype"] == "/Link"}
    assert described == {title for title, _ in contents(reader)}
    assert all(str(link["/Contents"]) != str(link["/Dest"]) for link in links)


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


@pytest.mark.parametrize("script", list(WORLD_TEXT))
def test_typed_text_in_any_script_is_printed_with_real_glyphs(
    client: FlaskClient, make_result: Callable[..., Any], caplog: pytest.LogCaptureFixture, script: str
) -> None:
    """No empty boxes: WeasyPrint warns when it draws .notdef for a character no installed font has."""
    typed = WORLD_TEXT[script]
    token, _ = make_result("employer-readiness", label=typed, notes={"leadership": f"{typed}: ask about the budget"})
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        data = download(client, token).data
    assert weasyprint_warnings(caplog) == []
    if script not in ("Arabic", "Hebrew"):  # right-to-left text is extracted in visual order
        assert squash(typed) in pdf_text(data)


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
    client: FlaskClient, make_result: Callable[..., Any], query: str, language: str, size: str
) -> None:
    token, _ = make_result("role-audit")
    headers = {"Accept-Language": language} if language else {}
    page = read_pdf(download(client, token, query, **headers).data).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    expected = (612, 792) if size == "letter" else (595.3, 841.9)
    assert abs(width - expected[0]) < 1
    assert abs(height - expected[1]) < 1


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


def test_a_long_plan_shows_eight_steps_in_full_and_lists_the_rest_by_title(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Any]
) -> None:
    q = questionnaire("role-audit")
    token, result = make_result("role-audit", weakest_answers(q))
    plan = result.action_plan
    assert len(plan) > 8, "the weakest answers should give a plan longer than the paper shows in full"
    text = pdf_text(download(client, token).data)
    assert squash("Also on the list") in text
    full, rest = text.split(squash("Also on the list"), 1)
    for step in plan[:8]:
        assert squash(step.text) in full  # the first eight with their explanation
    for number, step in enumerate(plan[8:], start=9):
        assert squash(f"{number}. {step.title}") in rest  # the rest by number and title
        assert squash(step.text) not in rest
    # The results page keeps every step in full.
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert "Also on the list" not in page
    for step in plan:
        assert step.title in page or step.title.replace("'", "&#39;") in page
