"""Teams: a hiring manager asks colleagues across departments, and sees where they agree and where they do not."""

from __future__ import annotations

import csv
import io
import json
import logging
import random

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from assess import store
from assess.core import result_from_dict
from assess.core.compare import MIN_GROUP, OTHER, TeamSummary, aggregate
from assess.reports import pdf as pdf_report
from assess.reports.team import TeamReport, build_team_report

from . import catalog
from .reports import default_page_size

bp = Blueprint("teams", __name__)
log = logging.getLogger(__name__)

TEAM_SLUG = "org-readiness"
DEPARTMENTS = {
    "marketing": "Marketing",
    "it": "IT",
    "pr": "PR or communications",
    "support": "Customer support",
    "executive": "Executive",
    OTHER: "Other",
}


class NewTeamForm(FlaskForm):  # type: ignore[misc]
    """The team's name, shown to respondents."""

    name = StringField(
        "Team or organisation name",
        validators=[DataRequired("Give the team a name, so respondents know what they are rating."), Length(max=120)],
        description="Shown to everyone you invite, e.g. “Acme Ltd, social media hire 2027”.",
        render_kw={"maxlength": 120, "autocomplete": "off"},
    )


class JoinForm(FlaskForm):  # type: ignore[misc]
    """The department a respondent speaks for."""

    department = RadioField(
        "Which department do you speak for?",
        choices=[SelectChoice(k, v) for k, v in DEPARTMENTS.items()],
        validators=[InputRequired("Choose the department you speak for, or “Other”.")],
        description="Departments with fewer than three respondents are merged into “Other”, so no one is singled out.",
    )


def _team_for_admin(token: str) -> store.Team:
    team = store.get_team_by_admin(token)
    if team is None:
        abort(404, description="No team matches this link. It may have been deleted, or mistyped.")
    return team


def _team_for_respondent(token: str) -> store.Team:
    team = store.get_team_by_respondent(token)
    if team is None:
        abort(404, description="No team matches this link. It may have been deleted, or mistyped.")
    return team


def team_summary(team: store.Team) -> TeamSummary:
    """The aggregate of a team's responses (nothing shown until MIN_GROUP have answered)."""
    responses = [(r.department, result_from_dict(r.result)) for r in store.team_responses(team)]
    return aggregate(responses, flag_share=current_app.config["TEAM_FLAG_SHARE"])


def load_team_report(team: store.Team) -> TeamReport:
    """The team's report, as the admin page and the PDF show it."""
    return build_team_report(catalog().get(team.slug), team.name, team_summary(team), team.created_at, DEPARTMENTS)


def anonymous_rows(team: store.Team) -> list[dict[str, object]]:
    """The responses for export: departments below MIN_GROUP shown as "other", order shuffled, no timestamps."""
    responses = store.team_responses(team)
    sizes: dict[str, int] = {}
    for r in responses:
        sizes[r.department] = sizes.get(r.department, 0) + 1
    rows = [
        {
            "department": r.department if sizes[r.department] >= MIN_GROUP else OTHER,
            "questionnaire_version": r.version,
            "overall": r.result["overall"]["score"],
            "answers": r.answers,
        }
        for r in responses
    ]
    random.SystemRandom().shuffle(rows)  # storage order could reveal who answered when
    return rows


