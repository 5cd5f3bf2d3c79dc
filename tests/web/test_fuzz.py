"""Random and malformed input to every endpoint: nothing answers 500, and valid submissions read back."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess import store
from tests.helpers import Walker, csrf_token

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
junk = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
form_data = st.dictionaries(
    st.one_of(
        st.sampled_from(["csrf_token", "action", "label", "section_note", "department", "name", "q_time_split"]), junk
    ),
    st.one_of(junk, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))),
    max_size=8,
)


@pytest.fixture
def tokens(db_client: FlaskClient, db_app: Flask) -> dict[str, str]:
    """Real tokens of every kind, to aim fuzzed requests at live objects as well as at nothing."""
    walker = Walker(db_client, db_app.extensions["catalog"].get("role-audit"))
    draft = walker.start()
    result = walker.submit(walker.start())
    with db_app.app_context():
        team = store.create_team("Fuzz team", "org-readiness", "1.0")
        return {"draft": draft, "result": result, "admin": team.admin_token, "respondent": team.respondent_token}


def urls(app: Flask, tokens: dict[str, str], garbage: str) -> list[tuple[str, str]]:
    """Every (method, path) of the app, with each <token> filled by a real token and by garbage."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for token in [*tokens.values(), garbage]:
                path = re.sub(r"<int:step>", "1", rule.rule)
                path = re.sub(r"<(?:string:)?(?:token|first|second|slug)>", token, path)
                path = path.replace("<slug>", "role-audit")
                found.append((method, path))
    return found


@FUZZ
@given(
    data=form_data,
    query=st.dictionaries(junk, junk, max_size=3),
    garbage=st.from_regex(r"[A-Za-z0-9_-]{1,50}", fullmatch=True),
)
@pytest.mark.usefixtures("stub_renderer")  # about HTTP answers, not the PDF: the result it reads is always the same
def test_no_endpoint_answers_500_to_random_forms(
    db_app: Flask,
    db_client: FlaskClient,
    tokens: dict[str, str],
    data: dict[str, str],
    query: dict[str, str],
    garbage: str,
) -> None:
    """On SQLite and PostgreSQL alike: PostgreSQL refuses some text SQLite keeps (NUL characters)."""
    client = db_client
    for method, path in urls(db_app, tokens, garbage):
        if path.startswith("/api/"):
            continue  # the API is fuzzed against its OpenAPI document in tests/api
        response = client.open(path, method=method, data=data, query_string=query)
        assert response.status_code < 500, (method, path, response.status_code)
        response.close()


@FUZZ
@given(data=st.data())
def test_every_valid_wizard_submission_reads_back(db_app: Flask, db_client: FlaskClient, data: st.DataObject) -> None:
    app, client = db_app, db_client
    questionnaire = app.extensions["catalog"].get("org-readiness")
    walker = Walker(client, questionnaire)
    token = walker.start()
    answers = {
        q.id: data.draw(st.sampled_from([o.id for o in q.options] + ["unknown"])) for q in questionnaire.questions
    }
    label = data.draw(st.text(max_size=120))  # NUL included: PostgreSQL cannot store it, so it is dropped
    walker.answer_all(token, answers)
    first = walker.page_data(token, 1, answers, {"label": label, "action": "save"})
    saved = client.post(f"/d/{token}/1", data=first).status_code
    assert saved in (302, 422)
    result = walker.submit(token)
    page = client.get(f"/r/{result}")
    assert page.status_code == 200
    with app.app_context():
        stored = store.get_assessment(result)
        assert stored is not None
        assert stored.answers == answers
        if saved == 302:
            assert stored.label == label.replace("\x00", "").strip()


def test_oversized_form_is_refused_with_413(client: FlaskClient, app: Flask) -> None:
    walker = Walker(client, app.extensions["catalog"].get("role-audit"))
    token = walker.start()
    page = client.get(f"/d/{token}/1").get_data(as_text=True)
    response = client.post(
        f"/d/{token}/1",
        data={"csrf_token": csrf_token(page), "section_note": "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)},
    )
    assert response.status_code == 413
