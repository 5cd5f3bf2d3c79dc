"""Notes are normalised (line ends, trailing spaces, runs of blank lines collapsed) and bounded in lines as well
as characters, through the wizard, the API and the store itself."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from assess import store
from assess.web.forms import NOTE_FIELD
from tests.helpers import Walker

RAGGED = "\n\n  First line  \r\n\r\n\r\n\r\n\n\nSecond line\t\n\u2028\u2028\u2028Third\n\n\n"
TIDY = "First line\n\nSecond line\n\nThird"


def test_the_wizard_keeps_a_tidy_note_and_refuses_too_many_lines(
    walker: Callable[[str], Walker], client: FlaskClient, app: Flask
) -> None:
    w = walker("role-audit")
    token = w.start()
    saved = client.post(f"/d/{token}/1", data=w.page_data(token, 1, {}, {NOTE_FIELD: RAGGED, "action": "save"}))
    assert saved.status_code == 302
    newlines = "\n" * 990 + "only this"  # within the character limit: was 500 blank lines in print
    saved = client.post(f"/d/{token}/2", data=w.page_data(token, 2, {}, {NOTE_FIELD: newlines, "action": "save"}))
    assert saved.status_code == 302
    with app.app_context():
        notes = store.get_draft(token).notes  # type: ignore[union-attr]
    sections = [section.id for section in w.questionnaire.sections]
    assert notes == {sections[0]: TIDY, sections[1]: "only this"}

    many = "\n".join(f"line {n}" for n in range(store.NOTE_LINES + 1))
    refused = client.post(f"/d/{token}/1", data=w.page_data(token, 1, {}, {NOTE_FIELD: many, "action": "save"}))
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert f"Keep the note to {store.NOTE_LINES} lines or fewer" in html
    assert f"line {store.NOTE_LINES}" in html  # nothing typed is lost
    blank_runs = "\n\n\n".join(f"line {n}" for n in range(store.NOTE_LINES // 2))  # blank runs count as one line
    accepted = client.post(f"/d/{token}/1", data=w.page_data(token, 1, {}, {NOTE_FIELD: blank_runs, "action": "save"}))
    assert accepted.status_code == 302


def test_the_api_keeps_a_tidy_note_and_refuses_too_many_lines(client: FlaskClient, app: Flask) -> None:
    questionnaire = app.extensions["catalog"].get("role-audit")
    section = questionnaire.sections[0].id
    path = f"/api/v1/questionnaires/{questionnaire.slug}/assessments"
    created = client.post(path, json={"answers": {}, "notes": {section: RAGGED}})
    assert created.status_code == 201
    assert client.get(f"/api/v1/assessments/{created.get_json()['token']}").get_json()["notes"] == {section: TIDY}
    many = "\n".join(f"line {n}" for n in range(store.NOTE_LINES + 1))
    refused = client.post(path, json={"answers": {}, "notes": {section: many}})
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert (error["code"], error["field"]) == ("too_long", f"notes.{section}")
    assert f"the limit is {store.NOTE_LINES}" in error["message"]


def test_the_store_normalises_notes_however_they_arrive(app: Flask) -> None:
    questionnaire = app.extensions["catalog"].get("role-audit")
    with app.app_context():
        draft = store.create_draft(questionnaire.slug, questionnaire.version, notes={"a": RAGGED, "b": "\n\n\n"})
        assert draft.notes == {"a": TIDY, "b": ""}
