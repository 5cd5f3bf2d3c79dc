"""A result's private page, its re-audit and its deletion."""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from assess import store
from assess.reports.context import Report, build_report

from . import assessment_or_404, catalog, no_such_result
from .kept import Kept, Skeleton, keepable, origin
from .security import csrf_token

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
    )


CSRF_HOLE = "csrf-hole-" + secrets.token_hex(16)
"""Stands in for the visitor's CSRF token in a kept page; replaced on every request (never a real token)."""


class _ResultPages:
    """Results pages, rendered once per process and reused with each visitor's own CSRF token put in.

    A stored result never changes, so its page differs between visitors only in the CSRF token of its "Update my
    answers" form, the paper size suggested by their browser's language and the host in its private link: the kept
    copy has a marker where the token goes, and is keyed by the result, the result it re-audits (which may be
    deleted, dropping the comparison), the paper size and the host. A request with flashed messages is rendered in
    full and not kept. The token is checked against the database first, so a deleted result is never shown from
    here; the cache is small and least-recently-used, so a deleted result's page does not linger in memory.
    """

    def __init__(self, size: int = 64) -> None:
        self.kept: Kept[tuple[str, str | None, str, tuple[str, str, str]], Skeleton] = Kept(size)

    def page(self, token: str) -> bytes | str:
        """The result's page for this request; 404 when there is no such result."""
        link = store.assessment_link(token)
        if link is None:
            no_such_result()
        from .reports import default_page_size  # reports imports this module: resolved at call time

        key = (*link, default_page_size(), origin())
        keep = keepable()
        kept = self.kept.get(key) if keep else None
        if kept is not None:  # kept encoded and cut at the holes: joining is all a visit costs
            return kept.fill({"csrf": csrf_token()})
        assessment = assessment_or_404(token)
        previous = store.get_assessment(link[1]) if link[1] else None
        html = render_template(
            "results/result.html",
            report=_build(assessment, previous),
            private_page=True,
            csrf_token=lambda: CSRF_HOLE,
        )
        if keep:
            self.kept.put(key, Skeleton(html, {CSRF_HOLE: "csrf"}))
        return html.replace(CSRF_HOLE, csrf_token())

    def forget(self, token: str) -> None:
        """Drop a deleted result's pages from this process at once (other processes age them out)."""
        self.kept.drop(lambda key: token in key[:2])


_pages = _ResultPages()


def forget_rendered(token: str) -> None:
    """A result was deleted: drop its kept pages (and pages comparing with it) from this process."""
    _pages.forget(token)


@bp.get("/r/<token>")
def show(token: str) -> ResponseReturnValue:
    """The result page."""
    return _pages.page(token)


@bp.post("/r/<token>/reaudit")
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
def delete(token: str) -> ResponseReturnValue:
    """Erase the result and its draft for good."""
    store.delete_assessment(assessment_or_404(token))
    forget_rendered(token)
    flash("Your result and its saved answers were deleted for good.", "success")
    return redirect(url_for("pages.landing"))
