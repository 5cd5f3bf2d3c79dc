"""What comes in, past its shape: the checks that depend on a questionnaire (its questions, options and sections),
and an export read back and stored (`import_document`). The shapes themselves are pydantic models in `schemas`
(`ResultImport` for an export, read with `schemas.validated`). No routes here; `api.py` and `exports.py` call these.

Every refusal is an `ApiError` naming the field at fault (`answers.<question id>`, `notes.<section id>`, `label`,
...), so the API answers it as JSON and the import page shows the same message.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from assess import interchange, store
from assess.core import UNKNOWN, AnswerError, Questionnaire, check_answers, result_to_dict, score

from .errors import ApiError, shown
from .lookup import catalog
from .schemas import ResultImport, kind, validated

# ---------------------------------------------------------------------------------------------------------
# Fields


def check_notes(questionnaire: Questionnaire, value: object) -> dict[str, str]:
    """Notes keyed by section id, each text of at most NOTE_MAX characters; blank ones are dropped."""
    limit = current_app.config["NOTE_MAX"]
    if not isinstance(value, dict):
        raise ApiError(
            422, "invalid_type", f"notes must be an object of section id -> text, not {kind(value)}.", "notes"
        )
    sections = [s.id for s in questionnaire.sections]
    notes: dict[str, str] = {}
    for key, note in value.items():
        field = f"notes.{key}"
        if key not in sections:
            raise ApiError(
                422,
                "unknown_section",
                f"{questionnaire.slug} has no section {shown(key)} (one of: {', '.join(sections)}).",
                field,
            )
        if not isinstance(note, str):
            raise ApiError(422, "invalid_type", f"the note on {shown(key)} must be text, not {kind(note)}.", field)
        if len(note) > limit:
            raise ApiError(
                422, "too_long", f"the note on {shown(key)} has {len(note)} characters; the limit is {limit}.", field
            )
        kept = store.normalise_note(store.trimmed(note))
        if len(kept.splitlines()) > store.NOTE_LINES:
            raise ApiError(
                422,
                "too_long",
                f"the note on {shown(key)} has {len(kept.splitlines())} lines (runs of blank lines counted as one); "
                f"the limit is {store.NOTE_LINES}.",
                field,
            )
        if kept:
            notes[key] = kept
    return notes


def check_answers_field(questionnaire: Questionnaire, value: object) -> dict[str, str]:
    """The answers completed with "unknown" for every question left out; 422 naming `answers.<question id>`."""
    if not isinstance(value, dict):
        raise ApiError(
            422,
            "invalid_type",
            f'answers must be an object of question id -> option id or "{UNKNOWN}", not {kind(value)}.',
            "answers",
        )
    try:
        return check_answers(questionnaire, value)
    except AnswerError as exc:
        raise ApiError(422, exc.code, exc.message, f"answers.{exc.field}") from None


def questionnaire_named(slug: object, field: str | None = None, status: int = 404) -> Questionnaire:
    """The questionnaire with this slug; 404 (or 422 for a field in a body) naming the slugs that exist."""
    questionnaires = catalog().questionnaires
    if not isinstance(slug, str) or slug not in questionnaires:
        raise ApiError(
            status,
            "unknown_questionnaire",
            f"There is no questionnaire {shown(slug)} (one of: {', '.join(questionnaires)}).",
            field,
        )
    return questionnaires[slug]


def score_and_store(
    questionnaire: Questionnaire, answers: dict[str, str], label: str, notes: dict[str, str]
) -> store.Assessment:
    """Score complete, checked answers with the current questionnaire and keep the result."""
    result = score(questionnaire, answers)
    return store.create_assessment(
        questionnaire.slug, questionnaire.version, answers, result_to_dict(result), label=label, notes=notes
    )


# ---------------------------------------------------------------------------------------------------------
# Imports


@dataclass(frozen=True)
class Imported:
    """A stored import and what a person should know about it."""

    assessment: store.Assessment
    exported_version: str
    same_version: bool
    same_result: bool | None
    """Whether the re-scored result equals the one in the file; None when the file carried none."""
    message: str


def import_document(data: object) -> Imported:
    """Re-score an export's answers with the current questionnaire and store the result as a new one.

    - Same questionnaire version: the result is the one in the file (scoring is deterministic).
    - Another version (older, or one this site never had): the answers are re-scored with the current
      version when they still fit it, and the message says so and whether the result changed; when they no
      longer fit, 422 names the version and the answer at fault.
    - A newer `format_version`: 422, "written by a newer version".
    """
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_type", f"An export is a JSON object, not {kind(data)}.")
    try:
        interchange.check_format(data)
    except interchange.FormatError as exc:
        raise ApiError(422, exc.code, exc.message, exc.field) from None
    export = validated(ResultImport, data, "the export")
    questionnaire = questionnaire_named(export.questionnaire, field="questionnaire", status=422)
    version = export.version
    same_version = version == questionnaire.version
    context = (
        ""
        if same_version
        else f"This export was scored with {questionnaire.slug} version {version}, which this site does not have "
        f"(it has version {questionnaire.version}), and it does not fit the current version: "
    )
    try:
        answers = check_answers_field(questionnaire, export.answers)
        notes = check_notes(questionnaire, export.notes)
    except ApiError as exc:
        if same_version or exc.code not in ("unknown_question", "unknown_option", "unknown_section"):
            raise
        raise ApiError(exc.status, "incompatible_version", context + exc.message, exc.field) from None
    assessment = score_and_store(questionnaire, answers, export.label, notes)
    same_result = assessment.result == export.result if "result" in export.model_fields_set else None
    if same_version and same_result is not False:
        message = f"Imported: re-scored with {questionnaire.slug} version {version}, the version it was made with."
    elif same_version:
        message = (
            f"Imported and re-scored with {questionnaire.slug} version {version}. The result in the file differs "
            "from the re-scored one (the file was edited, or made by a different release); the re-scored result "
            "is kept."
        )
    else:
        changed = {None: "", True: " The result is the same.", False: " The result differs from the one in the file."}
        message = (
            f"Imported. The export was scored with {questionnaire.slug} version {version}; this site has version "
            f"{questionnaire.version}, so the answers were re-scored with it.{changed[same_result]}"
        )
    return Imported(assessment, version, same_version, same_result, message)
