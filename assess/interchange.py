"""The result export format: a result as a portable JSON document or CSV rows, and the check an import (or the
CLI) makes before reading one back. No request
handling here: the web layer and the CLI both use it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from assess import store
from assess.core import UNKNOWN, UNKNOWN_LABEL, Questionnaire

EXPORT_FORMAT = "escape-velocity-result"
"""The `format` of a result export; with `format_version`, what an import checks first."""
EXPORT_FORMAT_VERSION = 1
"""Raise it when an export's shape changes incompatibly; older sites then refuse newer files by name."""

EXPORT_FIELDS = (
    "format",
    "format_version",
    "questionnaire",
    "version",
    "label",
    "notes",
    "answers",
    "result",
    "scored_at",
    "exported_at",
    "job_ad",
)
VERSION_MAX = 20
"""The longest questionnaire version an export may name (the stored column's width, and it is quoted back)."""

CSV_COLUMNS = (
    "section",
    "dimension",
    "criterion",
    "question_id",
    "question",
    "answer_id",
    "answer",
    "points",
    "max_points",
)


def iso(moment: datetime) -> str:
    """A stored (naive UTC) time as RFC 3339 text: 2025-01-31T12:00:00Z."""
    return moment.replace(tzinfo=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def export_document(assessment: store.Assessment) -> dict[str, Any]:
    """A result as a portable JSON document: what an import (or `flask assess score`) reads back.

    The private token is left out on purpose: the file can be shared without giving away the link that
    deletes the stored result.
    """
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "questionnaire": assessment.slug,
        "version": assessment.version,
        "label": assessment.label,
        "notes": dict(assessment.notes),
        "answers": dict(assessment.answers),
        "result": assessment.result,
        "scored_at": iso(assessment.created_at),
        "exported_at": iso(store.now()),
        # A job ad read first: the answers it chose and its findings, as quotes; never the ad's whole text.
        "job_ad": assessment.job_ad,
    }


def export_rows(questionnaire: Questionnaire, answers: Mapping[str, str]) -> list[dict[str, Any]]:
    """One row a question, in questionnaire order: where it sits, what was answered and the points it got."""
    sections = {s.id: s.title for s in questionnaire.sections}
    rows = []
    for question in questionnaire.questions:
        answer = answers.get(question.id, UNKNOWN)
        try:
            option = None if answer == UNKNOWN else question.option(answer)
        except KeyError:  # answered under an older version that had this option
            option = None
        rows.append(
            {
                "section": sections.get(question.section, question.section),
                "dimension": questionnaire.dimension(question.dimension).title,
                "criterion": question.criterion,
                "question_id": question.id,
                "question": question.text,
                "answer_id": answer,
                "answer": UNKNOWN_LABEL if answer == UNKNOWN else (option.label if option else answer),
                "points": "" if option is None else option.points,
                "max_points": question.max_points,
            }
        )
    return rows


def export_csv(questionnaire: Questionnaire, answers: Mapping[str, str]) -> str:
    """The rows of `export_rows` as CSV text with a header line."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(export_rows(questionnaire, answers))
    return out.getvalue()


def export_filename(assessment: store.Assessment, extension: str) -> str:
    """A download name such as `escape-velocity-role-audit-2025-01-31.json`."""
    return f"escape-velocity-{assessment.slug}-{assessment.created_at:%Y-%m-%d}.{extension}"


class FormatError(ValueError):
    """A document that is not an export this version reads: `code` and `field` name what is wrong."""

    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def check_format(data: Mapping[str, Any]) -> None:
    """The one check of an export's `format` and `format_version`, for the import page, the API and the CLI:
    FormatError when it is not an export, or was written by a newer version."""
    if data.get("format") != EXPORT_FORMAT:
        raise FormatError(
            "not_an_export",
            f'This is not an Escape Velocity result export: it needs "format": "{EXPORT_FORMAT}". '
            "Export a result from its page (Download JSON) or from the API.",
            "format",
        )
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatError(
            "invalid_type", f"format_version must be a whole number from 1, not {version!r}.", "format_version"
        )
    if version > EXPORT_FORMAT_VERSION:
        raise FormatError(
            "newer_format",
            f"This export was written by a newer version of Escape Velocity (format_version {version}); this site "
            f"reads format_version {EXPORT_FORMAT_VERSION}. Import it on the site that made it, or update this one.",
            "format_version",
        )