@bp.route("/teams/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    """Create a team and go to its admin page."""
    form = NewTeamForm()
    if form.validate_on_submit():
        questionnaire = catalog().get(TEAM_SLUG)
        team = store.create_team(form.name.data.strip(), questionnaire.slug, questionnaire.version)
        return redirect(url_for("teams.admin", token=team.admin_token))
    status = 422 if form.errors else 200
    return render_template("teams/new.html", form=form, questionnaire=catalog().get(TEAM_SLUG)), status


@bp.get("/t/<token>")
def admin(token: str) -> ResponseReturnValue:
    """The manager's page: links, status, controls and the team report."""
    team = _team_for_admin(token)
    return render_template(
        "teams/admin.html",
        team=team,
        report=load_team_report(team),
        min_group=MIN_GROUP,
        private_page=True,
    )


@bp.post("/t/<token>/close")
def close(token: str) -> ResponseReturnValue:
    """Stop accepting responses."""
    team = _team_for_admin(token)
    store.set_team_closed(team, True)
    flash("The team is closed: the respondent link no longer accepts answers.", "success")
    return redirect(url_for("teams.admin", token=token))


@bp.post("/t/<token>/reopen")
def reopen(token: str) -> ResponseReturnValue:
    """Accept responses again."""
    team = _team_for_admin(token)
    store.set_team_closed(team, False)
    flash("The team is open again: the respondent link accepts answers.", "success")
    return redirect(url_for("teams.admin", token=token))


@bp.get("/t/<token>/export.json")
def export_json(token: str) -> ResponseReturnValue:
    """The anonymous responses as JSON."""
    team = _team_for_admin(token)
    body = {
        "format": "escape-velocity-team-responses",
        "format_version": 1,
        "team": team.name,
        "questionnaire": team.slug,
        "responses": anonymous_rows(team),
    }
    return Response(
        json.dumps(body, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="team-responses.json"'},
    )


@bp.get("/t/<token>/export.csv")
def export_csv(token: str) -> ResponseReturnValue:
    """The anonymous responses as CSV: one row per response, one column per question."""
    team = _team_for_admin(token)
    questionnaire = catalog().get(team.slug)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["department", "questionnaire_version", "overall", *(q.id for q in questionnaire.questions)])
    for row in anonymous_rows(team):
        answers = row["answers"] if isinstance(row["answers"], dict) else {}
        writer.writerow(
            [
                row["department"],
                row["questionnaire_version"],
                row["overall"],
                *(answers.get(q.id, "") for q in questionnaire.questions),
            ]
        )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="team-responses.csv"'},
    )


@bp.get("/t/<token>/report.pdf")
def report_pdf(token: str) -> ResponseReturnValue:
    """The team report as a PDF, rendered fresh (responses keep arriving), on A4 or US Letter."""
    team = _team_for_admin(token)
    size = request.args.get("size", "").strip().lower() or default_page_size()
    if size not in pdf_report.PAGE_SIZES:
        abort(400, description="The paper size must be a4 or letter.")
    try:
        body = pdf_report.render_team_pdf(load_team_report(team), size)
    except Exception:
        log.exception("team PDF report failed (size %s)", size)
        back = url_for("teams.admin", token=token)
        page = render_template("report/unavailable.html", back_url=back, private_page=True)
        return page, 503, {"Retry-After": "120"}
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="escape-velocity-team-{team.created_at:%Y-%m-%d}.pdf"'},
    )


@bp.get("/t/<token>/delete")
def confirm_delete(token: str) -> ResponseReturnValue:
    """Ask before erasing the team."""
    team = _team_for_admin(token)
    return render_template("teams/delete.html", team=team, count=store.count_team_responses(team), private_page=True)


@bp.post("/t/<token>/delete")
def delete(token: str) -> ResponseReturnValue:
    """Erase the team and all its responses."""
    store.delete_team(_team_for_admin(token))
    flash("The team and all its responses were deleted for good.", "success")
    return redirect(url_for("pages.landing"))


@bp.route("/t/join/<token>", methods=["GET", "POST"])
def join(token: str) -> ResponseReturnValue:
    """A respondent's way in: what this is, the department they speak for, then the questionnaire."""
    team = _team_for_respondent(token)
    questionnaire = catalog().get(team.slug)
    if team.closed:
        return render_template("teams/closed.html", team=team, private_page=True), 403
    form = JoinForm()
    if form.validate_on_submit():
        draft = store.create_draft(team.slug, team.version, team=team, department=form.department.data)
        return redirect(url_for("wizard.step", token=draft.token, step=1))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "teams/join.html", team=team, form=form, questionnaire=questionnaire, private_page=True
    ), status


@bp.get("/t/join/<token>/thanks")
def thanks(token: str) -> ResponseReturnValue:
    """After answering: thanks, and what happens to the answers."""
    team = _team_for_respondent(token)
    return render_template("teams/thanks.html", team=team, private_page=True)
