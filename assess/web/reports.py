"""The PDF report of a result: GET /r/<token>/report.pdf?size=a4|letter.

A rendered PDF is kept in the database (store.ReportPdf), keyed by the result, the paper size and the report
templates' version, so a second download renders nothing. A PDF that cannot be made answers 503 with a page
that leads back to the result; the results page itself never depends on the PDF.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import InternalError, OperationalError

from assess import store
from assess.extensions import db
from assess.reports import pdf as pdf_report

from .limits import PDF, limit
from .lookup import assessment_or_404, no_such_result
from .results import load_report

bp = Blueprint("reports", __name__)

log = logging.getLogger(__name__)

LETTER_REGIONS = frozenset({"US", "CA", "MX", "PH", "PR", "CL", "CO", "VE", "CR", "GT", "PA", "DO", "SV", "NI", "HN"})
"""Where US Letter is the usual paper (a browser language such as en-US, en-CA or es-MX); elsewhere A4."""


@bp.app_template_global()
def default_page_size() -> str:
    """The paper size the browser's preferred language suggests: "letter" for the Americas' Letter countries,
    else "a4"."""
    for language, quality in request.accept_languages:
        if quality <= 0:
            continue
        subtags = language.replace("_", "-").split("-")
        region = subtags[1].upper() if len(subtags) > 1 and len(subtags[1]) == 2 else ""
        return "letter" if region in LETTER_REGIONS else "a4"
    return "a4"


class _RecentFailures:
    """PDFs that failed to render lately, per process: asked for again within PDF_RETRY_AFTER seconds (what the
    503 tells the browser), they answer 503 at once instead of redoing the work (a report that cannot be laid out
    took seconds each time). Keyed by result, paper size and template version; at most `size` are remembered."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self.failed: dict[tuple[str, str, str], float] = {}

    def recent(self, key: tuple[str, str, str], seconds: float) -> bool:
        failed = self.failed.get(key)
        if failed is not None and time.monotonic() - failed < seconds:
            return True
        self.failed.pop(key, None)
        return False

    def add(self, key: tuple[str, str, str]) -> None:
        if len(self.failed) >= self.size:
            del self.failed[next(iter(self.failed))]  # the oldest: dicts keep insertion order
        self.failed[key] = time.monotonic()


_failures = _RecentFailures()


def cache_variant(size: str, appendix: bool) -> str:
    """The kept copy's paper key: the size, marked "-m" (main report only) when the appendix is left out, so the
    two choices are kept apart (the column holds ten characters: "letter-m" fits)."""
    return size if appendix else f"{size}-m"


def kept_pdf(assessment: store.Assessment, size: str, appendix: bool = True) -> bytes | None:
    """The result's PDF on this paper, with or without the appendix: the kept copy, or rendered and kept now;
    None (logged) when it fails.

    Shared by the site's download and the API's, so both keep and reuse the same copies. A render that failed is not
    tried again for PDF_RETRY_AFTER seconds in this process (`_RecentFailures`). A result deleted while
    its PDF rendered answers 404 (`no_such_result`): nothing is kept, and the deleted result is not sent. The
    callers read what they need of `assessment` first, since it is gone from the database after that.
    """
    version = pdf_report.template_version()
    variant = cache_variant(size, appendix)
    body = store.get_report_pdf(assessment.token, variant, version)
    if body is not None:
        return body
    key = (assessment.token, variant, version)
    if _failures.recent(key, float(current_app.config.get("PDF_RETRY_AFTER", 120))):
        return None
    try:
        body = pdf_report.render_pdf(load_report(assessment), size, appendix)
    except Exception:
        _failures.add(key)
        # The token is a secret: log a short digest of it, never the token itself.
        ref = hashlib.sha256(assessment.token.encode()).hexdigest()[:12]
        log.exception("PDF report failed: %s result ref %s, size %s", assessment.slug, ref, size)
        return None
    try:
        kept = store.save_report_pdf(assessment.token, variant, version, body)
        if kept:
            config = current_app.config
            store.evict_report_pdfs(timedelta(days=config["PDF_CACHE_DAYS"]), int(config["PDF_CACHE_MAX_MB"] * 2**20))
    except (OperationalError, InternalError) as error:
        # Keeping the copy is only a saving: a database that refuses writes (read-only, locked) or went away
        # since the read still gets the rendered PDF sent. It is rendered again next time.
        db.session.rollback()
        log.warning("PDF rendered but not kept: the database refused the write (%s)", type(error).__name__)
        return body
    if not kept:
        no_such_result()
    return body


@bp.get("/r/<token>/report.pdf")
@limit(PDF)
def pdf(token: str) -> ResponseReturnValue:
    """The result's PDF report, kept after the first render; `appendix=0` leaves the appendix out."""
    size = request.args.get("size", "").strip().lower() or default_page_size()
    if size not in pdf_report.PAGE_SIZES:
        abort(400, description="The paper size must be a4 or letter.")
    appendix = request.args.get("appendix", "1").strip()
    if appendix not in ("0", "1"):
        abort(400, description="The appendix choice must be 1 (with the appendix) or 0 (without).")
    assessment = assessment_or_404(token)
    filename = f"escape-velocity-{assessment.slug}-{assessment.created_at:%Y-%m-%d}.pdf"
    body = kept_pdf(assessment, size, appendix == "1")
    if body is None:
        return _unavailable(token)
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _unavailable(token: str) -> ResponseReturnValue:
    page = render_template("report/unavailable.html", token=token, private_page=True)
    retry = str(current_app.config.get("PDF_RETRY_AFTER", 120))
    return page, 503, {"Retry-After": retry, "Cache-Control": "no-store"}
