"""Teams: create, respond anonymously by department, see disagreement, export, close, delete."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from assess import store
from assess.core import UNKNOWN
from assess.web.forms import LABEL_FIELD, NOTE_FIELD
from tests.helpers import Walker, csrf_token
from tests.reports.pdfs import page_texts


@pytest.fixture
def documents(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of each PDF the app lays out, one entry a render; WeasyPrint itself is not run."""
    from assess.reports import pdf

    rendered: list[str] = []

    def write_pdf(html: str, page_size: str = "a4", static_folder: object = None) -> bytes:
        rendered.append(html)
        return b"%PDF-1.7\n% stand-in\n%%EOF\n"

    monkeypatch.setattr(pdf, "write_pdf", write_pdf)
    return rendered


def create_team(client: FlaskClient, name: str = "Acme hiring 2027") -> tuple[str, str]:
    """Create a team through the form; returns (admin token, respondent token)."""
    form = client.get("/teams/new")
    response = client.post("/teams/new", data={"csrf_token": csrf_token(form.get_data(as_text=True)), "name": name})
    assert response.status_code == 302
    admin = re.search(r"/t/([A-Za-z0-9_-]+)$", response.headers["Location"]).group(1)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    respondent = re.search(r"/t/join/([A-Za-z0-9_-]+)", page).group(1)
    return admin, respondent


def respond(app: Flask, respondent: str, department: str, level: float, unknown_dimension: str = "") -> int:
    """One colleague, in a fresh browser, answers every question at the given level (0 worst, 1 best), and "Don't
    know" to every question of `unknown_dimension` if one is named."""
    client = app.test_client()
    questionnaire = app.extensions["catalog"].get("org-readiness")
    page = client.get(f"/t/join/{respondent}")
    if page.status_code != 200:
        return page.status_code
    response = client.post(
        f"/t/join/{respondent}", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "department": department}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    draft = re.search(r"/d/([A-Za-z0-9_-]+)/1$", response.headers["Location"]).group(1)
    walker = Walker(client, questionnaire, department)
    answers = {}
    for q in questionnaire.questions:
        ordered = sorted(q.options, key=lambda o: o.points)
        answers[q.id] = UNKNOWN if q.dimension == unknown_dimension else ordered[round(level * (len(ordered) - 1))].id
    walker.answer_all(draft, answers)
    review = client.get(f"/d/{draft}/review")
    done = client.post(f"/d/{draft}/submit", data={"csrf_token": csrf_token(review.get_data(as_text=True))})
    assert done.headers["Location"].endswith(f"/t/join/{respondent}/thanks")
    return 200


@pytest.mark.parametrize("name", [" ", "\x00", " \x00 "])
def test_a_new_team_needs_a_name(client: FlaskClient, name: str) -> None:
    """A name of NULs (`%00`) is no name: the model drops them, which left a team named "" before the form did too."""
    form = client.get("/teams/new")
    response = client.post("/teams/new", data={"csrf_token": csrf_token(form.get_data(as_text=True)), "name": name})
    assert response.status_code == 422
    assert "Give the team a name" in response.get_data(as_text=True)


def test_nothing_is_shown_until_three_have_answered(client: FlaskClient, app: Flask) -> None:
    admin, respondent = create_team(client)
    respond(app, respondent, "marketing", 1.0)
    respond(app, respondent, "it", 0.0)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    assert "2 of at least 3 responses so far" in page
    assert "Waiting for answers" in page
    assert "Fix these first" not in page


def test_report_shows_disagreement_and_the_marketing_it_divide(client: FlaskClient, app: Flask) -> None:
    admin, respondent = create_team(client)
    for _ in range(3):
        respond(app, respondent, "marketing", 1.0)
    for _ in range(3):
        respond(app, respondent, "it", 0.0)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    assert "<strong>6 respondents.</strong>" in page
    assert "Marketing and IT see ownership differently" in page
    assert "Ownership and teamwork" in page
    assert "Disagree" in page
    assert "Marketing (3)" in page
    assert "IT (3)" in page
    assert "Fix these first" in page
    assert "What else a candidate will ask" in page  # each fix says its own question (see below)


