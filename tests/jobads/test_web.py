"""The job-ad pages: paste or upload an ad, see it marked, start the wizard with its answers; privacy of the text."""

from __future__ import annotations

import io
import json
import logging
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from assess import store
from assess.extensions import db
from assess.web.forms import question_field
from tests.helpers import Walker, checked_value, csrf_token
from tests.jobads.test_files import docx_of, pdf_of

AD = """Social Media Strategist
You will respond to customer comments and messages every day.
You will win buy-in from stakeholders across the business.
Our office has a lovely canteen overlooking the river.
"""


def send(client: FlaskClient, slug: str = "employer-readiness", token: str | None = None, **fields: Any) -> Any:
    page = client.get(f"/q/{slug}/job-ad")
    assert page.status_code == 200
    data = {"csrf_token": token or csrf_token(page.get_data(as_text=True)), **fields}
    return client.post(f"/q/{slug}/job-ad", data=data, content_type="multipart/form-data")


def draft_token(response: Any) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    match = re.search(r"/d/([A-Za-z0-9_-]+)/job-ad$", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def test_the_questionnaire_intro_offers_the_job_ad(client: FlaskClient) -> None:
    assert 'href="/q/employer-readiness/job-ad"' in client.get("/q/employer-readiness").get_data(as_text=True)
    assert 'href="/q/org-readiness/job-ad"' in client.get("/q/org-readiness").get_data(as_text=True)
    assert "job-ad" not in client.get("/q/role-audit").get_data(as_text=True)
    assert client.get("/q/role-audit/job-ad").status_code == 404


def test_a_pasted_ad_starts_a_draft_with_its_answers_and_the_marked_ad(client: FlaskClient, app: Flask) -> None:
    token = draft_token(send(client, ad_text=AD))
    with app.app_context():
        draft = store.get_draft(token)
        assert draft is not None
        assert draft.answers == {"sep-jobad": "small-part", "climate-jobad": "win-buy-in"}
        assert draft.job_ad is not None
        assert "canteen" in draft.job_ad
    page = client.get(f"/d/{token}/job-ad")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    marks = re.findall(r'<mark id="s-(\d+)" class="job-ad-mark">(.*?)</mark>', html, re.S)
    assert [int(i) for i, _ in marks] == [1, 2]
    assert "You will win buy-in from stakeholders across the business." in marks[1][1]
    assert "Marked sentence 2: " in marks[0][1]  # said in words, not only in colour
    assert "canteen" in html  # the whole ad is shown on its own page, unmarked where nothing was found
    assert "Warning sign: Support still to be won." in html
    assert "It asks the new hire to win support or make progress on buy-in" in html
    assert f'href="/d/{token}/1"' in html
    assert "Read but not counted" not in html  # nothing in this ad was set aside


def test_what_was_read_but_not_counted_is_explained(client: FlaskClient) -> None:
    ad = "Escalate complaints to our support team.\nYou will not answer customer messages.\nPlan campaigns."
    token = draft_token(send(client, ad_text=ad + "\nWrite our three-year social strategy."))
    html = client.get(f"/d/{token}/job-ad").get_data(as_text=True)
    assert "Read but not counted (3)" in html
    assert "which rules it out" in html  # cancelled by the support team
    assert "a negation comes just before it" in html
    assert "which outweighs it" in html  # the campaigns yield to the long-term plan


@pytest.mark.parametrize("kind", ["txt", "pdf", "docx", "html"])
def test_an_uploaded_ad_in_each_format(client: FlaskClient, app: Flask, kind: str) -> None:
    data = {
        "txt": AD.encode(),
        "pdf": pdf_of(AD),
        "docx": docx_of(AD),
        "html": ("<ul>" + "".join(f"<li>{line}</li>" for line in AD.splitlines()) + "</ul>").encode(),
    }[kind]
    token = draft_token(send(client, ad_file=(io.BytesIO(data), f"ad.{kind}")))
    with app.app_context():
        draft = store.get_draft(token)
        assert draft is not None
        assert draft.answers["climate-jobad"] == "win-buy-in"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("ad.pdf", b"%PDF-1.4 broken", "This PDF could not be read"),
        ("ad.docx", b"PK\x03\x04 broken", "not a Word document"),
        ("ad.png", b"\x89PNG", "Upload the ad as a .txt, .pdf or .docx file"),
    ],
)
def test_a_malformed_file_is_a_422_naming_the_field_and_keeping_the_text(
    client: FlaskClient, name: str, content: bytes, words: str
) -> None:
    response = send(client, ad_text="Pasted words stay here.", ad_file=(io.BytesIO(content), name))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert words in html
    assert '<a href="#ad_file">Or upload it</a>' in html
    assert "Pasted words stay here." in html
    assert 'aria-invalid="true"' in html


