"""The questionnaire wizard: one section a page, saved as a draft at every step, resumable by private link."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from assess import store
from assess.core import UNKNOWN, Questionnaire, result_to_dict, score
from assess.extensions import csrf

from . import jobads
from .forms import LABEL_FIELD, NOTE_FIELD, question_field, section_form_class
from .limits import SAVE, SUBMIT, limit
from .lookup import catalog

bp = Blueprint("wizard", __name__)


def _questionnaire(slug: str) -> Questionnaire:
    questionnaires = catalog().questionnaires
    if slug not in questionnaires:
        abort(404, description=f"There is no questionnaire called “{slug}”.")
    return questionnaires[slug]


@dataclass(frozen=True)
class Opened:
    """A draft that may be worked on, with its questionnaire and, for a team response, its team."""

    draft: store.Draft
    questionnaire: Questionnaire
    team: store.Team | None


def _open(token: str) -> Opened:
    """The draft behind a resume link, if it may still be worked on (see `_opened`)."""
    return _opened(store.get_draft(token))


def _opened(draft: store.Draft | None) -> Opened:
    """The draft, with its questionnaire and team, if it may still be worked on.

    404 when there is none, 410 when it has expired, a redirect to the result (or a team's thanks) once submitted,
    and 403 when it answers for a team that has since closed.
    """
    if draft is None:
        abort(404, description="No saved answers match this link. It may have been deleted, or mistyped.")
    if draft.result_token == store.TEAM_SENT:  # a team response already sent: thanks again, nothing stored
        sent_for = store.get_team(draft.team_id) if draft.team_id is not None else None
        if sent_for is not None:
            abort(redirect(url_for("teams.thanks", token=sent_for.respondent_token)))
    if draft.result_token:
        abort(redirect(url_for("results.show", token=draft.result_token)))
    days = current_app.config["DRAFT_DAYS"]
    if draft.expires_at(days) < store.now():
        abort(410, description=f"These saved answers expired: drafts are kept {days} days after their last save.")
    team = store.get_team(draft.team_id) if draft.team_id is not None else None
    if team is not None and team.closed:
        abort(
            403,
            description=f"“{team.name}” is closed to new responses, so these answers can no longer be sent. "
            "Ask the person who invited you to reopen it.",
        )
    return Opened(draft, _questionnaire(draft.slug), team)


def _form(
    questionnaire: Questionnaire, step: int, strict: bool, formdata: object = None, team: store.Team | None = None
) -> FlaskForm:
    section = questionnaire.sections[step - 1]
    config = current_app.config
    cls = section_form_class(
        questionnaire, section, strict, step == 1, config["LABEL_MAX"], config["NOTE_MAX"], free_text=team is None
    )
    form: FlaskForm = cls(formdata=formdata) if formdata is not None else cls(formdata=None)
    return form


def _fill(form: FlaskForm, questionnaire: Questionnaire, draft: store.Draft, step: int) -> None:
    """Put the draft's saved values into a fresh form."""
    section = questionnaire.sections[step - 1]
    for question in questionnaire.questions_in_section(section.id):
        form[question_field(question.id)].data = draft.answers.get(question.id)
    if NOTE_FIELD in form:
        form[NOTE_FIELD].data = draft.notes.get(section.id, "")
    if LABEL_FIELD in form:
        form[LABEL_FIELD].data = draft.label


def _collect(
    form: FlaskForm, questionnaire: Questionnaire, draft: store.Draft, step: int
) -> tuple[dict[str, str], dict[str, str], str]:
    """The draft's answers, notes and label with this page's submitted values merged in."""
    section = questionnaire.sections[step - 1]
    answers = dict(draft.answers)
    for question in questionnaire.questions_in_section(section.id):
        value = form[question_field(question.id)].data
        if value:
            answers[question.id] = value
        else:
            answers.pop(question.id, None)
    notes = dict(draft.notes)
    note = (form[NOTE_FIELD].data or "").strip() if NOTE_FIELD in form else ""
    if note:
        notes[section.id] = note
    else:
        notes.pop(section.id, None)
    label = (form[LABEL_FIELD].data or "").strip() if LABEL_FIELD in form else draft.label
    return answers, notes, label


def _answered(opened: Opened) -> int:
    return sum(1 for q in opened.questionnaire.questions if q.id in opened.draft.answers)


def _page(opened: Opened, step: int, form: FlaskForm, status: int = 200) -> ResponseReturnValue:
    """templates/wizard/step.html: the form as given, with any errors it carries."""
    questionnaire = opened.questionnaire
    section = questionnaire.sections[step - 1]
    jobads.label_answers_from_ad(form, opened.draft, questionnaire, question_field)
    body = render_template(
        "wizard/step.html",
        questionnaire=questionnaire,
        draft=opened.draft,
        section=section,
        questions=questionnaire.questions_in_section(section.id),
        form=form,
        step=step,
        steps=len(questionnaire.sections),
        answered=_answered(opened),
        question_field=question_field,
        note_field=NOTE_FIELD,
        label_field=LABEL_FIELD,
        team=opened.team,
        private_page=True,
        expires_at=opened.draft.expires_at(current_app.config["DRAFT_DAYS"]),
    )
    return body, status


@bp.get("/q/<slug>")
def intro(slug: str) -> ResponseReturnValue:
    """What this questionnaire asks and produces, with a button to begin."""
    return render_template("wizard/intro.html", questionnaire=_questionnaire(slug))


@bp.post("/q/<slug>/start")
@limit(SUBMIT)
def start(slug: str) -> ResponseReturnValue:
    """Open a new draft and go to its first page."""
    questionnaire = _questionnaire(slug)
    store.purge_expired_drafts(current_app.config["DRAFT_DAYS"])
    draft = store.create_draft(questionnaire.slug, questionnaire.version)
    return redirect(url_for("wizard.step", token=draft.token, step=1))


@bp.get("/d/<token>")
def resume(token: str) -> ResponseReturnValue:
    """A resume link: continue where the person stopped, or show the result once submitted."""
    opened = _open(token)
    last = len(opened.questionnaire.sections)
    return redirect(url_for("wizard.step", token=token, step=min(max(opened.draft.step, 1), last)))


def _check_step(opened: Opened, step: int) -> None:
    if not 1 <= step <= len(opened.questionnaire.sections):
        abort(404, description=f"This questionnaire has steps 1 to {len(opened.questionnaire.sections)}.")


@bp.get("/d/<token>/<int:step>")
def step(token: str, step: int) -> ResponseReturnValue:
    """One wizard page, filled with what was saved."""
    opened = _open(token)
    _check_step(opened, step)
    form = _form(opened.questionnaire, step, strict=False, team=opened.team)
    _fill(form, opened.questionnaire, opened.draft, step)
    return _page(opened, step, form)


# Exempt from the global check because the page's own FlaskForm checks the CSRF token: a stale token then
# re-shows the page with everything the person entered, instead of a bare 400 that loses it.
@bp.post("/d/<token>/<int:step>")
@limit(SAVE)
@csrf.exempt  # type: ignore[untyped-decorator]
def save(token: str, step: int) -> ResponseReturnValue:
    """Save this page and move back, forward, to the review, or stay."""
    opened = _open(token)
    _check_step(opened, step)
    questionnaire, draft = opened.questionnaire, opened.draft
    action = request.form.get("action", "next")
    strict = action in ("next", "review")
    form = _form(questionnaire, step, strict=strict, formdata=request.form, team=opened.team)
    if not form.validate():
        return _page(opened, step, form, status=422)
    answers, notes, label = _collect(form, questionnaire, draft, step)
    last = len(questionnaire.sections)
    target = {"back": step - 1, "next": step + 1, "save": step}.get(action, step + 1)
    store.save_draft(draft, answers, notes, label, max(1, min(target, last)))
    if action == "save":  # the page comes back unchanged: say that it was saved, and when (focused by app.js)
        flash(f"Your answers were saved at {draft.updated_at:%H:%M} UTC.", "saved")
    if target < 1:
        return redirect(url_for("wizard.step", token=token, step=1))
    if target > last or action == "review":
        return redirect(url_for("wizard.review", token=token))
    return redirect(url_for("wizard.step", token=token, step=target))


@bp.get("/d/<token>/review")
def review(token: str) -> ResponseReturnValue:
    """Every answer at a glance, what is still open, and the button to see the result."""
    opened = _open(token)
    return render_template(
        "wizard/review.html",
        questionnaire=opened.questionnaire,
        draft=opened.draft,
        team=opened.team,
        unknown=UNKNOWN,
        private_page=True,
        expires_at=opened.draft.expires_at(current_app.config["DRAFT_DAYS"]),
    )


@bp.post("/d/<token>/submit")
@limit(SUBMIT)
def submit(token: str) -> ResponseReturnValue:
    """Score the draft and keep the result: a private result page, or an anonymous team response."""
    opened = _open(token)
    questionnaire, draft = opened.questionnaire, opened.draft
    # Unanswered questions count as "don't know": the review page listed them before this button.
    answers = {q.id: draft.answers.get(q.id, UNKNOWN) for q in questionnaire.questions}
    result = result_to_dict(score(questionnaire, answers))
    if opened.team is not None:
        with contextlib.suppress(store.AlreadySubmitted):  # sent twice at once: the first one counts, once
            store.add_team_response(opened.team, draft.department or "other", answers, result, draft=draft)
        return redirect(url_for("teams.thanks", token=opened.team.respondent_token))
    try:
        token = store.create_assessment(
            questionnaire.slug,
            questionnaire.version,
            answers,
            result,
            label=draft.label,
            notes=draft.notes,
            previous_token=draft.previous_token,
            draft=draft,
            job_ad=jobads.kept_summary(draft, questionnaire),
        ).token
    except store.AlreadySubmitted as already:  # sent twice at once: both lead to the one result stored
        if already.result_token is None:  # the draft was deleted meanwhile
            abort(404, description="No saved answers match this link. It may have been deleted, or mistyped.")
        token = already.result_token
    return redirect(url_for("results.show", token=token))
