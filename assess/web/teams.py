"""Teams: a hiring manager asks colleagues across departments, and sees where they agree and where they do not."""

from __future__ import annotations

import csv
import io
import json
import logging
import random
import threading
from collections import Counter

from cachetools import LRUCache
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from assess import jobs, store
from assess.core import result_from_dict
from assess.core.aggregate import MIN_GROUP, OTHER, TeamSummary, aggregate, merged_department
from assess.reports import pdf as pdf_report
from assess.reports.team import TeamReport, build_team_report

from .errors import json_error
from .forms import Form
from .limits import PDF, SUBMIT, limit
from .lookup import catalog
from .reports import cache_variant, default_page_size

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


class NewTeamForm(Form):
    """The team's name, shown to respondents."""

    name = StringField(
        "Team or organisation name",
        validators=[DataRequired("Give the team a name, so respondents know what they are rating."), Length(max=120)],
        # Cleaned as the model keeps it before it is checked: a name of NULs (`%00`) is no name.
        filters=[lambda text: store.trimmed(text) if text else text],
        description="Shown to everyone you invite, e.g. “Acme Ltd, social media hire 2027”.",
        render_kw={"maxlength": 120, "autocomplete": "off"},
    )


class JoinForm(Form):
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


_summaries: LRUCache[tuple[str, int, int | None, float], TeamSummary] = LRUCache(maxsize=32)
_summaries_lock = threading.Lock()


def team_summary(team: store.Team) -> TeamSummary:
    """The aggregate of a team's responses (nothing shown until MIN_GROUP have answered).

    Kept per process (a small LRU cache) until the team's responses change: rebuilding every stored result took
    most of a big team's page (about 150 ms for 200 people), and the aggregate changes only when someone answers.
    The key holds the team's response count and newest response id, read with one small query each time.
    """
    share = float(current_app.config["TEAM_FLAG_SHARE"])
    key = (team.admin_token, *store.team_responses_marker(team), share)
    with _summaries_lock:
        summary = _summaries.get(key)
    if summary is None:
        responses = [(r.department, result_from_dict(r.result)) for r in store.team_responses(team)]
        summary = aggregate(responses, flag_share=share)
        with _summaries_lock:
            _summaries[key] = summary
    return summary


def load_team_report(team: store.Team) -> TeamReport:
    """The team's report, as the admin page and the PDF show it."""
    return build_team_report(catalog().get(team.slug), team.name, team_summary(team), team.created_at, DEPARTMENTS)


EXPORT_STEP = MIN_GROUP
"""Exports hold the earliest responses in whole steps of this many (see `anonymous_rows`)."""


def anonymous_rows(team: store.Team) -> list[dict[str, object]]:
    """The responses for export, under the report's anonymity rules and safe from differencing: nothing before
    MIN_GROUP people have answered; then the earliest responses in whole steps of EXPORT_STEP (3 of 4 or 5, 6 of 6
    to 8), so two exports never differ by fewer than three people and no one response can be isolated by
    comparing them; departments below MIN_GROUP in the export shown as "other"; order shuffled; no timestamps."""
    responses = store.exportable_team_responses(team, EXPORT_STEP)
    sizes = Counter(r.department for r in responses)
    rows = [
        {
            "department": merged_department(r.department, sizes[r.department]),
            "questionnaire_version": r.version,
            "overall": r.result["overall"]["score"],
            "answers": r.answers,
        }
        for r in responses
    ]
    random.SystemRandom().shuffle(rows)  # storage order could reveal who answered when
    return rows


@bp.route("/teams/new", methods=["GET", "POST"])
@limit(SUBMIT, ["POST"])
def new() -> ResponseReturnValue:
    """Create a team and go to its admin page."""
    form = NewTeamForm()
    if form.validate_on_submit():
        questionnaire = catalog().get(TEAM_SLUG)
        team = store.create_team(form.name.data, questionnaire.slug, questionnaire.version)
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
        exportable=len(store.exportable_team_responses(team, EXPORT_STEP)),
        private_page=True,
    )


@bp.post("/t/<token>/close")
@limit(SUBMIT)
def close(token: str) -> ResponseReturnValue:
    """Stop accepting responses."""
    team = _team_for_admin(token)
    store.set_team_closed(team, True)
    flash("The team is closed: the respondent link no longer accepts answers.", "success")
    return redirect(url_for("teams.admin", token=token))


@bp.post("/t/<token>/reopen")
@limit(SUBMIT)
def reopen(token: str) -> ResponseReturnValue:
    """Accept responses again."""
    team = _team_for_admin(token)
    store.set_team_closed(team, False)
    flash("The team is open again: the respondent link accepts answers.", "success")
    return redirect(url_for("teams.admin", token=token))