def test_nothing_sent_is_a_422_on_the_text_field(client: FlaskClient) -> None:
    response = send(client, ad_text="   ")
    assert response.status_code == 422
    assert '<a href="#ad_text">Paste the job ad</a>: Paste the ad' in response.get_data(as_text=True)


def test_an_ad_over_the_limit_is_a_422_that_keeps_it(client: FlaskClient) -> None:
    from assess.jobads import MAX_AD_CHARS

    long_ad = "Plan campaigns. " * (MAX_AD_CHARS // 16 + 10)
    response = send(client, ad_text=long_ad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"longer than {MAX_AD_CHARS:,} characters" in html
    assert long_ad.strip()[:200] in html


def test_a_forged_token_is_refused_and_keeps_the_text(client: FlaskClient) -> None:
    response = send(client, token="forged", ad_text="Keep me.")
    assert response.status_code == 400
    assert "Keep me." in response.get_data(as_text=True)


def test_the_hiring_manager_reads_their_draft_ad_as_a_candidate_would(client: FlaskClient, app: Flask) -> None:
    token = draft_token(send(client, slug="org-readiness", ad_text=AD))
    html = client.get(f"/d/{token}/job-ad").get_data(as_text=True)
    assert "What a careful candidate will read in your ad" in html
    assert "What candidates are likely to ask you" in html
    with app.app_context():
        draft = store.get_draft(token)
        assert draft is not None
        assert draft.answers == {"o-jobad-buyin": "win-buy-in"}


def test_the_ad_text_can_be_deleted_and_the_answers_stay(client: FlaskClient, app: Flask) -> None:
    token = draft_token(send(client, ad_text=AD))
    page = client.get(f"/d/{token}/job-ad").get_data(as_text=True)
    forms = re.findall(r'action="([^"]+)"', page)
    assert f"/d/{token}/job-ad/delete" in forms
    response = client.post(f"/d/{token}/job-ad/delete", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    with app.app_context():
        draft = store.get_draft(token)
        assert draft is not None
        assert draft.job_ad is None
        assert draft.answers["climate-jobad"] == "win-buy-in"
    assert client.get(f"/d/{token}/job-ad").status_code == 302  # no ad: straight to the questions


def test_the_ad_text_is_never_logged(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        token = draft_token(send(client, ad_text=AD))
        client.get(f"/d/{token}/job-ad")
    assert "canteen" not in caplog.text
    assert "buy-in from stakeholders" not in caplog.text


def step_of(app: Flask, slug: str, question_id: str) -> int:
    questionnaire = app.extensions["catalog"].get(slug)
    section = questionnaire.question(question_id).section
    return [s.id for s in questionnaire.sections].index(section) + 1


def labelled_from_ad(html: str) -> dict[str, bool]:
    """Each question's field name on a wizard page, and whether its fieldset says the answer is from the ad."""
    fieldsets = re.findall(r'<fieldset class="question[^"]*" id="([^"]+)"(.*?)</fieldset>', html, re.S)
    return {name: "From the ad:" in body for name, body in fieldsets}


def test_the_wizard_opens_with_the_ads_answers_chosen_and_labelled(client: FlaskClient, app: Flask) -> None:
    token = draft_token(send(client, ad_text=AD))
    html = client.get(f"/d/{token}/{step_of(app, 'employer-readiness', 'climate-jobad')}").get_data(as_text=True)
    assert checked_value(html, question_field("climate-jobad")) == "win-buy-in"
    assert "From the ad: “You will win buy-in from stakeholders across the business.” Change the answer" in html
    workload = client.get(f"/d/{token}/{step_of(app, 'employer-readiness', 'sep-jobad')}").get_data(as_text=True)
    assert checked_value(workload, question_field("sep-jobad")) == "small-part"
    assert "From the ad: “You will respond to customer comments and messages every day.”" in workload
    settled = {question_field("climate-jobad"), question_field("sep-jobad")}
    for page in (html, workload):
        for name, labelled in labelled_from_ad(page).items():
            assert labelled == (name in settled), name
            if name not in settled:  # the rest stays open
                assert checked_value(page, name) is None, name


def test_a_wizard_page_reads_its_draft_and_ad_in_one_query(client: FlaskClient, app: Flask) -> None:
    """The ad's text comes with the draft: a page labelling the ad's answers makes one SELECT, not one for the draft
    and a second for a deferred column."""
    token = draft_token(send(client, ad_text=AD))
    step = step_of(app, "employer-readiness", "climate-jobad")
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        html = client.get(f"/d/{token}/{step}").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert "From the ad: “You will win buy-in" in html
    assert [s.split()[0] for s in statements] == ["SELECT"], statements


def test_a_changed_answer_is_no_longer_from_the_ad(client: FlaskClient, app: Flask) -> None:
    token = draft_token(send(client, ad_text=AD))
    step = step_of(app, "employer-readiness", "climate-jobad")
    page = client.get(f"/d/{token}/{step}").get_data(as_text=True)
    response = client.post(
        f"/d/{token}/{step}",
        data={"csrf_token": csrf_token(page), question_field("climate-jobad"): "not-mentioned", "action": "save"},
    )
    assert response.status_code == 302
    html = client.get(f"/d/{token}/{step}").get_data(as_text=True)
    assert checked_value(html, question_field("climate-jobad")) == "not-mentioned"
    assert "From the ad:" not in html


def test_the_result_names_the_answers_from_the_ad_and_keeps_only_quotes(client: FlaskClient, app: Flask) -> None:
    token = draft_token(send(client, ad_text=AD))
    result = Walker(client, app.extensions["catalog"].get("employer-readiness")).submit(token)
    with app.app_context():
        draft = store.get_draft(token)
        assert draft is not None
        assert draft.job_ad is None  # the ad's text went when the result was made
        assessment = store.get_assessment(result)
        assert assessment is not None
        kept = json.dumps(assessment.job_ad)
    assert "canteen" not in kept
    assert "You will win buy-in from stakeholders across the business." in kept
    html = client.get(f"/r/{result}").get_data(as_text=True)
    assert "From the job ad" in html
    assert "It asks the new hire to win support or make progress on buy-in" in html
    assert '<q class="user-text">You will win buy-in from stakeholders across the business.</q>' in html
    assert "canteen" not in html


def test_an_expired_or_unknown_draft_has_no_job_ad_page(client: FlaskClient, app: Flask) -> None:
    from datetime import timedelta

    assert client.get("/d/nothing-here/job-ad").status_code == 404
    token = draft_token(send(client, ad_text=AD))
    with app.app_context():
        draft = store.get_draft(token)
        assert draft is not None
        draft.updated_at = store.now() - timedelta(days=app.config["DRAFT_DAYS"] + 1)
        store.db.session.commit()
    assert client.get(f"/d/{token}/job-ad").status_code == 410


def test_the_export_carries_the_quotes_and_imports_again(client: FlaskClient, app: Flask) -> None:
    token = draft_token(send(client, ad_text=AD))
    result = Walker(client, app.extensions["catalog"].get("employer-readiness")).submit(token)
    export = client.get(f"/r/{result}/export.json").get_json()
    assert export["job_ad"]["answers"]["climate-jobad"]["quotes"] == [
        "You will win buy-in from stakeholders across the business."
    ]
    assert {f["signal"] for f in export["job_ad"]["findings"]} == {"helpdesk-duties", "buy-in"}
    assert "canteen" not in json.dumps(export)
    api_export = client.get(f"/api/v1/assessments/{result}/export.json").get_json()
    assert api_export["job_ad"] == export["job_ad"]
    imported = client.post("/api/v1/imports", json=export)
    assert imported.status_code == 201, imported.get_json()


def test_the_quick_path_is_offered_too_with_the_ads_answers_chosen(client: FlaskClient, app: Flask) -> None:
    questionnaire = app.extensions["catalog"].get("employer-readiness")
    assert questionnaire.quick
    token = draft_token(send(client, ad_text=AD))
    assert f'href="/d/{token}/quick"' in client.get(f"/d/{token}/job-ad").get_data(as_text=True)
    quick = client.get(f"/d/{token}/quick")
    assert quick.status_code == 200
    html = quick.get_data(as_text=True)
    assert sum(labelled_from_ad(html).values()) == 2
    for name, labelled in labelled_from_ad(html).items():
        question_id = name.removeprefix("q_").replace("_", "-")
        expected = {"climate-jobad": "win-buy-in", "sep-jobad": "small-part"}.get(question_id)
        assert labelled == (expected is not None), name
        assert checked_value(html, name) == expected, name
