"""Read a job ad before the questionnaire: paste or upload it, see what it shows, and start with its answers.

The ad's text lives only in the draft it starts (`Draft.job_ad`), is deleted with it, and is never logged; the
reading is made again from it whenever a page needs it (the reader is deterministic). A submitted result keeps
only the quotes (`Assessment.job_ad`): which answers came from the ad and the sentences behind them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import TextAreaField
from wtforms.validators import Length

from assess import store
from assess.core import Questionnaire
from assess.extensions import csrf
from assess.jobads import (
    MAX_AD_CHARS,
    Reading,
    Signals,
    SuggestedAnswer,
    open_questions,
    read_ad,
    suggested_answers,
)
from assess.jobads.files import FORMATS, MAX_UPLOAD_BYTES, AdFileError, text_of_file

from .forms import Form
from .limits import SUBMIT, limit
from .lookup import catalog

bp = Blueprint("jobads", __name__)

UPLOAD_LIMIT = MAX_UPLOAD_BYTES + 256 * 1024
"""The request cap on the upload page: the largest file plus the pasted text and the form's other fields."""


def signals() -> Signals:
    """The job-ad signals loaded at start-up (checked against the catalogue then)."""
    loaded: Signals = current_app.extensions["signals"]
    return loaded


@bp.app_template_global("job_ad_offered")
def offered(questionnaire: Questionnaire) -> bool:
    """Whether this questionnaire offers reading a job ad: one whose answers a signal can settle."""
    return any(s.questionnaire == questionnaire.slug for signal in signals() for s in signal.suggests)


class JobAdForm(Form):
    """The ad, pasted or as a file."""

    ad_text = TextAreaField(
        "Paste the job ad",
        validators=[Length(max=MAX_AD_CHARS, message=f"The ad is longer than {MAX_AD_CHARS:,} characters.")],
        description=f"Plain text or copied from a web page, up to {MAX_AD_CHARS:,} characters.",
        render_kw={"rows": 12, "maxlength": MAX_AD_CHARS},
    )
    ad_file = FileField(
        "Or upload it",
        description=f"A .txt, .pdf or .docx file, up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        render_kw={"accept": ",".join(FORMATS)},
    )


def _questionnaire(slug: str) -> Questionnaire:
    questionnaires = catalog().questionnaires
    if slug not in questionnaires or not offered(questionnaires[slug]):
        abort(404, description=f"There is no job-ad reading for “{slug}”.")
    return questionnaires[slug]


