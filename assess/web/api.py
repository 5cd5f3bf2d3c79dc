"""The JSON API under /api/v1: questionnaires, assessments (create, read, PDF, exports, delete) and imports.

JSON in, JSON out. No CSRF token and no cookie: the blueprint is exempt from CSRFProtect and never touches the
session, so the result token in the URL is the only key. Every refusal is `{"error": {"code", "message",
"field"}}` with a 4xx status (see `errors.py`); the whole API is described by `openapi.py`, served at
/api/v1/openapi.json and rendered for people at /api/v1/docs.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from assess import interchange, store
from assess.core import questionnaire_to_dict, result_to_dict, score
from assess.core.aggregate import MIN_GROUP, Agreement, SharedFlag, Spread, capped_band
from assess.extensions import csrf
from assess.jobads import read_ad, reading_to_dict
from assess.reports import pdf as pdf_report

from . import exports, imports, jobads, openapi, schemas, teams
from .errors import ApiError, json_error
from .limits import PDF, SUBMIT, limit
from .lookup import catalog
from .reports import kept_pdf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.after_request
def _no_store(response: Response) -> Response:
    """Results are private: no shared cache may keep them."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _assessment(token: str) -> store.Assessment:
    assessment = store.get_assessment(token)
    if assessment is None:
        raise ApiError(
            404, "unknown_assessment", "No result matches this token. It may have been deleted, or mistyped."
        )
    return assessment


def links(token: str) -> schemas.Links:
    """Where a stored result can be read, seen, printed and exported."""
    return schemas.Links(
        self=url_for("api.assessment", token=token, _external=True),
        html=url_for("results.show", token=token, _external=True),
        pdf=url_for("api.report_pdf", token=token, _external=True),
        export_json=url_for("api.export_json", token=token, _external=True),
        export_csv=url_for("api.export_csv", token=token, _external=True),
    )


def stored(assessment: store.Assessment) -> dict[str, Any]:
    """A stored result as the API writes it (`schemas.Assessment`): the scored result, with its token, inputs and
    links."""
    return {
        **assessment.result,
        "token": assessment.token,
        "questionnaire": assessment.slug,
        "version": assessment.version,
        "label": assessment.label,
        "notes": assessment.notes,
        "answers": assessment.answers,
        "created_at": interchange.iso(assessment.created_at),
        "links": links(assessment.token),
    }


# ---------------------------------------------------------------------------------------------------------
# The document and its page


@bp.get("/openapi.json")
def openapi_json() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(openapi.document())


@bp.get("/docs")
def docs() -> ResponseReturnValue:
    """The same document, for people."""
    return render_template("api/docs.html", doc=openapi.document(), view=openapi.DocsView(openapi.document()))


# ---------------------------------------------------------------------------------------------------------
# Questionnaires


@bp.get("/questionnaires")
def questionnaires() -> ResponseReturnValue:
    """Every questionnaire, briefly."""
    return schemas.respond(
        schemas.QuestionnaireList(
            questionnaires=[
                schemas.QuestionnaireSummary(
                    slug=q.slug,
                    version=q.version,
                    title=q.title,
                    audience=q.audience,
                    summary=q.summary,
                    questions=len(q.questions),
                    links=schemas.QuestionnaireLinks(
                        self=url_for("api.questionnaire", slug=q.slug, _external=True),
                        assessments=url_for("api.create_assessment", slug=q.slug, _external=True),
                        html=url_for("wizard.intro", slug=q.slug, _external=True),
                    ),
                )
                for q in catalog().questionnaires.values()
            ]
        )
    )


@bp.get("/questionnaires/<slug>")
def questionnaire(slug: str) -> ResponseReturnValue:
    """A questionnaire's full definition."""
    definition = questionnaire_to_dict(imports.questionnaire_named(slug))
    return schemas.respond(schemas.Questionnaire.model_validate(definition, strict=False))


