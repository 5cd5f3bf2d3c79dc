"""The wizard: one section a page, drafts saved at every step, validation next to the field, resume links."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from assess import store
from assess.core import UNKNOWN
from assess.web.forms import LABEL_FIELD, NOTE_FIELD, page_form_class, question_field
from tests.helpers import Controls, checked_value

SLUGS = ["employer-readiness", "role-audit", "org-readiness"]


def best_answers(questionnaire) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {q.id: max(q.options, key=lambda o: o.points).id for q in questionnaire.questions}


@pytest.mark.parametrize("slug", SLUGS)
def test_walking_every_page_stores_a_scored_result(walker, client: FlaskClient, slug: str) -> None:  # type: ignore[no-untyped-def]
    w = walker(slug)
    token = w.start()
    answers = best_answers(w.questionnaire)
    w.answer_all(token, answers)
    result_token = w.submit(token)
    page = client.get(f"/r/{result_token}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "100 out of 100" in text
    verdicts = w.questionnaire.verdicts  # a career path names a strategist's verdict; the band names the others'
    assert (verdicts[-1].title if verdicts else w.questionnaire.main_part.bands[-1].label) in text
    main = w.questionnaire.main_part.id
    in_main = [q for q in w.questionnaire.questions if w.questionnaire.dimension(q.dimension).part == main]
    assert f"{len(in_main)} of {len(in_main)} questions answered" in text


def test_each_page_shows_progress_and_the_resume_link(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    w = walker("role-audit")
    token = w.start()
    page = client.get(f"/d/{token}/2").get_data(as_text=True)
    assert f"Step 2 of {len(w.questionnaire.sections)}" in page
    assert f"0 of {len(w.questionnaire.questions)} questions answered" in page
    assert f"/d/{token}" in page


def test_every_question_offers_dont_know(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    w = walker("employer-readiness")
    token = w.start()
    for step, section in enumerate(w.questionnaire.sections, start=1):
        page = client.get(f"/d/{token}/{step}").get_data(as_text=True)
        for question in w.questionnaire.questions_in_section(section.id):
            assert f'name="{question_field(question.id)}" type="radio" value="unknown"' in page


def test_next_without_an_answer_moves_on_and_counts_it_as_dont_know(
    walker,
    client: FlaskClient,  # type: ignore[no-untyped-def]
) -> None:
    """No question is required: an open question is "don't know", and the rest of the page is saved."""
    w = walker("role-audit")
    token = w.start()
    section = w.questionnaire.sections[0]
    first, *rest = w.questionnaire.questions_in_section(section.id)
    answers = {q.id: q.options[0].id for q in rest}
    data = w.page_data(token, 1, answers, {NOTE_FIELD: "My note stays", LABEL_FIELD: "Acme Corp", "action": "next"})
    response = client.post(f"/d/{token}/1", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/d/{token}/2")
    html = client.get(f"/d/{token}/1").get_data(as_text=True)
    assert checked_value(html, question_field(first.id)) is None
    assert "My note stays" in html
    assert 'value="Acme Corp"' in html
    for q in rest:
        assert checked_value(html, question_field(q.id)) == q.options[0].id
    result = client.get(f"/r/{w.submit(token)}").get_data(as_text=True)
    assert "questions answered" in result  # the result states how much it rests on


def test_a_wrong_answer_shows_the_message_beside_the_question_and_keeps_the_rest(
    walker,
    client: FlaskClient,  # type: ignore[no-untyped-def]
) -> None:
    w = walker("role-audit")
    token = w.start()
    section = w.questionnaire.sections[0]
    first, *rest = w.questionnaire.questions_in_section(section.id)
    answers = {q.id: q.options[0].id for q in rest} | {first.id: "not-an-option"}
    data = w.page_data(token, 1, answers, {NOTE_FIELD: "My note stays", LABEL_FIELD: "Acme Corp", "action": "next"})
    response = client.post(f"/d/{token}/1", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    # the message sits inside the question's fieldset
    fieldset = re.search(rf'<fieldset[^>]*id="{question_field(first.id)}".*?</fieldset>', html, re.S)
    assert fieldset
    assert "Not a valid choice" in fieldset.group(0)
    assert "My note stays" in html
    assert 'value="Acme Corp"' in html
    for q in rest:
        assert checked_value(html, question_field(q.id)) == q.options[0].id


def test_skip_leaves_a_whole_section_open_in_one_move(walker, client: FlaskClient, app: Flask) -> None:  # type: ignore[no-untyped-def]
    w = walker("employer-readiness")
    token = w.start()
    questions = w.questionnaire.questions_in_section(w.questionnaire.sections[0].id)
    response = client.post(f"/d/{token}/1", data={"action": "skip"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/d/{token}/2")
    last = len(w.questionnaire.sections)
    assert client.post(f"/d/{token}/{last}", data={"action": "skip"}).headers["Location"].endswith("/review")
    with app.app_context():
        assert not any(q.id in store.get_draft(token).answers for q in questions)
    assert 'value="skip"' in client.get(f"/d/{token}/1").get_data(as_text=True)


def test_back_saves_partial_answers_without_complaint(walker, client: FlaskClient, app: Flask) -> None:  # type: ignore[no-untyped-def]
    w = walker("role-audit")
    token = w.start()
    question = w.questionnaire.questions_in_section(w.questionnaire.sections[1].id)[0]
    data = w.page_data(token, 2, {question.id: question.options[1].id}, {"action": "back"})
    response = client.post(f"/d/{token}/2", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/d/{token}/1")
    with app.app_context():
        assert store.get_draft(token).answers == {question.id: question.options[1].id}


def test_tampered_option_is_refused_naming_the_question(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    w = walker("role-audit")
    token = w.start()
    question = w.questionnaire.questions_in_section(w.questionnaire.sections[0].id)[0]
    data = w.page_data(token, 1, {question.id: "not-an-option"}, {"action": "save"})
    response = client.post(f"/d/{token}/1", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Not a valid choice" in html
    assert question.text in html


def test_overlong_note_is_refused_and_kept(walker, client: FlaskClient, app: Flask) -> None:  # type: ignore[no-untyped-def]
    w = walker("role-audit")
    token = w.start()
    note = "x" * (app.config["NOTE_MAX"] + 1)
    response = client.post(f"/d/{token}/1", data=w.page_data(token, 1, {}, {NOTE_FIELD: note, "action": "save"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Keep the note to {app.config['NOTE_MAX']} characters" in html
    assert note in html


def test_stale_csrf_token_reshows_the_page_with_the_answers(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    w = walker("role-audit")
    token = w.start()
    question = w.questionnaire.questions_in_section(w.questionnaire.sections[0].id)[0]
    data = w.page_data(token, 1, {question.id: question.options[0].id}, {NOTE_FIELD: "keep me", "action": "save"})
    data["csrf_token"] = "forged"
    response = client.post(f"/d/{token}/1", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "keep me" in html
    assert "press the button again" in html


def test_resume_link_continues_in_a_fresh_browser(walker, app: Flask) -> None:  # type: ignore[no-untyped-def]
    w = walker("org-readiness")
    token = w.start()
    question = w.questionnaire.questions_in_section(w.questionnaire.sections[2].id)[0]
    w.client.post(f"/d/{token}/3", data=w.page_data(token, 3, {question.id: UNKNOWN}, {"action": "save"}))
    other = app.test_client()  # no cookies: another device
    response = other.get(f"/d/{token}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/d/{token}/3")
    page = other.get(f"/d/{token}/3").get_data(as_text=True)
    assert checked_value(page, question_field(question.id)) == UNKNOWN


def test_unknown_resume_link_is_404(client: FlaskClient) -> None:
    assert client.get("/d/no-such-token").status_code == 404


def test_expired_draft_is_410(walker, client: FlaskClient, app: Flask) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    w = walker("role-audit")
    token = w.start()
    with app.app_context():
        draft = store.get_draft(token)
        draft.updated_at = store.now() - timedelta(days=app.config["DRAFT_DAYS"] + 1)
        store.db.session.commit()
    response = client.get(f"/d/{token}/1")
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)


def test_unanswered_questions_count_as_unknown_on_submit(walker, client: FlaskClient, app: Flask) -> None:  # type: ignore[no-untyped-def]
    w = walker("role-audit")
    token = w.start()
    result_token = w.submit(token)
    with app.app_context():
        assessment = store.get_assessment(result_token)
        assert set(assessment.answers.values()) == {UNKNOWN}
        assert assessment.result["overall"]["score"] is None
    assert "no score yet" in client.get(f"/r/{result_token}").get_data(as_text=True)


def test_tokens_are_long_and_random(walker) -> None:  # type: ignore[no-untyped-def]
    w = walker("role-audit")
    tokens = {w.start() for _ in range(3)}
    assert len(tokens) == 3
    assert all(len(t) >= 43 for t in tokens)  # 32 random bytes, URL-safe base64


def test_submitted_draft_link_leads_to_the_result(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    w = walker("role-audit")
    token = w.start()
    result_token = w.submit(token)
    response = client.get(f"/d/{token}")
    assert response.headers["Location"].endswith(f"/r/{result_token}")


def test_start_needs_csrf(client: FlaskClient) -> None:
    assert client.post("/q/role-audit/start").status_code == 400


def test_unknown_questionnaire_is_404(client: FlaskClient) -> None:
    assert client.get("/q/nope").status_code == 404


def test_each_draft_sees_its_own_answers(walker, client: FlaskClient, app: Flask) -> None:  # type: ignore[no-untyped-def]
    """Two drafts on different answers, viewed in turn, each see their own answer checked, and an answer cleared
    is shown unchecked again."""
    w = walker("role-audit")
    first, second = w.start(), w.start()
    question = w.questionnaire.questions_in_section(w.questionnaire.sections[0].id)[0]
    field = question_field(question.id)
    options = [option.id for option in question.options]
    with app.app_context():
        for token, answer in ((first, options[0]), (second, options[-1])):
            draft = store.get_draft(token)
            assert draft is not None
            store.save_draft(draft, {question.id: answer}, {}, "", 1)
    for _ in range(2):
        assert checked_value(client.get(f"/d/{first}/1").get_data(as_text=True), field) == options[0]
        assert checked_value(client.get(f"/d/{second}/1").get_data(as_text=True), field) == options[-1]
    with app.app_context():
        draft = store.get_draft(first)
        assert draft is not None
        store.save_draft(draft, {}, {}, "", 1)
    assert checked_value(client.get(f"/d/{first}/1").get_data(as_text=True), field) is None


def test_a_question_with_an_error_shows_it(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    """The same question, first clean, then with its error: the error and aria-invalid show."""
    w = walker("role-audit")
    token = w.start()
    question = w.questionnaire.questions_in_section(w.questionnaire.sections[0].id)[0]
    field = question_field(question.id)
    assert "has-error" not in client.get(f"/d/{token}/1").get_data(as_text=True)
    data = w.page_data(token, 1, {question.id: "tampered"}, extra={"action": "next"})
    page = client.post(f"/d/{token}/1", data=data).get_data(as_text=True)
    fieldset = re.search(rf'<fieldset class="question has-error" id="{field}".*?</fieldset>', page, re.S)
    assert fieldset, "the question with a wrong answer is not marked"
    assert 'aria-invalid="true"' in fieldset.group(0)
    assert "Not a valid choice" in fieldset.group(0)


def test_a_flashed_message_shows_on_a_wizard_page(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    """A page with a message waiting shows it once."""
    w = walker("role-audit")
    token = w.start()
    client.get(f"/d/{token}/1")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "A message for this visitor.")]
    assert "A message for this visitor." in client.get(f"/d/{token}/1").get_data(as_text=True)
    assert "A message for this visitor." not in client.get(f"/d/{token}/1").get_data(as_text=True)


def test_wizard_pages_render_with_csrf_disabled(walker, app: Flask) -> None:  # type: ignore[no-untyped-def]
    """With WTF_CSRF_ENABLED=False (as some deployments and tests set it) the forms have no csrf_token field:
    every wizard page must still render, and saving must still work."""
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    token = walker("role-audit").start()
    page = client.get(f"/d/{token}/1")
    assert page.status_code == 200
    assert 'name="csrf_token"' not in page.get_data(as_text=True)
    assert client.post(f"/d/{token}/1", data={"action": "save"}).status_code == 302
    assert client.get(f"/d/{token}/review").status_code == 200


def test_the_pages_form_controls_are_the_ones_wtforms_own_widgets_write(
    walker,  # type: ignore[no-untyped-def]
    client: FlaskClient,
    app: Flask,
) -> None:
    """templates/_macros.html writes the radio options, the text input and the textarea out itself (WTForms'
    widget formatting was most of a wizard page's render time). They must stay what WTForms' own widgets write for
    the same submission: ids, names, types, values, what is checked, the render_kw limits, and the entered text
    escaped. Checked on a page sent back with errors, so values and aria-invalid are both in play."""
    w = walker("role-audit")
    token = w.start()
    section = w.questionnaire.sections[0]
    first, second, *_ = w.questionnaire.questions_in_section(section.id)
    label = 'Acme "Social" <b>& Co</b> ' + "x" * app.config["LABEL_MAX"]  # too long: the page comes back
    note = 'First line with <i>"quotes"</i> & an ampersand\nSecond line'
    submitted = {first.id: "not-an-option", second.id: second.options[1].id}
    data = w.page_data(token, 1, submitted, {LABEL_FIELD: label, NOTE_FIELD: note, "action": "save"})
    response = client.post(f"/d/{token}/1", data=data)
    assert response.status_code == 422
    page = Controls(response.get_data(as_text=True))

    questions = w.questionnaire.questions_in_section(section.id)
    form_class = page_form_class(
        w.questionnaire, section.id, questions, True, True, app.config["LABEL_MAX"], app.config["NOTE_MAX"]
    )
    with app.test_request_context(f"/d/{token}/1", method="POST", data=data):
        form = form_class(formdata=MultiDict(data), meta={"csrf": False})
        assert not form.validate()
        expected = ""
        for name in (LABEL_FIELD, NOTE_FIELD):
            field = form[name]
            described = f"{field.id}-help" + (f" {field.id}-error" if field.errors else "")
            aria = {"aria-describedby": described, "aria-invalid": "true" if field.errors else "false"}
            expected += str(field(**aria))
        for question in questions:
            expected += "".join(str(option) for option in form[question_field(question.id)])
        wtforms = Controls(expected)

    assert form[LABEL_FIELD].errors
    assert not form[NOTE_FIELD].errors
    for name in (LABEL_FIELD, NOTE_FIELD):
        assert page.attrs[name] == wtforms.attrs[name], name
    assert page.attrs[LABEL_FIELD]["value"] == label
    # WTForms starts a textarea's text with CR LF, the macro with LF: HTML drops either one leading newline.
    assert page.text[NOTE_FIELD].lstrip("\r\n") == wtforms.text[NOTE_FIELD].lstrip("\r\n") == note
    options = {key: attrs for key, attrs in wtforms.attrs.items() if key not in (LABEL_FIELD, NOTE_FIELD)}
    assert len(options) == sum(len(q.options) + 1 for q in questions)
    for key, attrs in options.items():
        shown = dict(page.attrs[key])
        invalid = shown.pop("aria-invalid", None)
        assert shown == attrs, key
        assert (invalid == "true") == key.startswith(question_field(first.id) + "-"), key
    assert page.attrs[f"{question_field(second.id)}-1"].keys() >= {"checked"}
    assert page.attrs["csrf_token"]["type"] == "hidden"
    assert page.attrs["csrf_token"]["value"]
