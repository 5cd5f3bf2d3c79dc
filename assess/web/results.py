"""A result's private page, its re-audit and its deletion."""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from assess import store
from assess.reports.context import Report, build_report

from . import catalog

bp = Blueprint("results", __name__)


def _assessment(token: str) -> store.Assessment:
    assessment = store.get_assessment(token)
    if assessment is None:
        abort(404, description="No result matches this link. It may have been deleted, or mistyped.")
    return assessment


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
    )


class _RenderedReports:
    """The report part of results pages, rendered once per process and reused: a stored result never changes.

    Keyed by the result and the result it re-audits (which may be deleted, dropping the comparison). The page
    around it (links, the CSRF token, flashed messages) is rendered for every request; the token is checked
    against the database first, so a deleted result is never shown from here. Small and least-recently-used, so
    a deleted result's page does not linger in memory for long.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[str, str | None], tuple[Report, Markup]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, token: str) -> tuple[Report, Markup]:
        """The result's report and its rendered part of the page; 404 when there is no such result."""
        key = store.assessment_link(token)
        if key is None:
            abort(404, description="No result matches this link. It may have been deleted, or mistyped.")
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        assessment = _assessment(token)
        previous = store.get_assessment(key[1]) if key[1] else None
        report = _build(assessment, previous)
        # The template autoescapes every value: its output is already safe HTML.
        body = Markup(render_template("results/_report.html", report=report))  # noqa: S704  # nosec B704
        with self.lock:
            self.entries[key] = (report, body)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return report, body

    def forget(self, token: str) -> None:
        """Drop a deleted result's page from this process at once (other processes age it out)."""
        with self.lock:
            for key in [key for key in self.entries if token in key]:
                del self.entries[key]


_rendered = _RenderedReports()


def forget_rendered(token: str) -> None:
    """A result was deleted: drop its rendered page (and pages comparing with it) from this process."""
    _rendered.forget(token)


@bp.get("/r/<token>")
def show(token: str) -> ResponseReturnValue:
    """The result page."""
    report, body = _rendered.get(token)
    return render_template("results/result.html", report=report, report_body=body, private_page=True)


@bp.post("/r/<token>/reaudit")
def reaudit(token: str) -> ResponseReturnValue:
    """Start a new draft prefilled with this result's answers; its result will link back here."""
    assessment = _assessment(token)
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
    report = load_report(_assessment(token))
    return render_template("results/delete.html", report=report, private_page=True)


@bp.post("/r/<token>/delete")
def delete(token: str) -> ResponseReturnValue:
    """Erase the result and its draft for good."""
    store.delete_assessment(_assessment(token))
    forget_rendered(token)
    flash("Your result and its saved answers were deleted for good.", "success")
    return redirect(url_for("pages.landing"))