@bp.post("/questionnaires/<slug>/assessments")
@limit(SUBMIT)
def create_assessment(slug: str) -> ResponseReturnValue:
    """Score answers and store the result; questions left out count as "unknown"."""
    questionnaire = imports.questionnaire_named(slug)
    body = schemas.read(schemas.AssessmentCreate)
    answers = imports.check_answers_field(questionnaire, body.answers)
    notes = imports.check_notes(questionnaire, body.notes)
    label = body.label
    row = stored(imports.score_and_store(questionnaire, answers, label, notes))
    return schemas.respond(schemas.Assessment.model_validate(row, strict=False), 201, location=row["links"].self)


# ---------------------------------------------------------------------------------------------------------
# Assessments


@bp.get("/assessments/<token>")
def assessment(token: str) -> ResponseReturnValue:
    """A stored result."""
    return schemas.respond(schemas.Assessment.model_validate(stored(_assessment(token)), strict=False))


@bp.delete("/assessments/<token>")
def delete_assessment(token: str) -> ResponseReturnValue:
    """Erase a result and the draft it came from, for good."""
    store.delete_assessment(_assessment(token))
    return "", 204


@bp.get("/assessments/<token>/report.pdf")
@limit(PDF)
def report_pdf(token: str) -> ResponseReturnValue:
    """The printable report, on A4 or US Letter: the same PDF as /r/<token>/report.pdf, kept after the first render
    (store.ReportPdf) exactly as the site's route keeps it."""
    assessment = _assessment(token)
    size = request.args.get("size", "a4").strip().lower()
    if size not in pdf_report.PAGE_SIZES:
        raise ApiError(422, "invalid_type", f"size must be one of: {', '.join(pdf_report.PAGE_SIZES)}.", "size")
    filename = interchange.export_filename(assessment, "pdf")  # read before rendering: it may be deleted meanwhile
    body = kept_pdf(assessment, size)
    if body is None:  # never a 500: the caller gets a JSON 503 and may retry
        response = json_error(503, "pdf_unavailable", "The PDF report could not be made just now; try again later.")
        response.headers["Retry-After"] = str(current_app.config.get("PDF_RETRY_AFTER", 120))
        return response
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/assessments/<token>/export.json")
def export_json(token: str) -> ResponseReturnValue:
    """The portable JSON export of a result."""
    return exports.json_download(_assessment(token))


@bp.get("/assessments/<token>/export.csv")
def export_csv(token: str) -> ResponseReturnValue:
    """One CSV row a question."""
    return exports.csv_download(_assessment(token))


# ---------------------------------------------------------------------------------------------------------
# Imports


@bp.post("/imports")
@limit(SUBMIT)
def import_export() -> ResponseReturnValue:
    """Re-score a JSON export with the current questionnaire and store it as a new result."""
    imported = imports.import_document(schemas.json_body())
    outcome = schemas.ImportOutcome(
        exported_version=imported.exported_version,
        same_version=imported.same_version,
        same_result=imported.same_result,
        message=imported.message,
    )
    row = stored(imported.assessment)
    body = schemas.ImportedAssessment.model_validate({**row, "import": outcome}, strict=False)
    return schemas.respond(body, 201, location=row["links"].self)


# ---------------------------------------------------------------------------------------------------------
# Job ads


@bp.post("/job-ads")
@limit(SUBMIT)
def read_job_ad() -> ResponseReturnValue:
    """Read a job ad's text for the article's warning signs: findings with their sentences, the answers it settles,
    the questions it raises. Nothing is stored, and the ad's text is not returned."""
    body = schemas.read(schemas.JobAdRead)
    reading = read_ad(body.text, jobads.signals())
    return schemas.respond(schemas.JobAdReading.model_validate(reading_to_dict(reading, jobads.signals())))


# ---------------------------------------------------------------------------------------------------------
# Teams: several raters for one organisation


def _spread(spread: Spread) -> schemas.TeamSpread:
    return schemas.TeamSpread(
        id=spread.id,
        title=spread.title,
        n=spread.n,
        median=spread.median,
        min=spread.low,
        max=spread.high,
        spread=spread.spread,
        disagreement=spread.disagreement,
    )