@jobs.producer("json")
def responses_json(team: store.Team, variant: str = "") -> jobs.Output:
    """The anonymous responses as JSON."""
    body = {
        "format": "escape-velocity-team-responses",
        "format_version": 1,
        "team": team.name,
        "questionnaire": team.slug,
        "responses": anonymous_rows(team),
    }
    text = json.dumps(body, indent=2, ensure_ascii=False)
    return jobs.Output(text.encode("utf-8"), "application/json", "team-responses.json")


@jobs.producer("csv")
def responses_csv(team: store.Team, variant: str = "") -> jobs.Output:
    """The anonymous responses as CSV: one row per response, one column per question."""
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
    return jobs.Output(out.getvalue().encode("utf-8"), "text/csv", "team-responses.csv")


@jobs.producer("pdf")
def report_document(team: store.Team, variant: str) -> jobs.Output:
    """The team report as a PDF on A4 or US Letter, with or without its appendix (the variant is the paper's key,
    as `reports.cache_variant` writes it), rendered fresh each time (responses keep arriving)."""
    size, appendix = paper_choice(variant)
    body = pdf_report.render_team_pdf(load_team_report(team), size, appendix=appendix)
    return jobs.Output(body, "application/pdf", f"escape-velocity-team-{team.created_at:%Y-%m-%d}.pdf")


PAPER_NAMES = {"a4": "A4", "letter": "US Letter"}


def paper_choice(variant: str) -> tuple[str, bool]:
    """The paper size and whether the appendix is printed, read back from a job's variant ("a4", "letter-m")."""
    size, _, main_only = variant.partition("-")
    return size, main_only != "m"


def _deliver(team: store.Team, kind: str, variant: str = "") -> ResponseReturnValue:
    """A team's PDF or export: put on the job queue when there is one (and off to its progress page), else made
    now, in the request. A queue that cannot be reached falls back to making it now too."""
    if jobs.queue_enabled():
        try:
            job = jobs.submit(team, kind, variant)
        except jobs.QueueUnavailable:
            log.warning("job queue unreachable: making a team %s in the request instead", kind)
        else:
            return redirect(url_for("teams.job_page", token=team.admin_token, job_token=job.token), code=303)
    try:
        output = jobs.produce(team, kind, variant)
    except Exception:
        if kind != "pdf":
            raise
        log.exception("team PDF report failed (size %s)", variant)
        back = url_for("teams.admin", token=team.admin_token)
        page = render_template("report/unavailable.html", back_url=back, private_page=True)
        return page, 503, {"Retry-After": "120"}
    return _attachment(output)


def _attachment(output: jobs.Output) -> Response:
    return Response(
        output.body,
        mimetype=output.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{output.filename}"'},
    )


def _exportable(token: str) -> store.Team:
    """The team, if its responses may be exported yet: 409 before MIN_GROUP people have answered."""
    team = _team_for_admin(token)
    if store.count_team_responses(team) < MIN_GROUP:
        abort(
            409,
            description=f"Responses can be exported once {MIN_GROUP} people have answered, as the report is shown: "
            "before that, an export would show one person's answers.",
        )
    return team


@bp.get("/t/<token>/export.json")
def export_json(token: str) -> ResponseReturnValue:
    """The anonymous responses as JSON."""
    return _deliver(_exportable(token), "json")


@bp.get("/t/<token>/export.csv")
def export_csv(token: str) -> ResponseReturnValue:
    """The anonymous responses as CSV."""
    return _deliver(_exportable(token), "csv")


@bp.get("/t/<token>/report.pdf")
@limit(PDF)
def report_pdf(token: str) -> ResponseReturnValue:
    """The team report as a PDF, on A4 or US Letter."""
    team = _team_for_admin(token)
    size = request.args.get("size", "").strip().lower() or default_page_size()
    if size not in pdf_report.PAGE_SIZES:
        abort(400, description="The paper size must be a4 or letter.")
    appendix = request.args.get("appendix", "1").strip()
    if appendix not in ("0", "1"):
        abort(400, description="The appendix choice must be 1 (with the appendix) or 0 (without).")
    return _deliver(team, "pdf", cache_variant(size, appendix == "1"))


def _job_for(team: store.Team, job_token: str) -> jobs.TeamJob:
    job = jobs.get(team, job_token)
    if job is None:
        abort(
            404,
            description="No report or export matches this link. Each is kept for a day, and goes when the team is "
            "deleted; ask for it again from the team page.",
        )
    return job


def job_title(job: jobs.TeamJob) -> str:
    """What the job makes, as a page title: "Team report (PDF, A4)"."""
    if job.kind == "pdf":
        size, appendix = paper_choice(job.variant)
        return f"Team report (PDF, {PAPER_NAMES.get(size, size)}{'' if appendix else ', without the appendix'})"
    return f"Responses export ({job.kind.upper()})"


