"""The questionnaire wizard: one section a page, saved as a draft at every step, resumable by private link."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Generic, TypeVar

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field

from assess import store
from assess.core import UNKNOWN, Questionnaire, result_to_dict, score
from assess.extensions import csrf

from . import catalog
from .forms import LABEL_FIELD, NOTE_FIELD, question_field, section_form_class
from .kept import Kept, Skeleton, keepable, origin
from .security import csrf_token

bp = Blueprint("wizard", __name__)


def _questionnaire(slug: str) -> Questionnaire:
    questionnaires = catalog().questionnaires
    if slug not in questionnaires:
        abort(404, description=f"There is no questionnaire called “{slug}”.")
    return questionnaires[slug]


D = TypeVar("D", store.Draft, store.DraftView)


@dataclass(frozen=True)
class Opened(Generic[D]):
    """A draft that may be worked on, with its questionnaire and, for a team response, its team."""

    draft: D
    questionnaire: Questionnaire
    team: store.Team | None


def _open(token: str) -> Opened[store.Draft]:
    """The draft behind a resume link, ready to change (see `_opened`)."""
    return _opened(store.get_draft(token))


def _view(token: str) -> Opened[store.DraftView]:
    """The draft behind a resume link, ready to show: read without the ORM (see `_opened`)."""
    return _opened(store.view_draft(token))


def _opened(draft: D | None) -> Opened[D]:
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


def _fill(form: FlaskForm, questionnaire: Questionnaire, draft: store.Draft | store.DraftView, step: int) -> None:
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


def question_markup(field: Field, number: int) -> Markup:
    """A question's fieldset: the `radio_group` macro's output for the field as it stands (with any errors).

    A page without errors takes its fieldsets from `_StepPages`, which keeps this markup per question, answer and
    number; only pages rendered in full (errors, flashed messages, debug) come here every time."""
    macro = current_app.jinja_env.get_template("_macros.html").module.radio_group  # type: ignore[attr-defined]
    return Markup(macro(field, number))  # noqa: S704  # nosec B704  # the macro's autoescaped output


def _render(
    questionnaire: Questionnaire,
    step: int,
    form: FlaskForm,
    *,
    draft: object,
    team: object,
    answered: object,
    expires_at: object,
    markup: Callable[[Field, int], Markup],
) -> str:
    """templates/wizard/step.html. The draft's own values come as arguments, so that `_StepPages` can render the
    same template with markers in their place."""
    section = questionnaire.sections[step - 1]
    return render_template(
        "wizard/step.html",
        questionnaire=questionnaire,
        draft=draft,
        section=section,
        questions=questionnaire.questions_in_section(section.id),
        form=form,
        step=step,
        steps=len(questionnaire.sections),
        answered=answered,
        question_field=question_field,
        question_markup=markup,
        note_field=NOTE_FIELD,
        label_field=LABEL_FIELD,
        team=team,
        private_page=True,
        expires_at=expires_at,
    )


def _answered(opened: Opened[D]) -> int:
    return sum(1 for q in opened.questionnaire.questions if q.id in opened.draft.answers)


def _page(opened: Opened[D], step: int, form: FlaskForm, status: int = 200) -> ResponseReturnValue:
    """A wizard page rendered in full: the form as given, with any errors it carries."""
    body = _render(
        opened.questionnaire,
        step,
        form,
        draft=opened.draft,
        team=opened.team,
        answered=_answered(opened),
        expires_at=opened.draft.expires_at(current_app.config["DRAFT_DAYS"]),
        markup=question_markup,
    )
    return body, status


@dataclass(frozen=True)
class _StepPage:
    """A wizard page's skeleton, with what each question's hole and each date's hole stands for."""

    skeleton: Skeleton
    questions: tuple[tuple[str, int], ...]
    """(question id, number) of the holes q0, q1, ..."""
    date_formats: tuple[str, ...]
    """The strftime format of the holes date0, date1, ..."""


class _Expiry:
    """Stands in for the expiry date: records each format asked for and answers with that hole's marker."""

    def __init__(self, mark: Callable[[str], str]) -> None:
        self.mark = mark
        self.formats: list[str] = []

    def strftime(self, fmt: str) -> str:
        self.formats.append(fmt)
        return self.mark(f"date{len(self.formats) - 1}")