def team_fields(team: store.Team) -> dict[str, Any]:
    """A team's aggregate as the API serves it (`schemas.Team`): statistics only, never one respondent's answers."""
    summary = teams.team_summary(team)
    band, band_capped = capped_band(
        catalog().get(team.slug).main_part, summary.overall.median, bool(summary.disputed_by)
    )

    def flag(f: SharedFlag) -> schemas.TeamFlag:
        return schemas.TeamFlag(
            id=f.id, title=f.title, severity=f.severity, criterion=f.criterion, count=f.count, share=f.share
        )

    def agreement(a: Agreement) -> schemas.TeamAgreement:
        return schemas.TeamAgreement(id=a.id, title=a.title, agrees=a.agrees)

    rest = summary.rest
    return {
        "name": team.name,
        "questionnaire": team.slug,
        "version": team.version,
        "closed": team.closed,
        "responses": summary.n,
        "shown": summary.shown,
        "min_group": MIN_GROUP,
        "overall": _spread(summary.overall),
        "dimensions": [_spread(s) for s in summary.dimensions],
        "departments": [
            schemas.TeamDepartment(
                department=g.name, n=g.n, overall=_spread(g.overall), dimensions=[_spread(s) for s in g.dimensions]
            )
            for g in summary.groups
        ],
        "flags": [flag(f) for f in summary.flags],
        "divides": [
            schemas.TeamDivide(
                dimension=d.dimension,
                title=d.title,
                first=d.first,
                first_median=d.first_median,
                second=d.second,
                second_median=d.second_median,
                gap=d.gap,
            )
            for d in summary.divides
        ],
        "band": band.id if band is not None else None,
        "band_capped": band_capped,
        "disputed_by": [flag(f) for f in summary.disputed_by],
        "unshown": [
            schemas.TeamUnshown(department=u.department, n=u.n, counted_in=u.counted_in) for u in summary.unshown
        ],
        "rest": None
        if rest is None
        else schemas.TeamRest(
            department=rest.department,
            n_rest=rest.n_rest,
            overall=agreement(rest.overall),
            dimensions=[agreement(a) for a in rest.dimensions],
        ),
        "links": schemas.TeamLinks(
            self=url_for("api.team", token=team.admin_token, _external=True),
            html=url_for("teams.admin", token=team.admin_token, _external=True),
            respond_html=url_for("teams.join", token=team.respondent_token, _external=True),
            responses=url_for("api.team_response", token=team.respondent_token, _external=True),
        ),
    }


@bp.post("/teams")
@limit(SUBMIT)
def create_team() -> ResponseReturnValue:
    """Open a team (org-readiness) and hand back its admin and respondent tokens."""
    body = schemas.read(schemas.TeamCreate)
    questionnaire = catalog().get(teams.TEAM_SLUG)
    team = store.create_team(body.name, questionnaire.slug, questionnaire.version)
    created = schemas.TeamCreated(
        **team_fields(team), admin_token=team.admin_token, respondent_token=team.respondent_token
    )
    return schemas.respond(created, 201, location=created.links.self)


@bp.get("/teams/<token>")
def team(token: str) -> ResponseReturnValue:
    """The team's aggregate, by its admin token."""
    found = store.get_team_by_admin(token)
    if found is None:
        raise ApiError(404, "unknown_team", "No team has this admin token. It may have been deleted, or mistyped.")
    return schemas.respond(schemas.Team(**team_fields(found)))


@bp.post("/teams/<token>/responses")
@limit(SUBMIT)
def team_response(token: str) -> ResponseReturnValue:
    """One anonymous response, by the team's respondent token."""
    found = store.get_team_by_respondent(token)
    if found is None:
        raise ApiError(404, "unknown_team", "No team has this respondent token. It may have been deleted, or mistyped.")
    if found.closed:
        raise ApiError(409, "team_closed", f"“{found.name}” is closed to new responses.")
    body = schemas.read(schemas.TeamResponseCreate)
    questionnaire = catalog().get(found.slug)
    answers = imports.check_answers_field(questionnaire, body.answers)
    complete = {q.id: answers.get(q.id, "unknown") for q in questionnaire.questions}
    store.add_team_response(found, body.department, complete, result_to_dict(score(questionnaire, complete)))
    recorded = schemas.TeamResponseRecorded(team=found.name, department=body.department, recorded=True)
    return schemas.respond(recorded, 201)
