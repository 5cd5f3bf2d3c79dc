"""The results page, re-audits with what changed, and deletion for good."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask, template_rendered
from flask.testing import FlaskClient
from jinja2 import Template
from markupsafe import escape

from assess import store
from assess.core import UNKNOWN
from assess.web import results
from tests.helpers import Walker, csrf_token


def worst(questionnaire) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {q.id: min(q.options, key=lambda o: o.points).id for q in questionnaire.questions}


def best(questionnaire) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {q.id: max(q.options, key=lambda o: o.points).id for q in questionnaire.questions}


def make_result(
    walker: Callable[[str], Walker], slug: str, answers: dict[str, str] | None = None
) -> tuple[Walker, str]:
    w = walker(slug)
    token = w.start()
    w.answer_all(token, answers if answers is not None else worst(w.questionnaire))
    return w, w.submit(token)


def test_result_page_explains_flags_with_the_answers_behind_them(walker, client: FlaskClient, app: Flask) -> None:  # type: ignore[no-untyped-def]
    w, token = make_result(walker, "employer-readiness")
    html = client.get(f"/r/{token}").get_data(as_text=True)
    with app.app_context():
        flags = store.get_assessment(token).result["flags"]
    assert any(f["severity"] == "critical" for f in flags)
    assert "Why these" in html  # each finding's reason and answers, one click away
    for flag in flags:
        assert str(escape(flag["title"])) in html
        for question_id in flag["questions"]:
            question = w.questionnaire.question(question_id)
            assert str(escape(question.text)) in html


def test_job_seeker_result_lists_interview_questions_from_weak_and_unknown_answers(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    w = walker("employer-readiness")
    answers = best(w.questionnaire)
    weak_question = w.questionnaire.questions[0]
    answers[weak_question.id] = min(weak_question.options, key=lambda o: o.points).id
    unknown_question = w.questionnaire.questions[1]
    answers[unknown_question.id] = UNKNOWN
    token = w.start()
    w.answer_all(token, answers)
    html = client.get(f"/r/{w.submit(token)}").get_data(as_text=True)
    assert "Ask these first" in html
    moves = html.split("Ask these first")[1].split("</ol>")[0]
    assert str(escape(weak_question.ask)) in moves
    assert str(escape(unknown_question.ask)) in moves


def test_strategist_result_gives_a_verdict_with_reasons(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    _, token = make_result(walker, "role-audit")
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert '<h1 id="verdict-title">Social media help desk</h1>' in html
    assert "Your next moves" in html
    assert "The rest of your plan" in html


def test_hiring_manager_result_shows_probes_and_fixes(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    """Every answer the weakest: every probe is a fix's, said with it; nothing was answered well to probe besides."""
    _, token = make_result(walker, "org-readiness")
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert "Fix these first" in html
    assert "More to fix before hiring" in html
    assert html.count("A candidate will ask: “") >= 3
    assert "What else a candidate will ask" not in html


