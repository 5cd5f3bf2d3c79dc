"""A result's downloads (JSON export, CSV) on the site, and the page that imports a JSON export."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.file import FileField, FileRequired, FileSize
from werkzeug.exceptions import RequestEntityTooLarge

from assess import interchange, store
from assess.extensions import csrf

from . import imports, schemas
from .errors import ApiError
from .forms import Form
from .limits import SUBMIT, limit
from .lookup import assessment_or_404, catalog

bp = Blueprint("exports", __name__)


def json_download(assessment: store.Assessment) -> Response:
    """The JSON export as a file download."""
    response = schemas.respond(schemas.Export.model_validate(interchange.export_document(assessment), strict=False))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{interchange.export_filename(assessment, "json")}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def csv_download(assessment: store.Assessment) -> Response:
    """The CSV export (one row a question) as a file download."""
    text = interchange.export_csv(catalog().get(assessment.slug), assessment.answers)
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{interchange.export_filename(assessment, "csv")}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/r/<token>/export.json")
def export_json(token: str) -> ResponseReturnValue:
    """Download the result as a JSON export that can be imported again."""
    return json_download(assessment_or_404(token))


@bp.get("/r/<token>/export.csv")
def export_csv(token: str) -> ResponseReturnValue:
    """Download the answers and points as CSV, one row a question."""
    return csv_download(assessment_or_404(token))


def _limit_kb() -> int:
    return int(current_app.config["MAX_CONTENT_LENGTH"]) // 1024


class ImportForm(Form):
    """One file: a JSON export."""

    export = FileField(
        "Your JSON export",
        validators=[
            FileRequired(message="Choose the JSON export file to import."),
            # Below the request cap, so a file near the limit still gets this message rather than a bare 413.
            FileSize(max_size=200 * 1024, message="The file is larger than 200 KB; a result export is far smaller."),
        ],
        description="A file downloaded with “Download JSON” from a result page (or from the API).",
        render_kw={"accept": ".json,application/json"},
    )


def _page(form: Form, problem: str | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("exports/import.html", form=form, problem=problem, limit_kb=_limit_kb()), status


def _looks_like_csv(raw: bytes) -> bool:
    """True for a file that is comma-separated text rather than JSON: the CSV export, uploaded by mistake."""
    text = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    first_line = text.split(b"\n", 1)[0]
    return not text.startswith((b"{", b"[")) and b"," in first_line


@bp.get("/import")
def import_page() -> ResponseReturnValue:
    """The upload form."""
    return _page(ImportForm())


# Exempt from the global check because the form checks its own CSRF token: a body over the size cap is then
# caught here and explained on the page, instead of failing before the view runs.
@bp.post("/import")
@limit(SUBMIT)
@csrf.exempt  # type: ignore[untyped-decorator]
def import_upload() -> ResponseReturnValue:
    """Re-score an uploaded export with the current questionnaire, store it, and show the new result."""
    try:
        form = ImportForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        problem = f"The upload is larger than {_limit_kb()} KB; a result export is far smaller. Is it the right file?"
        return _page(ImportForm(formdata=None), problem, 413)
    if not valid:
        if "csrf_token" in form.errors:
            return _page(form, "This page expired before the upload. Choose the file again and import.", 400)
        return _page(form, None, 422)
    raw = form.export.data.read()
    if _looks_like_csv(raw):
        problem = (
            "This is the CSV export, which is for spreadsheets. Import takes the JSON export: on the result page, "
            "open “Link, copies, delete” and download the JSON copy, then import that file."
        )
        return _page(form, problem, 422)
    try:
        imported = imports.import_document(schemas.parse_json(raw))
    except ApiError as exc:
        where = f" (in {exc.field})" if exc.field else ""
        return _page(form, f"This file cannot be imported{where}: {exc.message}", exc.status)
    flash(imported.message, "success")
    return redirect(url_for("results.show", token=imported.assessment.token))