def job_message(status: jobs.Status) -> str:
    """One sentence on where the job stands, for the page's live region and its JSON status alike."""
    reasons = {
        jobs.ERROR: "something went wrong while making it (it has been logged)",
        jobs.TIMEOUT: f"it took longer than the {current_app.config['JOB_TIMEOUT']}-second limit",
        jobs.LOST: "the worker making it stopped before it finished",
    }
    reason = reasons.get(status.error, reasons[jobs.ERROR])
    if status.state == jobs.DONE:
        until = f"{status.expires_at.day} {status.expires_at:%B %Y, %H:%M}"
        return f"Ready. Download it below; it is kept until {until} UTC."
    if status.state == jobs.FAILED:
        return f"It could not be made: {reason}."
    if status.state == jobs.RUNNING:
        return "Being made now" + (" (second attempt)" if status.attempts > 1 else "") + "."
    first = f"The first attempt failed: {reason}. It is queued to be tried once more." if status.error else "Queued."
    if status.stalled == jobs.NO_WORKER:
        return f"{first} No worker is running to make it, so it may wait a long time: you can have it made now."
    if status.stalled == jobs.QUEUE_DOWN:
        return f"{first} The job queue cannot be reached just now: you can have it made now."
    if status.ahead is None:
        return f"{first} Waiting for a worker to pick it up."
    if status.ahead == 0:
        return f"{first} It is next in line."
    return f"{first} {status.ahead} ahead of it in the queue."


@bp.get("/t/<token>/jobs/<job_token>")
def job_page(token: str, job_token: str) -> ResponseReturnValue:
    """A queued PDF or export: where it stands (refreshing itself), then its download link or what to do."""
    team = _team_for_admin(token)
    job = _job_for(team, job_token)
    status = jobs.status(job)
    return render_template(
        "teams/job.html",
        team=team,
        job=job,
        status=status,
        title=job_title(job),
        message=job_message(status),
        private_page=True,
    )


@bp.get("/t/<token>/jobs/<job_token>/status")
def job_status(token: str, job_token: str) -> ResponseReturnValue:
    """The job's state as JSON, polled by the progress page's script."""
    team = store.get_team_by_admin(token)
    job = jobs.get(team, job_token) if team is not None else None
    if team is None or job is None:
        return json_error(404, "unknown_job", "No report or export matches this link. Ask for it again.")
    status = jobs.status(job)
    done = status.state == jobs.DONE
    return jsonify(
        {
            "state": status.state,
            "message": job_message(status),
            "attempts": status.attempts,
            "ahead": status.ahead,
            "stalled": bool(status.stalled),
            "download_url": url_for("teams.job_download", token=token, job_token=job_token) if done else None,
        }
    )


@bp.get("/t/<token>/jobs/<job_token>/download")
def job_download(token: str, job_token: str) -> ResponseReturnValue:
    """The job's output, once made; before that, its progress page."""
    team = _team_for_admin(token)
    job = _job_for(team, job_token)
    if job.state != jobs.DONE or job.output is None:
        return redirect(url_for("teams.job_page", token=token, job_token=job_token), code=303)
    return _attachment(jobs.Output(job.output, job.mimetype, job.filename))


@bp.post("/t/<token>/jobs/<job_token>/retry")
@limit(PDF)
def job_retry(token: str, job_token: str) -> ResponseReturnValue:
    """Ask again for what a failed job was to make: a new job (or, without a queue, the download itself)."""
    team = _team_for_admin(token)
    job = _job_for(team, job_token)
    if job.state != jobs.FAILED:
        return redirect(url_for("teams.job_page", token=token, job_token=job_token), code=303)
    return _deliver(team, job.kind, job.variant)


@bp.post("/t/<token>/jobs/<job_token>/now")
@limit(PDF)
def job_now(token: str, job_token: str) -> ResponseReturnValue:
    """Make a queued job's output in this request, when no worker will (the page offers it once it is stalled),
    and send it. A job that a worker started meanwhile, or that is already made, goes back to its page."""
    team = _team_for_admin(token)
    job = _job_for(team, job_token)
    page = url_for("teams.job_page", token=token, job_token=job_token)
    if job.state != jobs.QUEUED:
        return redirect(page, code=303)
    try:
        output = jobs.make_now(job)
    except Exception:
        log.exception("team %s made in the request failed", job.kind)
        return redirect(page, code=303)  # the job is failed now, and its page offers "Try again"
    if output is None:
        return redirect(page, code=303)
    return _attachment(output)


@bp.get("/t/<token>/delete")
def confirm_delete(token: str) -> ResponseReturnValue:
    """Ask before erasing the team."""
    team = _team_for_admin(token)
    return render_template("teams/delete.html", team=team, count=store.count_team_responses(team), private_page=True)


@bp.post("/t/<token>/delete")
@limit(SUBMIT)
def delete(token: str) -> ResponseReturnValue:
    """Erase the team, all its responses and its PDFs and exports."""
    team = _team_for_admin(token)
    jobs.forget_team(team)  # in the same transaction as the team's own delete
    store.delete_team(team)
    flash("The team and all its responses were deleted for good.", "success")
    return redirect(url_for("pages.landing"))


@bp.route("/t/join/<token>", methods=["GET", "POST"])
@limit(SUBMIT, ["POST"])
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