def test_a_dimension_nobody_could_answer_is_named_rather_than_called_well_scored(
    client: FlaskClient, app: Flask
) -> None:
    questionnaire = app.extensions["catalog"].get("org-readiness")
    blank = questionnaire.dimensions_in(questionnaire.main_part.id)[0]
    admin, respondent = create_team(client)
    for department in ("marketing", "it", "pr"):
        respond(app, respondent, department, 1.0, unknown_dimension=blank.id)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    assert "<strong>3 respondents.</strong>" in page
    assert "every area scored well" not in page
    assert f"Nobody could score {escape(blank.title)}: find out before you hire." in page


def test_small_departments_are_merged_into_other(client: FlaskClient, app: Flask) -> None:
    admin, respondent = create_team(client)
    for _ in range(3):
        respond(app, respondent, "marketing", 1.0)
    respond(app, respondent, "pr", 0.0)
    respond(app, respondent, "executive", 0.5)
    respond(app, respondent, "support", 0.5)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    assert "Other (3)" in page
    assert "PR or communications (" not in page
    assert "Executive (" not in page


def test_exports_are_anonymous(client: FlaskClient, app: Flask) -> None:
    admin, respondent = create_team(client)
    for department in ("marketing", "marketing", "pr", "it", "marketing", "marketing"):
        respond(app, respondent, department, 0.5)
    rows = list(csv.DictReader(io.StringIO(client.get(f"/t/{admin}/export.csv").get_data(as_text=True))))
    assert len(rows) == 6
    assert sorted(r["department"] for r in rows) == ["marketing"] * 4 + ["other"] * 2  # lone PR and IT merged
    assert not {"created_at", "token", "id"} & set(rows[0])
    data = json.loads(client.get(f"/t/{admin}/export.json").get_data(as_text=True))
    assert len(data["responses"]) == 6
    assert {"department", "answers", "overall", "questionnaire_version"} == set(data["responses"][0])


def test_exports_wait_for_three_and_grow_three_at_a_time(client: FlaskClient, app: Flask) -> None:
    """An export before three people answered, or one more after an export, would isolate one person's answers
    by comparing exports: each export holds the earliest responses in whole threes."""
    admin, respondent = create_team(client)
    levels = [0.0, 1.0, 0.5, 0.0, 1.0, 0.5]
    previous: list[dict[str, str]] = []
    for answered, level in enumerate(levels, start=1):
        assert respond(app, respondent, "marketing", level) == 200
        csv_export = client.get(f"/t/{admin}/export.csv")
        json_export = client.get(f"/t/{admin}/export.json")
        page = client.get(f"/t/{admin}").get_data(as_text=True)
        if answered < 3:
            assert (csv_export.status_code, json_export.status_code) == (409, 409)
            assert "once 3 people have answered" in csv_export.get_data(as_text=True)
            assert "Export responses" not in page
            continue
        rows = list(csv.DictReader(io.StringIO(csv_export.get_data(as_text=True))))
        assert len(rows) == len(json_export.get_json()["responses"]) == answered - answered % 3
        assert f"Exports hold {answered - answered % 3} of the {answered} responses" in page
        if answered % 3:  # one or two more answers change nothing an export shows
            assert sorted(map(str, rows)) == sorted(map(str, previous))
        previous = rows


def test_team_responses_take_no_free_text(client: FlaskClient, app: Flask) -> None:
    _, respondent = create_team(client)
    page = client.get(f"/t/join/{respondent}")
    response = client.post(
        f"/t/join/{respondent}", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "department": "it"}
    )
    step = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'name="{NOTE_FIELD}"' not in step
    assert f'name="{LABEL_FIELD}"' not in step
    assert "Answering anonymously for" in step


def test_closed_team_refuses_new_responses_with_a_clear_message(client: FlaskClient, app: Flask) -> None:
    admin, respondent = create_team(client)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    assert client.post(f"/t/{admin}/close", data={"csrf_token": csrf_token(page)}).status_code == 302
    refused = app.test_client().get(f"/t/join/{respondent}")
    assert refused.status_code == 403
    assert "closed to new responses" in refused.get_data(as_text=True)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    client.post(f"/t/{admin}/reopen", data={"csrf_token": csrf_token(page)})
    assert app.test_client().get(f"/t/join/{respondent}").status_code == 200


def test_respondent_link_cannot_open_the_report_or_settings(client: FlaskClient) -> None:
    admin, respondent = create_team(client)
    assert client.get(f"/t/{respondent}").status_code == 404
    assert client.get(f"/t/{respondent}/export.csv").status_code == 404
    other_admin, _ = create_team(client, "Other team")
    assert other_admin != admin


