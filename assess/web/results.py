"""A result's private page, its re-audit and its deletion."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from assess import store
from assess.reports.context import Report, build_report

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


@bp.get("/r/<token>")
def show(token: str) -> ResponseReturnValue:
    """The result page."""
    report = load_report(assessment_or_404(token))
    return render_template("results/result.html", report=report, private_page=True)


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
    flash("Your result and its saved answers were deleted for good.", "success")
    return redirect(url_for("pages.landing"))