class _StepPages:
    """Wizard pages rendered once per process and filled in for each visit.

    A page of a given step differs between drafts only in the draft's own values: its token (in the form's action
    and the resume link), the answered count, the expiry date, the saved label and note, each question's saved
    answer, the team's name and the visitor's CSRF token. The template is rendered once per step with a marker in
    each of these places (`kept.Skeleton`); a visit reads its draft, puts its values in, and takes each question's
    fieldset from markup kept by question, answer and number (`question_markup`'s, made once for a fresh form).
    The same template makes both, and a test compares them for many drafts. Pages with errors or flashed messages,
    and every page while templates reload on change (debug), are rendered in full instead.
    """

    def __init__(self, size: int = 256) -> None:
        self.kept: Kept[tuple[object, ...], _StepPage] = Kept(size)
        self.fieldsets: Kept[tuple[str, str, str, str | None, int], Markup] = Kept(8192)
        self.marker = "ev-hole-" + secrets.token_hex(12)

    def mark(self, name: str) -> str:
        return f"{self.marker}-{name}-"

    def page(self, opened: Opened[D], step: int) -> bytes | None:
        """The page for this visit, or None when it must be rendered in full."""
        if not keepable():
            return None
        questionnaire, draft, team = opened.questionnaire, opened.draft, opened.team
        config = current_app.config
        key: tuple[object, ...] = (questionnaire.slug, questionnaire.version, step, team is None, origin())
        key += (config["LABEL_MAX"], config["NOTE_MAX"])
        kept = self.kept.get(key)
        if kept is None:
            kept = self._build(opened, step)
            self.kept.put(key, kept)
        section = questionnaire.sections[step - 1]
        expires_at = draft.expires_at(config["DRAFT_DAYS"])
        values = {
            "csrf": csrf_token(),
            "token": str(escape(draft.token)),
            "answered": str(_answered(opened)),
            "label": str(escape(draft.label)),
            "note": str(escape(draft.notes.get(section.id, ""))),
            "team": str(escape(team.name)) if team is not None else "",
        }
        for index, fmt in enumerate(kept.date_formats):
            values[f"date{index}"] = str(escape(expires_at.strftime(fmt)))
        for index, (question_id, number) in enumerate(kept.questions):
            values[f"q{index}"] = self._fieldset(opened, step, question_id, number)
        return kept.skeleton.fill(values)

    def _fieldset(self, opened: Opened[D], step: int, question_id: str, number: int) -> str:
        """A question's fieldset for the draft's answer, as `question_markup` makes it for a fresh form."""
        questionnaire = opened.questionnaire
        answer = opened.draft.answers.get(question_id)
        key = (questionnaire.slug, questionnaire.version, question_id, answer, number)
        markup = self.fieldsets.get(key)
        if markup is None:
            form = _form(questionnaire, step, strict=False, team=opened.team)
            form[question_field(question_id)].data = answer
            markup = question_markup(form[question_field(question_id)], number)
            self.fieldsets.put(key, markup)
        return str(markup)

    def _build(self, opened: Opened[D], step: int) -> _StepPage:
        """Render the step's template with markers for the draft's values, and cut it there."""
        questionnaire = opened.questionnaire
        form = _form(questionnaire, step, strict=False, team=opened.team)
        if LABEL_FIELD in form:
            form[LABEL_FIELD].data = self.mark("label")
        if NOTE_FIELD in form:
            form[NOTE_FIELD].data = self.mark("note")
        form.csrf_token.current_token = self.mark("csrf")
        by_field = {question_field(q.id): q.id for q in questionnaire.questions}
        questions: list[tuple[str, int]] = []

        def markup(field: Field, number: int) -> Markup:
            questions.append((by_field[field.name], number))
            return Markup(self.mark(f"q{len(questions) - 1}"))  # noqa: S704  # nosec B704  # a constant marker

        expiry = _Expiry(self.mark)
        html = _render(
            questionnaire,
            step,
            form,
            draft=SimpleNamespace(token=self.mark("token")),
            team=SimpleNamespace(name=self.mark("team")) if opened.team is not None else None,
            answered=self.mark("answered"),
            expires_at=expiry,
            markup=markup,
        )
        names = ["csrf", "token", "answered", "label", "note", "team"]
        names += [f"q{index}" for index in range(len(questions))]
        names += [f"date{index}" for index in range(len(expiry.formats))]
        return _StepPage(
            Skeleton(html, {self.mark(name): name for name in names}), tuple(questions), tuple(expiry.formats)
        )


_step_pages = _StepPages()


@bp.get("/q/<slug>")
def intro(slug: str) -> ResponseReturnValue:
    """What this questionnaire asks and produces, with a button to begin."""
    return render_template("wizard/intro.html", questionnaire=_questionnaire(slug))


@bp.post("/q/<slug>/start")
def start(slug: str) -> ResponseReturnValue:
    """Open a new draft and go to its first page."""
    questionnaire = _questionnaire(slug)
    store.purge_expired_drafts(current_app.config["DRAFT_DAYS"])
    draft = store.create_draft(questionnaire.slug, questionnaire.version)
    return redirect(url_for("wizard.step", token=draft.token, step=1))


@bp.get("/d/<token>")
def resume(token: str) -> ResponseReturnValue:
    """A resume link: continue where the person stopped, or show the result once submitted."""
    opened = _view(token)
    last = len(opened.questionnaire.sections)
    return redirect(url_for("wizard.step", token=token, step=min(max(opened.draft.step, 1), last)))


def _check_step(opened: Opened[D], step: int) -> None:
    if not 1 <= step <= len(opened.questionnaire.sections):
        abort(404, description=f"This questionnaire has steps 1 to {len(opened.questionnaire.sections)}.")


@bp.get("/d/<token>/<int:step>")
def step(token: str, step: int) -> ResponseReturnValue:
    """One wizard page, filled with what was saved."""
    opened = _view(token)
    _check_step(opened, step)
    page = _step_pages.page(opened, step)
    if page is not None:
        return page
    form = _form(opened.questionnaire, step, strict=False, team=opened.team)
    _fill(form, opened.questionnaire, opened.draft, step)
    return _page(opened, step, form)


# Exempt from the global check because the page's own FlaskForm checks the CSRF token: a stale token then
# re-shows the page with everything the person entered, instead of a bare 400 that loses it.
@bp.post("/d/<token>/<int:step>")
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
    opened = _view(token)
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
        ).token
    except store.AlreadySubmitted as already:  # sent twice at once: both lead to the one result stored
        if already.result_token is None:  # the draft was deleted meanwhile
            abort(404, description="No saved answers match this link. It may have been deleted, or mistyped.")
        token = already.result_token
    return redirect(url_for("results.show", token=token))
