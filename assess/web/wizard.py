"""The questionnaire wizard: one section a page, saved as a draft at every step, resumable by private link.

Two ways through: the quick path (the questionnaire's `quick` questions on one page, a result in about four
minutes) and the full path (one section a page). "Go deeper" turns a quick draft into a full one, answers kept. No
question is required: an open question counts as "don't know", and a section can be skipped in one move. A team
respondent is asked only the questions someone in their department can answer (each question's `team`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from assess import store
from assess.core import UNKNOWN, Questionnaire, result_to_dict, score
from assess.core.aggregate import OTHER
from assess.core.model import Question, Section
from assess.extensions import csrf

from . import jobads
from .forms import LABEL_FIELD, NOTE_FIELD, page_form_class, question_field
from .limits import SAVE, SUBMIT, limit
from .lookup import catalog

bp = Blueprint("wizard", __name__)

QUICK_STEP = -1
"""A draft's `step` while it is on the quick path: its resume link opens the quick page."""


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

    @property
    def questions(self) -> tuple[Question, ...]:
        """The questions this person is asked: all of them, or for a team respondent those their department can
        answer (the hiring questions stay with the manager's own questionnaire)."""
        if self.team is None:
            return self.questionnaire.questions
        department = self.draft.department or OTHER
        return tuple(q for q in self.questionnaire.questions if q.asked_in_team(department))

    def questions_in(self, section: Section) -> tuple[Question, ...]:
        """The questions of one section this person is asked."""
        return tuple(q for q in self.questions if q.section == section.id)

    @property
    def sections(self) -> tuple[Section, ...]:
        """The wizard's pages for this person: the sections with at least one question they are asked."""
        asked = {q.section for q in self.questions}
        return tuple(s for s in self.questionnaire.sections if s.id in asked)

    @property
    def quick(self) -> tuple[Question, ...]:
        """The quick path's questions, in the questionnaire's order (none for a team respondent)."""
        if self.team is not None:
            return ()
        picked = set(self.questionnaire.quick)
        return tuple(q for q in self.questionnaire.questions if q.id in picked)

    @property
    def answered(self) -> int:
        """How many of this person's questions have an answer saved (a "don't know" included)."""
        return sum(1 for q in self.questions if q.id in self.draft.answers)


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
    opened: Opened, page: str, questions: tuple[Question, ...], label: bool, note: bool, formdata: object = None
) -> FlaskForm:
    config = current_app.config
    free_text = opened.team is None  # anonymous team responses take no free text: a sentence can identify its writer
    cls = page_form_class(
        opened.questionnaire,
        page,
        questions,
        label and free_text,
        note and free_text,
        config["LABEL_MAX"],
        config["NOTE_MAX"],
    )
    form: FlaskForm = cls(formdata=formdata) if formdata is not None else cls(formdata=None)
    return form


def _step_form(opened: Opened, step: int, formdata: object = None) -> FlaskForm:
    section = opened.sections[step - 1]
    return _form(opened, section.id, opened.questions_in(section), step == 1, True, formdata)


def _quick_form(opened: Opened, formdata: object = None) -> FlaskForm:
    return _form(opened, "quick", opened.quick, True, False, formdata)


def _fill(form: FlaskForm, opened: Opened, questions: tuple[Question, ...], section: Section | None) -> None:
    """Put the draft's saved values into a fresh form."""
    draft = opened.draft
    for question in questions:
        form[question_field(question.id)].data = draft.answers.get(question.id)
    if NOTE_FIELD in form and section is not None:
        form[NOTE_FIELD].data = draft.notes.get(section.id, "")
    if LABEL_FIELD in form:
        form[LABEL_FIELD].data = draft.label


def _collect(
    form: FlaskForm, opened: Opened, questions: tuple[Question, ...], section: Section | None
) -> tuple[dict[str, str], dict[str, str], str]:
    """The draft's answers, notes and label with this page's submitted values merged in."""
    draft = opened.draft
    answers = dict(draft.answers)
    for question in questions:
        value = form[question_field(question.id)].data
        if value:
            answers[question.id] = value
        else:
            answers.pop(question.id, None)
    notes = dict(draft.notes)
    if section is not None and NOTE_FIELD in form:
        note = (form[NOTE_FIELD].data or "").strip()
        if note:
            notes[section.id] = note
        else:
            notes.pop(section.id, None)
    label = (form[LABEL_FIELD].data or "").strip() if LABEL_FIELD in form else draft.label
    return answers, notes, label