def test_delete_erases_team_responses_and_drafts(client: FlaskClient, app: Flask) -> None:
    admin, respondent = create_team(client)
    respond(app, respondent, "it", 0.5)
    confirm = client.get(f"/t/{admin}/delete")
    assert "cannot be undone" in confirm.get_data(as_text=True)
    client.post(f"/t/{admin}/delete", data={"csrf_token": csrf_token(confirm.get_data(as_text=True))})
    assert client.get(f"/t/{admin}").status_code == 404
    assert client.get(f"/t/join/{respondent}").status_code == 404
    with app.app_context():
        assert store.db.session.query(store.TeamResponse).count() == 0


@pytest.mark.parametrize("department", ["", "finance", "<script>"])
def test_department_must_be_one_of_the_list(client: FlaskClient, department: str) -> None:
    _, respondent = create_team(client)
    page = client.get(f"/t/join/{respondent}")
    response = client.post(
        f"/t/join/{respondent}", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "department": department}
    )
    assert response.status_code == 422
    assert "department" in response.get_data(as_text=True).lower()


def test_team_report_pdf_holds_the_aggregate(client: FlaskClient, app: Flask) -> None:
    import io

    from pypdf import PdfReader

    admin, respondent = create_team(client, "Initech social lead")
    for _ in range(3):
        respond(app, respondent, "marketing", 1.0)
    for _ in range(3):
        respond(app, respondent, "it", 0.0)
    response = client.get(f"/t/{admin}/report.pdf?size=letter")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()), strict=True)
    assert 2 <= len(reader.pages) <= 40
    pages = page_texts(response.get_data())
    text = " ".join(pages)
    assert "Initech social lead" in text
    assert "Marketing and IT see ownership differently" in text
    first = pages[0]
    assert "Fix these first" in first  # page 1 is the answer
    assert "6 respondents." in first
    assert round(float(reader.pages[0].mediabox.width)) == 612  # US Letter
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    starts = [i for i, page in enumerate(pages) if "Appendix: the detail behind this report" in page]
    assert starts
    assert 1 <= starts[0] <= 4  # at most four pages of report, then the marked appendix
    assert "Also on the list" not in text


def test_the_team_pdf_can_leave_its_appendix_out(client: FlaskClient, app: Flask) -> None:

    admin, respondent = create_team(client, "Initech social lead")
    for _ in range(3):
        respond(app, respondent, "marketing", 1.0)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    assert 'name="appendix"' in page  # the choice sits beside the download, as on a result's page

    def text_of(query: str) -> tuple[int, str]:
        response = client.get(f"/t/{admin}/report.pdf?size=a4{query}")
        assert response.status_code == 200
        pages = page_texts(response.get_data())
        return len(pages), " ".join(pages)

    full_pages, full = text_of("")
    main_pages, main = text_of("&appendix=0")
    assert "Appendix: the detail behind this report" in full
    assert "Appendix: the detail behind this report" not in main
    assert "Initech social lead" in main
    assert main_pages < full_pages <= 40
    assert client.get(f"/t/{admin}/report.pdf?appendix=2").status_code == 400