def _page(
    questionnaire: Questionnaire, form: JobAdForm, problem: str | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template("jobads/start.html", questionnaire=questionnaire, form=form, problem=problem), status


@bp.get("/q/<slug>/job-ad")
def start(slug: str) -> ResponseReturnValue:
    """The form: paste or upload the ad."""
    return _page(_questionnaire(slug), JobAdForm())


def _upload(form: JobAdForm) -> FileStorage | None:
    """The chosen file, if any (a form sent without choosing one carries an empty part)."""
    data = form.ad_file.data
    return data if isinstance(data, FileStorage) and data.filename else None


def _ad_text(form: JobAdForm) -> str:
    """The ad's text from the form: the file when one is chosen, else the pasted text; the form's field carries
    the error otherwise."""
    upload = _upload(form)
    if upload is not None:
        try:
            text = text_of_file(upload.filename or "", upload.read(MAX_UPLOAD_BYTES + 1))
        except AdFileError as exc:
            form.ad_file.errors = [str(exc)]
            return ""
        if len(text) > MAX_AD_CHARS * 2:  # generous before normalising; checked exactly below
            form.ad_file.errors = [f"The file's text is longer than {MAX_AD_CHARS:,} characters."]
            return ""
        return text
    text = (form.ad_text.data or "").strip()
    if not text:
        form.ad_text.errors = ["Paste the ad's text, or choose a file to upload."]
    return text


# Exempt from the global CSRF check, which would read the body under the app's smaller cap: this view raises the
# cap for an uploaded file first, and the form checks its own CSRF token.
@bp.post("/q/<slug>/job-ad")
@limit(SUBMIT)
@csrf.exempt  # type: ignore[untyped-decorator]
def read(slug: str) -> ResponseReturnValue:
    """Read the ad, start a draft with the answers it settles, and show what was found."""
    questionnaire = _questionnaire(slug)
    request.max_content_length = UPLOAD_LIMIT
    try:
        form = JobAdForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        return _page(questionnaire, JobAdForm(formdata=None), f"The upload is larger than {limit} MB.", 413)
    if not valid:
        if "csrf_token" in form.errors:
            return _page(questionnaire, form, "This page expired before the ad was sent. Send it again.", 400)
        return _page(questionnaire, form, None, 422)
    text = _ad_text(form)
    if not text:
        return _page(questionnaire, form, None, 422)
    reading = read_ad(text, signals())
    if len(reading.text) > MAX_AD_CHARS:
        field = form.ad_file if _upload(form) is not None else form.ad_text
        field.errors = [f"The ad is longer than {MAX_AD_CHARS:,} characters."]
        return _page(questionnaire, form, None, 422)
    answers = {q: a.option for q, a in suggested_answers(reading, signals(), questionnaire.slug).items()}
    store.purge_expired_drafts(current_app.config["DRAFT_DAYS"])
    draft = store.create_draft(questionnaire.slug, questionnaire.version, answers=answers, job_ad=reading.text)
    return redirect(url_for("jobads.show", token=draft.token))


@dataclass(frozen=True)
class Piece:
    """A stretch of the ad as shown: plain text, or a sentence with findings (highlighted)."""

    text: str
    sentence: int | None = None
    findings: tuple[Any, ...] = ()


def pieces(reading: Reading) -> list[Piece]:
    """The ad's text cut into plain stretches and the sentences the reader found something in."""
    by_sentence: dict[int, list[Any]] = {}
    for finding in reading.findings:
        by_sentence.setdefault(finding.sentence, []).append(finding)
    out: list[Piece] = []
    at = 0
    for index in sorted(by_sentence):
        sentence = reading.sentences[index]
        if sentence.start > at:
            out.append(Piece(reading.text[at : sentence.start]))
        out.append(Piece(reading.text[sentence.start : sentence.end], index, tuple(by_sentence[index])))
        at = sentence.end
    if at < len(reading.text):
        out.append(Piece(reading.text[at:]))
    return out


def reading_of(draft: store.Draft) -> Reading | None:
    """The reading of the draft's ad, made again from its text; None when the draft has no ad."""
    text = getattr(draft, "job_ad", None)
    return read_ad(text, signals()) if text else None


def from_ad(draft: store.Draft, questionnaire: Questionnaire) -> dict[str, SuggestedAnswer]:
    """The draft's answers that are still the ad's suggestion, by question id (changed ones are the person's)."""
    reading = reading_of(draft)
    if reading is None:
        return {}
    settled = suggested_answers(reading, signals(), questionnaire.slug)
    return {q: a for q, a in settled.items() if draft.answers.get(q) == a.option}


FROM_AD = "From the ad"
"""How a wizard page labels an answer the ad chose."""


def label_answers_from_ad(
    form: Any, draft: store.Draft, questionnaire: Questionnaire, field_name: Callable[[str], str]
) -> None:
    """Label each question on a wizard page whose answer is still the one the ad chose, with its quote, in the
    question's help (shown under it and read with it)."""
    reading = reading_of(draft)
    if reading is None:
        return
    for question_id, answer in from_ad(draft, questionnaire).items():
        name = field_name(question_id)
        if name not in form or form[name].data != answer.option:
            continue
        first = reading.quote(answer.sentences[0])
        more = len(answer.sentences) - 1
        also = f" (and {more} more sentence{'s' if more > 1 else ''})" if more else ""
        note = f"{FROM_AD}: “{first}”{also} Change the answer if you know better."
        field = form[name]
        field.description = f"{note} {field.description}".strip() if field.description else note


def kept_summary(draft: store.Draft, questionnaire: Questionnaire) -> dict[str, Any] | None:
    """What a result keeps of the ad: the answers that came from it and every finding, as quotes only."""
    reading = reading_of(draft)
    if reading is None:
        return None
    by_id = {s.id: s for s in signals()}
    return {
        "answers": {
            q: {"option": a.option, "signals": list(a.signals), "quotes": [reading.quote(i) for i in a.sentences]}
            for q, a in from_ad(draft, questionnaire).items()
        },
        "findings": [
            {
                "signal": f.signal,
                "title": by_id[f.signal].title,
                "criterion": by_id[f.signal].criterion,
                "tone": by_id[f.signal].tone,
                "quote": reading.quote(f.sentence),
            }
            for f in reading.findings
        ],
    }


def _draft(token: str) -> store.Draft:
    """The draft behind the link while it may still be worked on: 404 when there is none (or it is submitted),
    410 once it has expired."""
    draft = store.get_draft(token)
    if draft is None or draft.result_token:
        abort(404, description="No saved answers with a job ad match this link. It may have been deleted.")
    days = current_app.config["DRAFT_DAYS"]
    if draft.expires_at(days) < store.now():
        abort(410, description=f"These saved answers expired: drafts are kept {days} days after their last save.")
    return draft


@bp.get("/d/<token>/job-ad")
def show(token: str) -> ResponseReturnValue:
    """The ad with each sentence the reader found something in highlighted, the findings by criterion, the answers
    it settles and the questions it raises."""
    draft = _draft(token)
    reading = reading_of(draft)
    if reading is None:
        return redirect(url_for("wizard.step", token=token, step=1))
    questionnaire = catalog().get(draft.slug)
    by_id = {s.id: s for s in signals()}
    criteria = {c.id: c for c in catalog().criteria}
    groups: dict[str, list[Any]] = {}
    for finding in reading.findings:
        groups.setdefault(by_id[finding.signal].criterion, []).append(finding)
    questions = {q.id: q for q in questionnaire.questions}
    settled = suggested_answers(reading, signals(), questionnaire.slug)
    return render_template(
        "jobads/show.html",
        questionnaire=questionnaire,
        draft=draft,
        reading=reading,
        pieces=pieces(reading),
        groups=[(criteria[c], items) for c, items in groups.items()],
        signals=by_id,
        settled=[(questions[q], a) for q, a in settled.items()],
        option_label=lambda question, option: next(o.label for o in question.options if o.id == option),
        open_questions=open_questions(reading, signals()),
        hiring=questionnaire.audience == "hiring-manager",
        private_page=True,
    )


@bp.post("/d/<token>/job-ad/delete")
@limit(SUBMIT)
def forget(token: str) -> ResponseReturnValue:
    """Delete the ad's text from the draft; the answers it filled in stay, as the person's own."""
    draft = _draft(token)
    store.forget_job_ad(draft)
    return redirect(url_for("wizard.step", token=token, step=1))