def _numbers(opened: Opened) -> dict[str, int]:
    """Each of this person's questions' number, counted over the questions they are asked."""
    return {q.id: index for index, q in enumerate(opened.questions, start=1)}


def _page(opened: Opened, step: int, form: FlaskForm, status: int = 200) -> ResponseReturnValue:
    """templates/wizard/step.html: the form as given, with any errors it carries."""
    section = opened.sections[step - 1]
    jobads.label_answers_from_ad(form, opened.draft, opened.questionnaire, question_field)
    body = render_template(
        "wizard/step.html",
        questionnaire=opened.questionnaire,
        draft=opened.draft,
        section=section,
        questions=opened.questions_in(section),
        numbers=_numbers(opened),
        form=form,
        step=step,
        steps=len(opened.sections),
        answered=opened.answered,
        total=len(opened.questions),
        question_field=question_field,
        note_field=NOTE_FIELD,
        label_field=LABEL_FIELD,
        team=opened.team,
        private_page=True,
        expires_at=opened.draft.expires_at(current_app.config["DRAFT_DAYS"]),
    )
    return body, status


def _quick_page(opened: Opened, form: FlaskForm, status: int = 200) -> ResponseReturnValue:
    """templates/wizard/quick.html: the quick path's questions on one page, under their sections' titles."""
    questions = opened.quick
    jobads.label_answers_from_ad(form, opened.draft, opened.questionnaire, question_field)
    body = render_template(
        "wizard/quick.html",
        questionnaire=opened.questionnaire,
        draft=opened.draft,
        groups=[(s, [q for q in questions if q.section == s.id]) for s in opened.sections],
        count=len(questions),
        form=form,
        answered=sum(1 for q in questions if q.id in opened.draft.answers),
        question_field=question_field,
        label_field=LABEL_FIELD,
        private_page=True,
        expires_at=opened.draft.expires_at(current_app.config["DRAFT_DAYS"]),
    )
    return body, status


@bp.get("/q/<slug>")
def intro(slug: str) -> ResponseReturnValue:
    """What this questionnaire asks and produces, with the quick and the full way through."""
    return render_template("wizard/intro.html", questionnaire=_questionnaire(slug))


@bp.post("/q/<slug>/start")
@limit(SUBMIT)
def start(slug: str) -> ResponseReturnValue:
    """Open a new draft and go to the quick page (`?path=quick`) or the first page of the full questionnaire."""
    questionnaire = _questionnaire(slug)
    store.purge_expired_drafts(current_app.config["DRAFT_DAYS"])
    draft = store.create_draft(questionnaire.slug, questionnaire.version)
    if request.args.get("path") == "quick" and questionnaire.quick:
        return redirect(url_for("wizard.quick", token=draft.token))
    return redirect(url_for("wizard.step", token=draft.token, step=1))


@bp.get("/d/<token>")
def resume(token: str) -> ResponseReturnValue:
    """A resume link: continue where the person stopped, or show the result once submitted."""
    opened = _open(token)
    if opened.draft.step == QUICK_STEP and opened.quick:
        return redirect(url_for("wizard.quick", token=token))
    last = len(opened.sections)
    return redirect(url_for("wizard.step", token=token, step=min(max(opened.draft.step, 1), last)))


def _open_quick(token: str) -> Opened:
    opened = _open(token)
    if not opened.quick:
        abort(404, description="This questionnaire has no quick path here; answer it section by section.")
    return opened


@bp.get("/d/<token>/quick")
def quick(token: str) -> ResponseReturnValue:
    """The quick path: the few questions that move the result most, on one page."""
    opened = _open_quick(token)
    form = _quick_form(opened)
    _fill(form, opened, opened.quick, None)
    return _quick_page(opened, form)


