"""The report as a coach: the verdict, honest about what is unknown; nothing said twice; changes as printed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from assess import store
from assess.core import UNKNOWN, Questionnaire, score
from assess.core.findings import rank_findings
from assess.extensions import db
from assess.reports.context import LOW_NAME
from tests.reports.pdfs import SLUGS, pdf_text, squash

CRITERION_ID = re.compile(r"\b(?:ER|RA|CP|CH|HM)-[A-Z]+\b")


def best(q: Questionnaire) -> dict[str, str]:
    return {x.id: max(x.options, key=lambda o: o.points).id for x in q.questions}


def text_of(html: str) -> str:
    """The page's text, tags dropped and entities unescaped, whitespace squeezed."""
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_good_score_on_few_answers_never_says_ready_or_negotiate_with_confidence(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Questionnaire]
) -> None:
    q = questionnaire("employer-readiness")
    answers = {x.id: UNKNOWN for x in q.questions}
    for x in q.questions[:6]:  # a handful of glowing answers, the rest unknown
        answers[x.id] = max(x.options, key=lambda o: o.points).id
    token, result = make_result(q.slug, answers)
    assert result.overall.band == "ready", "the score alone would call the employer ready"
    page = text_of(client.get(f"/r/{token}").get_data(as_text=True))
    assert result.overall.band_label not in page
    assert "negotiate with confidence" not in page
    assert LOW_NAME in page
    assert "Confidence: low." in page
    assert "Find out first" in page
    findings = rank_findings(q, result, answers)
    assert findings[0].state == "unknown"
    assert text_of(str(escape(findings[0].ask))) in page


@pytest.mark.parametrize("slug", SLUGS)
def test_nothing_known_says_so_and_never_that_no_red_flag_was_raised(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Questionnaire], slug: str
) -> None:
    q = questionnaire(slug)
    token, _ = make_result(slug, {x.id: UNKNOWN for x in q.questions})
    html = client.get(f"/r/{token}").get_data(as_text=True)
    page = text_of(html)
    assert "Nothing is known yet" in page
    assert "No red flag" not in page
    assert "Too little is known to rule out a red flag" in page
    pdf = pdf_text(client.get(f"/r/{token}/report.pdf?size=a4").data)
    assert squash("No red flag") not in pdf
    assert squash("Nothing is known yet") in pdf


def test_no_area_is_called_strongest_or_weakest_on_one_answer(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Questionnaire]
) -> None:
    q = questionnaire("role-audit")
    answers = {x.id: UNKNOWN for x in q.questions}
    firsts = {}
    for x in q.questions:
        firsts.setdefault(x.dimension, x)
    one, two = list(firsts.values())[:2]
    answers[one.id] = max(one.options, key=lambda o: o.points).id
    answers[two.id] = min(two.options, key=lambda o: o.points).id
    token, _ = make_result(q.slug, answers)
    for text in (
        text_of(client.get(f"/r/{token}").get_data(as_text=True)),
        pdf_text(client.get(f"/r/{token}/report.pdf").data),
    ):
        for claim in ("Strongest area", "Weakest area", "Only area scored", "strongest", "weakest"):
            assert squash(claim) not in squash(text)


@pytest.mark.parametrize("slug", SLUGS)
def test_one_verdict_name_everywhere_and_no_criterion_id_outside_the_method(
    client: FlaskClient, make_result: Callable[..., Any], slug: str
) -> None:
    token, result = make_result(slug)
    html = client.get(f"/r/{token}").get_data(as_text=True)
    outside = html.split('id="detail-method"')[0]
    assert not CRITERION_ID.findall(text_of(outside))
    assert CRITERION_ID.findall(text_of(html.split('id="detail-method"')[1]))  # the methodology names them
    assert "points" not in text_of(outside)
    if result.verdict is not None:  # a strategist's verdict is the career path; the band's label is not shown
        assert result.verdict.title in text_of(outside)
        assert result.overall.band_label not in text_of(html)


