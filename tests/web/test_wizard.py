"""The wizard: one section a page, drafts saved at every step, validation next to the field, resume links."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess import store
from assess.core import UNKNOWN
from assess.web.forms import LABEL_FIELD, NOTE_FIELD, question_field
from tests.helpers import checked_value

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
    assert "100" in text
    assert w.questionnaire.main_part.bands[-1].label in text
    main = w.questionnaire.main_part.id
    in_main = [q for q in w.questionnaire.questions if w.questionnaire.dimension(q.dimension).part == main]
    assert f"Based on {len(in_main)} of {len(in_main)} answers" in text


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


def test_next_without_an_answer_shows_the_message_beside_the_question_and_keeps_the_rest(
    walker,
    client: FlaskClient,  # type: ignore[no-untyped-def]
) -> None:
    w = walker("role-audit")
    token = w.start()
    section = w.questionnaire.sections[0]
    first, *rest = w.questionnaire.questions_in_section(section.id)
    answers = {q.id: q.options[0].id for q in rest}
    data = w.page_data(token, 1, answers, {NOTE_FIELD: "My note stays", LABEL_FIELD: "Acme Corp", "action": "next"})
    response = client.post(f"/d/{token}/1", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    # the message sits inside the unanswered question's fieldset
    fieldset = re.search(rf'<fieldset[^>]*id="{question_field(first.id)}".*?</fieldset>', html, re.S)
    assert fieldset
    assert "Choose an answer" in fieldset.group(0)
    assert "My note stays" in html
    assert 'value="Acme Corp"' in html
    for q in rest:
        assert checked_value(html, question_field(q.id)) == q.options[0].id


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


def test_kept_question_markup_shows_each_draft_its_own_answers(walker, client: FlaskClient, app: Flask) -> None:  # type: ignore[no-untyped-def]
    """Question fieldsets are kept per process by their saved answer: two drafts on different answers, viewed in
    turn, each see their own answer checked, and an answer cleared is shown unchecked again."""
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


def test_a_question_with_an_error_is_not_served_from_the_kept_markup(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    """The same question, first clean (and so kept), then with its error: the error and aria-invalid show."""
    w = walker("role-audit")
    token = w.start()
    question = w.questionnaire.questions_in_section(w.questionnaire.sections[0].id)[0]
    field = question_field(question.id)
    assert "has-error" not in client.get(f"/d/{token}/1").get_data(as_text=True)
    data = w.page_data(token, 1, {}, extra={"action": "next"})
    page = client.post(f"/d/{token}/1", data=data).get_data(as_text=True)
    fieldset = re.search(rf'<fieldset class="question has-error" id="{field}".*?</fieldset>', page, re.S)
    assert fieldset, "the unanswered question is not marked"
    assert 'aria-invalid="true"' in fieldset.group(0)
    assert "Choose an answer" in fieldset.group(0)


def _attributes(tag: str) -> dict[str, str]:
    """The attributes of the first tag in `tag`, as written (bare attributes map to "")."""
    opening = re.match(r"<(\w+)\s([^>]*)>", tag)
    assert opening, tag
    return dict(re.findall(r'([\w-]+)(?:="([^"]*)")?', opening.group(2)))


@pytest.mark.parametrize("value", ["", 'Acme "R&D" <b>', "line one\nline two\x7f"])
def test_text_control_writes_what_the_wtforms_widgets_write(app: Flask, value: str) -> None:
    """The hand-written text input and textarea carry the attributes, flags and escaped value WTForms would."""
    from flask_wtf import FlaskForm
    from wtforms import StringField, TextAreaField
    from wtforms.validators import DataRequired, Length, Optional

    from assess.web.forms import text_control

    class Sample(FlaskForm):  # type: ignore[misc]
        required = StringField("Name", validators=[DataRequired(), Length(max=50)])
        limited = StringField("Label", validators=[Optional()], render_kw={"maxlength": 120, "autocomplete": "off"})
        note = TextAreaField("Note", validators=[Length(min=2, max=900)], render_kw={"rows": 3})

    with app.test_request_context():
        form = Sample(meta={"csrf": False}, data={"required": value, "limited": value, "note": value})
        for field in (form.required, form.limited, form.note):
            extra = {"aria-describedby": f"{field.id}-help", "aria-invalid": "false"}
            ours, theirs = str(text_control(field, **extra)), str(field(**extra))
            assert _attributes(ours) == _attributes(theirs)
            if field is form.note:
                assert ours.split(">", 1)[1] == theirs.split(">", 1)[1]  # the escaped text inside the textarea
        assert "required" in _attributes(str(text_control(form.required)))
        assert _attributes(str(text_control(form.note)))["minlength"] == "2"


KEPT_PAGES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@KEPT_PAGES
@given(data=st.data())
def test_a_wizard_page_from_its_kept_skeleton_is_the_page_rendered_in_full(app: Flask, data: st.DataObject) -> None:
    """Every wizard GET is filled in from a skeleton of its step (wizard._StepPages). For any draft (answers, label
    and notes of any text, personal or for a team, any step) that must be, character for character, what the
    template renders in full with a fresh form."""
    from assess.web import wizard

    catalog = app.extensions["catalog"]
    questionnaire = catalog.get(data.draw(st.sampled_from(["employer-readiness", "role-audit", "org-readiness"])))
    answers = {}
    for question in questionnaire.questions:
        answer = data.draw(st.sampled_from([None, UNKNOWN, *(option.id for option in question.options)]))
        if answer is not None:
            answers[question.id] = answer
    # Any text, with the characters HTML escaping is about drawn often.
    text = st.text(st.one_of(st.sampled_from("<>&\"'\r\n\t "), st.characters(exclude_categories=("Cs",))), max_size=80)
    label = data.draw(text)
    notes = {section.id: data.draw(text) for section in questionnaire.sections if data.draw(st.booleans())}
    step = data.draw(st.one_of(st.just(1), st.integers(1, len(questionnaire.sections))))  # the label is on page 1
    with app.app_context():
        team = store.create_team(data.draw(text) or "Team", questionnaire.slug, questionnaire.version)
        for_team = data.draw(st.booleans())
        draft = store.create_draft(
            questionnaire.slug,
            questionnaire.version,
            answers=answers,
            label="" if for_team else label,
            notes={} if for_team else notes,
            team=team if for_team else None,
            department="it" if for_team else None,
        )
        token = draft.token
    for _ in range(2):  # the first visit builds the skeleton, the second fills the kept one
        with app.test_request_context(f"/d/{token}/{step}"):
            opened = wizard._view(token)
            kept = wizard._step_pages.page(opened, step)
            form = wizard._form(opened.questionnaire, step, strict=False, team=opened.team)
            wizard._fill(form, opened.questionnaire, opened.draft, step)
            full, status = wizard._page(opened, step, form)  # type: ignore[misc]
        assert status == 200
        assert kept is not None
        assert kept.decode() == full


def test_a_flashed_message_shows_on_a_wizard_page(walker, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    """A page with a message waiting is rendered in full, never from the skeleton, so the message shows once."""
    w = walker("role-audit")
    token = w.start()
    client.get(f"/d/{token}/1")  # the step's skeleton is built and kept
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "A message for this visitor.")]
    assert "A message for this visitor." in client.get(f"/d/{token}/1").get_data(as_text=True)
    assert "A message for this visitor." not in client.get(f"/d/{token}/1").get_data(as_text=True)