@bp.post("/d/<token>/quick")
@limit(SUBMIT)  # it may store a result
@csrf.exempt  # type: ignore[untyped-decorator]  # the page's own FlaskForm checks the token (see `save`)
def save_quick(token: str) -> ResponseReturnValue:
    """Save the quick page, then show the result (`result`), go on to every section (`deeper`), or stay."""
    opened = _open_quick(token)
    form = _quick_form(opened, formdata=request.form)
    if not form.validate():
        return _quick_page(opened, form, status=422)
    answers, notes, label = _collect(form, opened, opened.quick, None)
    action = request.form.get("action", "result")
    store.save_draft(opened.draft, answers, notes, label, 1 if action == "deeper" else QUICK_STEP)
    if action == "deeper":
        first_open = next(
            (i for i, s in enumerate(opened.sections, 1) if any(q.id not in answers for q in opened.questions_in(s))),
            1,
        )
        return redirect(url_for("wizard.step", token=token, step=first_open))
    if action == "save":
        flash(f"Your answers were saved at {opened.draft.updated_at:%H:%M} UTC.", "saved")
        return redirect(url_for("wizard.quick", token=token))
    return _submit(opened)


def _check_step(opened: Opened, step: int) -> None:
    if not 1 <= step <= len(opened.sections):
        abort(404, description=f"This questionnaire has steps 1 to {len(opened.sections)}.")


@bp.get("/d/<token>/<int:step>")
def step(token: str, step: int) -> ResponseReturnValue:
    """One wizard page, filled with what was saved."""
    opened = _open(token)
    _check_step(opened, step)
    form = _step_form(opened, step)
    section = opened.sections[step - 1]
    _fill(form, opened, opened.questions_in(section), section)
    return _page(opened, step, form)


# Exempt from the global check because the page's own FlaskForm checks the CSRF token: a stale token then
# re-shows the page with everything the person entered, instead of a bare 400 that loses it.
@bp.post("/d/<token>/<int:step>")
@limit(SAVE)
@csrf.exempt  # type: ignore[untyped-decorator]
def save(token: str, step: int) -> ResponseReturnValue:
    """Save this page and move back, forward, to the review, or stay; or skip it unsaved (`skip`)."""
    opened = _open(token)
    _check_step(opened, step)
    action = request.form.get("action", "next")
    last = len(opened.sections)
    if action == "skip":  # the whole section left as it was: what is open counts as "don't know"
        if step >= last:
            return redirect(url_for("wizard.review", token=token))
        return redirect(url_for("wizard.step", token=token, step=step + 1))
    form = _step_form(opened, step, formdata=request.form)
    if not form.validate():
        return _page(opened, step, form, status=422)
    section = opened.sections[step - 1]
    answers, notes, label = _collect(form, opened, opened.questions_in(section), section)
    target = {"back": step - 1, "next": step + 1, "save": step}.get(action, step + 1)
    store.save_draft(opened.draft, answers, notes, label, max(1, min(target, last)))
    if action == "save":  # the page comes back unchanged: say that it was saved, and when (focused by app.js)
        flash(f"Your answers were saved at {opened.draft.updated_at:%H:%M} UTC.", "saved")
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
        sections=[(index, s, opened.questions_in(s)) for index, s in enumerate(opened.sections, 1)],
        total=len(opened.questions),
        given=opened.answered,
        unknown=UNKNOWN,
        private_page=True,
        expires_at=opened.draft.expires_at(current_app.config["DRAFT_DAYS"]),
    )


@bp.post("/d/<token>/submit")
@limit(SUBMIT)
def submit(token: str) -> ResponseReturnValue:
    """Score the draft and keep the result: a private result page, or an anonymous team response."""
    return _submit(_open(token))


def _submit(opened: Opened) -> ResponseReturnValue:
    questionnaire, draft = opened.questionnaire, opened.draft
    # Unanswered questions, and those a team respondent was not asked, count as "don't know".
    answers = {q.id: draft.answers.get(q.id, UNKNOWN) for q in questionnaire.questions}
    asked = {q.id for q in opened.questions}
    answers = {qid: answer if qid in asked else UNKNOWN for qid, answer in answers.items()}
    result = result_to_dict(score(questionnaire, answers))
    if opened.team is not None:
        with contextlib.suppress(store.AlreadySubmitted):  # sent twice at once: the first one counts, once
            store.add_team_response(opened.team, draft.department or OTHER, answers, result, draft=draft)
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