@pytest.mark.parametrize("slug", SLUGS)
def test_no_finding_is_said_twice_on_the_page_or_in_the_pdf(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Questionnaire], slug: str
) -> None:
    q = questionnaire(slug)
    answers = {x.id: min(x.options, key=lambda o: o.points).id for x in q.questions}
    token, result = make_result(slug, answers)
    page = text_of(client.get(f"/r/{token}").get_data(as_text=True))
    pdf = pdf_text(client.get(f"/r/{token}/report.pdf?size=a4").data)
    for finding in rank_findings(q, result, answers):
        for words in {finding.action, finding.why, finding.ask} - {""}:
            assert page.count(" ".join(words.split())) <= 1, words
            assert pdf.count(squash(words)) <= 1, words


def test_a_hiring_managers_fixes_each_say_what_a_candidate_will_ask_and_no_finding_is_named_twice(
    client: FlaskClient, make_result: Callable[..., Any], questionnaire: Callable[[str], Questionnaire]
) -> None:
    """Defect: "What a candidate will ask" named every fix again, red flag and all, with its question. Each fix now
    carries the question a candidate will ask about it; that list keeps only the areas answered well."""
    q = questionnaire("org-readiness")
    answers = best(q)
    weak = sorted({x.criterion for x in q.questions})[::2]  # every other criterion: fixes, and strengths besides
    for x in q.questions:
        if x.criterion in weak:
            answers[x.id] = min(x.options, key=lambda o: o.points).id
    token, result = make_result(q.slug, answers)
    html = client.get(f"/r/{token}").get_data(as_text=True)
    page = text_of(html)
    pdf = pdf_text(client.get(f"/r/{token}/report.pdf?size=a4").data)
    pdf = pdf.split(squash("Appendix: the detail behind this report"))[0]  # the appendix names each point's answers
    findings = rank_findings(q, result, answers)
    main = q.main_part.id
    fixes = [f for f in findings if f.state != "strong" and f.ask and f.ask != f.action]
    probes = [f for f in findings if f.state == "strong" and f.part == main and f.ask]
    assert fixes, "the case under test: fixes with a question a candidate will ask"
    assert probes, "the case under test: strengths a candidate still probes"
    for f in findings:
        listed = f.state != "strong" or f in probes  # every fix, on the page or under "Show N more fixes"
        assert html.count(f"<strong>{escape(f.title)}.</strong>") == (1 if listed else 0), f.title
    for f in fixes:
        assert page.count(text_of(f"A candidate will ask: “{escape(f.ask)}”")) == 1, f.title
    probe_section = text_of(html.split('id="probes-title"', 1)[1].split("</section>", 1)[0])
    assert [f for f in probes if text_of(str(escape(f.ask))) in probe_section] == probes
    assert not [f.title for f in fixes if text_of(str(escape(f.title))) in probe_section]
    # On paper, the fixes it prints carry their questions, and no title is printed twice before the appendix.
    printed = [f for f in fixes if squash(f.title) in pdf]
    assert len(printed) >= 3
    for f in printed:
        assert pdf.count(squash(f.title + ".")) == 1, f.title
        assert squash(f"A candidate will ask: “{f.ask}”") in pdf, f.title


def test_a_reaudit_shows_each_change_as_the_difference_of_the_printed_scores(
    client: FlaskClient, app: Flask, make_result: Callable[..., Any], questionnaire: Callable[[str], Questionnaire]
) -> None:
    """Defect: 83 to 46 was shown as "down 38" (the unrounded 83.4 - 45.5)."""
    q = questionnaire("role-audit")
    first, _ = make_result(q.slug, best(q))
    second, _ = make_result(q.slug, best(q))
    with app.app_context():
        earlier, later = store.get_assessment(first), store.get_assessment(second)
        for assessment, value in ((earlier, 83.4), (later, 45.5)):
            snapshot = dict(assessment.result)
            snapshot["dimensions"] = [dict(d) for d in snapshot["dimensions"]]
            snapshot["dimensions"][0]["score"] = value
            assessment.result = snapshot
        later.previous_token = first
        db.session.commit()
    html = client.get(f"/r/{second}").get_data(as_text=True)
    row = re.search(r"<tr><th scope=\"row\">[^<]*</th><td>83</td><td>46</td>\s*<td>([^<]*)</td>", html)
    assert row, "the first area's change is listed"
    assert "down 37" in row.group(1)
    assert score(q, best(q)).overall.score is not None