def test_a_hiring_manager_with_nothing_to_fix_is_told_what_a_candidate_will_ask(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    """Every answer the strongest: the first moves are a candidate's questions, not the job seeker's "Confirm these in
    the interview"; the rest follow under "What else a candidate will ask"."""
    w = walker("org-readiness")
    strongest = {q.id: max(q.options, key=lambda o: o.points).id for q in w.questionnaire.questions}
    _, token = make_result(walker, "org-readiness", strongest)
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert '<h2 id="moves-title" class="moves-title">A candidate will ask these first</h2>' in html
    assert "What else a candidate will ask" in html
    assert "Confirm these in the interview" not in html


def test_result_shows_label_notes_and_dated_figures(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    w = walker("role-audit")
    token = w.start()
    data = w.page_data(
        token, 1, {}, {"label": "Globex <b>social</b>", "section_note": "Ask about the budget", "action": "save"}
    )
    client.post(f"/d/{token}/1", data=data)
    html = client.get(f"/r/{w.submit(token)}").get_data(as_text=True)
    assert "Globex &lt;b&gt;social&lt;/b&gt;" in html  # escaped, never markup
    assert "Ask about the budget" in html
    figure = w.questionnaire.figures[0]
    assert f"{figure.year}" in html


def test_reaudit_prefills_the_answers_and_shows_what_changed(walker, client: FlaskClient, app: Flask) -> None:  # type: ignore[no-untyped-def]
    w, first = make_result(walker, "role-audit")
    page = client.get(f"/r/{first}").get_data(as_text=True)
    response = client.post(f"/r/{first}/reaudit", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    draft_token = re.search(r"/d/([^/]+)/1$", response.headers["Location"]).group(1)
    with app.app_context():
        draft = store.get_draft(draft_token)
        assert draft.answers == store.get_assessment(first).answers
        assert draft.previous_token == first
    w.answer_all(draft_token, best(w.questionnaire))
    second = w.submit(draft_token)
    html = client.get(f"/r/{second}").get_data(as_text=True)
    assert "Since your previous result" in html
    assert f'href="/r/{first}"' in html or f"/r/{first}" in html
    assert "▲ up" in html
    assert "Cleared:" in html  # the worst answers raised flags that the best ones clear


def test_a_reaudit_draft_says_it_updates_an_earlier_result(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    _, first = make_result(walker, "role-audit")
    page = client.get(f"/r/{first}").get_data(as_text=True)
    step = client.post(f"/r/{first}/reaudit", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    html = step.get_data(as_text=True)
    assert "An update of" in html
    assert f'href="/r/{first}"' in html


def test_delete_asks_first_then_erases_result_and_draft(walker, client: FlaskClient, app: Flask) -> None:  # type: ignore[no-untyped-def]
    w = walker("role-audit")
    draft_token = w.start()
    token = w.submit(draft_token)
    confirm = client.get(f"/r/{token}/delete")
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.get_data(as_text=True)
    response = client.post(f"/r/{token}/delete", data={"csrf_token": csrf_token(confirm.get_data(as_text=True))})
    assert response.status_code == 302
    assert client.get(f"/r/{token}").status_code == 404
    assert client.get(f"/d/{draft_token}").status_code == 404
    with app.app_context():
        assert store.get_assessment(token) is None
        assert store.get_draft(draft_token) is None


def test_delete_needs_csrf(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    _, token = make_result(walker, "role-audit")
    assert client.post(f"/r/{token}/delete").status_code == 400
    assert client.get(f"/r/{token}").status_code == 200


def test_unknown_result_token_is_404(client: FlaskClient) -> None:
    response = client.get("/r/not-a-real-token")
    assert response.status_code == 404
    assert "No result matches this link" in response.get_data(as_text=True)


def test_method_page_lists_every_criterion(client: FlaskClient, app: Flask) -> None:
    html = client.get("/how-scoring-works").get_data(as_text=True)
    for criterion in app.extensions["catalog"].criteria:
        assert criterion.id in html


def test_a_reused_result_page_follows_deletions_and_keeps_each_visitors_own_form_token(
    walker, client: FlaskClient, app: Flask
) -> None:  # type: ignore[no-untyped-def]
    """The report part of a result page is rendered once and reused (assess/web/results.py): the page must still
    drop a comparison whose earlier result was deleted, and give every visitor their own CSRF token."""
    w, first = make_result(walker, "role-audit")
    page = client.get(f"/r/{first}").get_data(as_text=True)
    draft = re.search(
        r"/d/([^/]+)/1$", client.post(f"/r/{first}/reaudit", data={"csrf_token": csrf_token(page)}).headers["Location"]
    ).group(1)
    w.answer_all(draft, best(w.questionnaire))
    second = w.submit(draft)
    assert "Since your previous result" in client.get(f"/r/{second}").get_data(as_text=True)

    other = app.test_client()
    mine, theirs = client.get(f"/r/{second}").get_data(as_text=True), other.get(f"/r/{second}").get_data(as_text=True)
    assert csrf_token(mine) != csrf_token(theirs)
    assert other.post(f"/r/{second}/reaudit", data={"csrf_token": csrf_token(theirs)}).status_code == 302

    confirm = client.get(f"/r/{first}/delete").get_data(as_text=True)
    assert client.post(f"/r/{first}/delete", data={"csrf_token": csrf_token(confirm)}).status_code == 302
    again = client.get(f"/r/{second}").get_data(as_text=True)
    assert "Since your previous result" not in again
    assert f"/r/{first}" not in again
    assert client.get(f"/r/{first}").status_code == 404


def test_a_message_flashed_to_one_visitor_is_shown_once_and_never_kept_for_others(
    walker, client: FlaskClient, app: Flask
) -> None:  # type: ignore[no-untyped-def]
    _, token = make_result(walker, "role-audit")
    client.get(f"/r/{token}")  # the page is kept from here on
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Imported: your answers were scored again.")]
    assert "Imported: your answers were scored again." in client.get(f"/r/{token}").get_data(as_text=True)
    assert "Imported: your answers were scored again." not in client.get(f"/r/{token}").get_data(as_text=True)
    assert "Imported: your answers were scored again." not in app.test_client().get(f"/r/{token}").get_data(
        as_text=True
    )


def test_the_kept_page_follows_the_visitors_paper_size(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    _, token = make_result(walker, "employer-readiness")
    us = client.get(f"/r/{token}", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    uk = client.get(f"/r/{token}", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert '<option value="letter" selected>' in us
    assert '<option value="a4" selected>' in uk


def test_a_result_pages_report_is_rendered_once_then_kept(walker, client: FlaskClient, app: Flask) -> None:  # type: ignore[no-untyped-def]
    """The answer, findings and detail of a result page are rendered on the first visit and kept (a stored result
    never changes); the page around them, with its form tokens, is rendered on every visit."""
    _, token = make_result(walker, "role-audit")
    results.forget_report_html(token)  # start from nothing kept, whatever the walk through the wizard rendered
    rendered: list[str | None] = []

    def record(_sender: Flask, template: Template, **_: Any) -> None:
        rendered.append(template.name)

    with template_rendered.connected_to(record, app):
        first = client.get(f"/r/{token}").get_data(as_text=True)
        second = app.test_client().get(f"/r/{token}").get_data(as_text=True)
    assert rendered.count("results/result.html") == 2
    assert rendered.count("report/_answer.html") == rendered.count("report/_body.html") == 1
    assert csrf_token(first) != csrf_token(second)
    assert first.replace(csrf_token(first), "") == second.replace(csrf_token(second), "")

    rendered.clear()
    app.jinja_env.auto_reload = True  # templates reload on change (debug): an edit must show on the next visit
    with template_rendered.connected_to(record, app):
        client.get(f"/r/{token}")
        client.get(f"/r/{token}")
    assert rendered.count("report/_answer.html") == 2


def unknown_part(questionnaire, index: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The best answer everywhere but "Don't know" throughout the questionnaire's part at `index`."""
    answers = best(questionnaire)
    for question in questionnaire.questions_in_part(questionnaire.parts[index].id):
        answers[question.id] = UNKNOWN
    return answers


def pitch_section(client: FlaskClient, token: str) -> str:
    """The "Your pitch" section of a result page."""
    return client.get(f"/r/{token}").get_data(as_text=True).split('id="pitch-title"')[1].split("</section>")[0]


def test_a_parts_score_line_starts_a_sentence_under_its_heading_and_goes_on_after_its_name(
    walker, client: FlaskClient
) -> None:  # type: ignore[no-untyped-def]
    """Under the "Your pitch" heading the score line stands alone, so it starts with a capital; after the part's name
    (the hiring manager's second part) it goes on in lower case."""
    w = walker("employer-readiness")
    _, token = make_result(walker, "employer-readiness", unknown_part(w.questionnaire, 1))
    section = pitch_section(client, token)
    assert '<p class="part-score">Nothing known yet.</p>' in section

    org = walker("org-readiness").questionnaire
    _, token = make_result(walker, "org-readiness", unknown_part(org, 1))
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert f'<p class="part-score"><strong>{escape(org.parts[1].title)}:</strong> nothing known yet.</p>' in html

    _, token = make_result(walker, "employer-readiness", best(w.questionnaire))
    section = pitch_section(client, token)
    line = re.search(r'<p class="part-score">(.*?)</p>', section, re.S)
    assert line is not None
    assert line[1][:1].isupper(), line[1]
    assert "out of 100" in line[1]


def test_a_result_too_thin_for_a_verdict_offers_to_answer_more(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    """With too little known the button that reopens the answers says what it is for; it keeps what was given."""
    w = walker("role-audit")
    answered = w.questionnaire.questions[0]
    _, thin = make_result(walker, "role-audit", {answered.id: answered.options[0].id})
    page = client.get(f"/r/{thin}").get_data(as_text=True)
    assert "Not enough answers yet" in page
    assert ">Answer more questions</button>" in page
    assert "Update my answers" not in page
    draft = client.post(f"/r/{thin}/reaudit", data={"csrf_token": csrf_token(page)})
    step = client.get(draft.headers["Location"]).get_data(as_text=True)
    assert f'value="{answered.options[0].id}" checked' in step

    _, full = make_result(walker, "role-audit", best(w.questionnaire))
    page = client.get(f"/r/{full}").get_data(as_text=True)
    assert ">Update my answers</button>" in page
    assert "Answer more questions" not in page