def test_team_pdf_failure_answers_503_and_the_page_still_works(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assess.reports import pdf

    admin, _ = create_team(client)

    def broken(*args: object, **kwargs: object) -> bytes:
        raise pdf.PdfError("layout failed")

    monkeypatch.setattr(pdf, "render_team_pdf", broken)
    response = client.get(f"/t/{admin}/report.pdf")
    assert response.status_code == 503
    assert "could not be made" in response.get_data(as_text=True)
    assert client.get(f"/t/{admin}").status_code == 200


def test_the_team_page_follows_each_new_response_although_its_aggregate_is_kept(
    client: FlaskClient, app: Flask
) -> None:
    """The aggregate is kept per process until the responses change (assess/web/teams.py): every response must
    still show at once, on the page and in the API."""
    admin, respondent = create_team(client)
    for department in ("marketing", "it"):
        respond(app, respondent, department, 1.0)
    assert "2 of at least 3 responses so far" in client.get(f"/t/{admin}").get_data(as_text=True)
    respond(app, respondent, "pr", 0.0)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    assert "<strong>3 respondents.</strong>" in page
    respond(app, respondent, "support", 0.0)
    assert "<strong>4 respondents.</strong>" in client.get(f"/t/{admin}").get_data(as_text=True)
    assert app.test_client().get(f"/api/v1/teams/{admin}").get_json()["responses"] == 4


def test_small_departments_are_named_and_a_shared_critical_flag_holds_the_band(client: FlaskClient, app: Flask) -> None:
    """Three marketers and two IT colleagues in a budget battle: IT is too small to show apart, so the report says
    where its answers went and whether it agrees with marketing, and the battle the IT answers raise caps the band."""
    admin, respondent = create_team(client)
    for _ in range(3):
        respond(app, respondent, "marketing", 1.0)
    for _ in range(2):
        respond(app, respondent, "it", 0.0)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    assert "2 answers from IT are counted only in the overall figures" in page
    assert "The other 2 respondents, outside Marketing," in page
    assert "Ownership and teamwork" in page.split("The other 2 respondents")[1].split("</p>")[0]
    assert '<h1 id="verdict-title">Ready with gaps</h1>' in page  # the median alone would say "Ready to hire"
    assert "Held at “Ready with gaps”:</strong>" in page
    assert "2 of 5 respondents raise “You would be hiring someone into a budget battle”" in page


def test_the_team_page_and_pdf_cap_their_lists_and_count_the_rest(
    client: FlaskClient, app: Flask, documents: list[str]
) -> None:
    """Past their caps, the fixes and the probes go under a closed "Show N more" on the page, numbered on from the
    list above them, and the PDF counts them instead; on paper each shown probe has lines for the answer."""
    from assess.web.teams import load_team_report

    admin, respondent = create_team(client)
    for level in (0.0, 0.0, 0.3):
        respond(app, respondent, "marketing", level)
    for level in (0.0, 0.3, 0.6):
        respond(app, respondent, "it", level)
    with app.test_request_context():
        team = store.get_team_by_admin(admin)
        assert team is not None
        report = load_team_report(team)
    fixes, fixes_rest = report.more_fixes
    probes, probes_rest = report.shown_probes
    assert fixes_rest  # the case under test: both lists run past their caps
    assert probes_rest

    page = client.get(f"/t/{admin}").get_data(as_text=True)
    shown_more = r'<details class="more"><summary>Show (\d+) more</summary><ol class="findings" start="(\d+)"'
    more = re.findall(shown_more, page)
    assert more == [
        (str(len(fixes_rest)), str(len(report.next_moves) + len(fixes) + 1)),
        (str(len(probes_rest)), str(len(probes) + 1)),
    ]
    for item in (*fixes, *fixes_rest, *probes, *probes_rest):
        assert f"<strong>{escape(item.title)}.</strong> {escape(item.text)}" in page
    for fix in (*fixes, *fixes_rest):
        assert f'<p class="why-matters">{escape(fix.reason)}</p>' in page
    assert 'class="answer-lines"' not in page

    assert client.get(f"/t/{admin}/report.pdf").status_code == 200
    (document,) = documents
    assert "<details" not in document
    assert re.findall(r"(\d+) more on the team page", document) == [str(len(fixes_rest)), str(len(probes_rest))]
    assert document.count('class="answer-lines"') == len(probes)
    for item in (*fixes, *probes):
        assert f"<strong>{escape(item.title)}.</strong> {escape(item.text)}" in document


def test_each_probe_is_titled_by_the_criterion_it_tests(client: FlaskClient, app: Flask) -> None:
    """Several probes come from one weak area; each carries what it tests (its criterion's title, as a single
    result's findings do), so no heading repeats the one before it."""
    from assess.web.teams import load_team_report

    admin, respondent = create_team(client)
    for department in ("marketing", "marketing", "it"):
        respond(app, respondent, department, 0.0)
    with app.test_request_context():
        team = store.get_team_by_admin(admin)
        assert team is not None
        report = load_team_report(team)
    questionnaire = report.questionnaire
    by_ask = {q.ask: questionnaire.criterion(q.criterion).title for q in questionnaire.questions if q.ask}
    area = {q.ask: q.dimension for q in questionnaire.questions if q.ask}
    probes = report.probes
    assert len({area[p.text] for p in probes}) < len(probes)  # the case under test: an area with several probes
    assert [p.title for p in probes] == [by_ask[p.text] for p in probes]
    assert len({p.title for p in probes}) == len(probes)
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    for probe in report.shown_probes[0]:
        assert f"<strong>{escape(probe.title)}.</strong> {escape(probe.text)}" in page


def test_a_shared_critical_flag_the_verdict_already_reflects_is_said_once(client: FlaskClient, app: Flask) -> None:
    """Everyone answers at the worst: the median's band is already the lowest, so the critical flags they share
    change nothing. Each is said once on the first screen, as a fix with how many raised it, not again as a dispute."""
    admin, respondent = create_team(client)
    for department in ("marketing", "marketing", "marketing", "it", "it", "it"):
        respond(app, respondent, department, 0.0)
    with app.test_request_context():
        from assess.web.teams import load_team_report

        team = store.get_team_by_admin(admin)
        assert team is not None
        report = load_team_report(team)
    assert report.summary.disputed_by  # critical flags raised by a third or more
    assert not report.band_capped
    page = client.get(f"/t/{admin}").get_data(as_text=True)
    answer = page.split('<section class="answer', 1)[1].split("</section>", 1)[0]
    assert "Disputed" not in answer
    assert 'class="disputed"' not in answer
    for flag in report.summary.disputed_by:
        assert answer.count(str(escape(flag.title))) == 1, flag.title
        assert f"Raised by {flag.count} of 6 respondents." in answer


def test_each_fix_says_what_a_candidate_will_ask_and_nothing_is_named_twice(
    client: FlaskClient, app: Flask, documents: list[str]
) -> None:
    """Defect: a flag's area came back as a fix of its own ("The post rests on stretched finances", then "Financial
    footing" with the same advice), and "What a candidate will ask" went over the same topics a third time. Each fix
    now carries its question; the probes ask the rest. On the page and on paper, every fix's title and every
    question is there once."""
    from assess.web.teams import load_team_report

    admin, respondent = create_team(client)
    for department, level in (("marketing", 0.0), ("it", 0.3), ("marketing", 0.6), ("it", 1.0)):
        respond(app, respondent, department, level)
    with app.test_request_context():
        team = store.get_team_by_admin(admin)
        assert team is not None
        report = load_team_report(team)
    areas = {d.title for d in report.questionnaire.dimensions}
    flags = [f for f in report.fixes if f.severity]
    assert flags  # the case under test: red flags and areas to fix, questions under fixes and probes
    assert [f for f in report.fixes if f.title in areas]
    asked = [f for f in report.fixes if f.ask]
    assert asked
    assert report.probes

    page = client.get(f"/t/{admin}").get_data(as_text=True)
    assert client.get(f"/t/{admin}/report.pdf?appendix=0").status_code == 200
    (document,) = documents
    on_paper = (*report.next_moves, *report.more_fixes[0], *report.shown_probes[0])  # the rest are counted
    for html, shown in ((page, (*report.fixes, *report.probes)), (document, on_paper)):
        assert "What else a candidate will ask" in html
        for item in (*report.fixes, *report.probes):
            assert html.count(f"<strong>{escape(item.title)}.</strong>") == (item in shown), item.title
        for fix in asked:
            assert html.count(str(escape(fix.ask))) == (fix in shown), fix.ask
            # on the page, the first three moves' questions are under "What a candidate will ask about these three"
            inline = fix in shown and (html is document or fix not in report.next_moves)
            assert (f"A candidate will ask: “{escape(fix.ask)}”" in html) == inline, fix.ask
        for probe in report.probes:
            assert html.count(str(escape(probe.text))) == (probe in shown), probe.text


def test_the_team_name_control_is_the_one_wtforms_writes(client: FlaskClient, app: Flask) -> None:
    """templates/_macros.html writes text inputs out itself. The team's name, a required field sent back too long,
    must come out as WTForms' own widget writes it: `required` from its validator, its limits, the text entered."""
    from werkzeug.datastructures import MultiDict

    from assess.web.teams import NewTeamForm
    from tests.helpers import Controls

    form = client.get("/teams/new")
    data = {"csrf_token": csrf_token(form.get_data(as_text=True)), "name": 'Acme "Social" <b>&</b> ' + "x" * 120}
    response = client.post("/teams/new", data=data)
    assert response.status_code == 422
    page = Controls(response.get_data(as_text=True))
    with app.test_request_context("/teams/new", method="POST", data=data):
        wtforms = NewTeamForm(formdata=MultiDict(data), meta={"csrf": False})
        assert not wtforms.validate()
        field = wtforms.name
        aria = {"aria-describedby": f"{field.id}-help {field.id}-error", "aria-invalid": "true"}
        expected = Controls(str(field(**aria)))
    assert page.attrs["name"] == expected.attrs["name"]
    assert "required" in page.attrs["name"]
    assert page.attrs["name"]["value"] == data["name"]
