"""A result's private page, its re-audit and its deletion."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from cachetools import TTLCache, cached
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from assess import store
from assess.reports.context import Report, build_report
from assess.reports.pdf import template_version

from .limits import SUBMIT, limit
from .lookup import assessment_or_404, catalog

bp = Blueprint("results", __name__)


def load_report(assessment: store.Assessment) -> Report:
    """The report of a stored assessment, with the comparison to the one it re-audits when that still exists."""
    previous = store.get_assessment(assessment.previous_token) if assessment.previous_token else None
    return _build(assessment, previous)


def _build(assessment: store.Assessment, previous: store.Assessment | None) -> Report:
    return build_report(
        catalog().get(assessment.slug),
        assessment.result,
        assessment.answers,
        assessment.label,
        assessment.notes,
        assessment.created_at,
        assessment.token,
        previous=previous.result if previous else None,
        previous_token=previous.token if previous else None,
        job_ad=assessment.job_ad,
    )


@dataclass(frozen=True, slots=True)
class ReportHtml:
    """The parts of a result's page that depend on the stored result alone: the answer (verdict and next moves) and,
    below the page's own bar of forms, the findings and the detail."""

    answer: Markup
    rest: Markup


_KEPT_CHARACTERS = 8_000_000
"""How much rendered report HTML a process keeps: a result page's parts are 30-70 thousand characters."""
_KEPT_SECONDS = 600
"""How long a rendered report is kept. A deleted result's page answers 404 at once (it is looked up first); this
bounds how long its rendered text may stay in a worker's memory after that."""
_kept: TTLCache[tuple[str, str | None, str], ReportHtml] = TTLCache(
    _KEPT_CHARACTERS, _KEPT_SECONDS, getsizeof=lambda html: len(html.answer) + len(html.rest)
)
_kept_lock = threading.Lock()  # cachetools' caches are not thread-safe; gunicorn's threaded workers share one


@cached(_kept, key=lambda report: (report.token, report.previous_token, template_version()), lock=_kept_lock)
def _kept_render(report: Report) -> ReportHtml:
    """A stored result never changes: its report is rendered once, keyed by the result, the one it re-audits
    (deleting that one changes the page) and the version of the report templates, styles and questionnaires."""
    return _render(report)


def report_html(report: Report) -> ReportHtml:
    """The report's parts for its page, kept for a while; rendered afresh when templates reload on change (debug),
    so an edit shows at once."""
    return _render(report) if current_app.jinja_env.auto_reload else _kept_render(report)


def _render(report: Report) -> ReportHtml:
    return ReportHtml(
        answer=Markup(render_template("report/_answer.html", report=report, print_mode=False)),  # noqa: S704
        rest=Markup(  # noqa: S704 - Jinja's own autoescaped output
            render_template("report/_body.html", report=report, print_mode=False)
            + render_template("report/_detail.html", report=report, print_mode=False)
        ),
    )


def forget_report_html(token: str) -> None:
    """Drop this process's rendered copies of a result's page (the result was deleted)."""
    with _kept_lock:
        for key in [key for key in _kept if key[0] == token]:
            del _kept[key]


@bp.get("/r/<token>")
def show(token: str) -> ResponseReturnValue:
    """The result page."""
    report = load_report(assessment_or_404(token))
    return render_template("results/result.html", report=report, html=report_html(report), private_page=True)


@bp.post("/r/<token>/reaudit")
@limit(SUBMIT)
def reaudit(token: str) -> ResponseReturnValue:
    """Start a new draft prefilled with this result's answers; its result will link back here."""
    assessment = assessment_or_404(token)
    questionnaire = catalog().get(assessment.slug)
    known = {q.id for q in questionnaire.questions}
    draft = store.create_draft(
        questionnaire.slug,
        questionnaire.version,
        answers={k: v for k, v in assessment.answers.items() if k in known},
        label=assessment.label,
        notes=assessment.notes,
        previous_token=assessment.token,
    )
    return redirect(url_for("wizard.step", token=draft.token, step=1))


@bp.get("/r/<token>/delete")
def confirm_delete(token: str) -> ResponseReturnValue:
    """Ask before erasing."""
    report = load_report(assessment_or_404(token))
    return render_template("results/delete.html", report=report, private_page=True)


@bp.post("/r/<token>/delete")
@limit(SUBMIT)
def delete(token: str) -> ResponseReturnValue:
    """Erase the result and its draft for good."""
    store.delete_assessment(assessment_or_404(token))
    forget_report_html(token)
    flash("Your result and its saved answers were deleted for good.", "success")
    return redirect(url_for("pages.landing"))
