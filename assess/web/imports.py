"""Reading what comes in: a strict JSON body (`json_body`), the checks that depend on a questionnaire (its
questions, options and sections) and an export read back and stored (`import_document`). No routes here; `api.py`
and `exports.py` call these, and `schemas.read` validates API bodies with their pydantic models on top of `json_body`.

Every refusal is an `ApiError` naming the field at fault (`answers.<question id>`, `notes.<section id>`, `label`,
...), so the API answers it as JSON and the import page shows the same message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from assess import interchange, store
from assess.core import UNKNOWN, AnswerError, Questionnaire, check_answers, result_to_dict, score

from .errors import ApiError, shown
from .lookup import catalog

# ---------------------------------------------------------------------------------------------------------
# Reading JSON bodies


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(raw: bytes) -> Any:
    """Parse a JSON document strictly (no NaN or Infinity, no unpaired surrogate escapes such as "\\ud800", which
    no database can store); ApiError 400 when it is not JSON."""
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        return data
    except UnicodeEncodeError:
        raise ApiError(
            400, "malformed_json", "The body has an unpaired surrogate escape (\\ud800 to \\udfff)."
        ) from None
    except RecursionError:
        raise ApiError(400, "malformed_json", "The body is nested too deeply to be read.") from None
    except UnicodeDecodeError:
        raise ApiError(400, "malformed_json", "The body is not valid UTF-8 text.") from None
    except ValueError as exc:
        raise ApiError(400, "malformed_json", f"The body is not valid JSON: {exc}.") from None


def json_body() -> dict[str, Any]:
    """The request's JSON object: 415 unless sent as JSON, 413 when too large, 400 when malformed, 422 when no
    object."""
    if not request.is_json:
        sent = f"it was sent as {request.mimetype}" if request.mimetype else "it had no Content-Type"
        raise ApiError(
            415, "unsupported_media_type", f"Send the body as JSON with Content-Type: application/json; {sent}."
        )
    raw = request.get_data(cache=False)  # werkzeug raises 413 when Content-Length is over MAX_CONTENT_LENGTH
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and request.content_length is None and len(raw) >= limit:
        raise RequestEntityTooLarge()  # a streamed (chunked) body is cut at the limit without an error of its own
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_type", f"The body must be a JSON object, not {_kind(data)}.")
    return data


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def reject_unknown_fields(data: Mapping[str, Any], known: tuple[str, ...]) -> None:
    """422 naming the first field this body may not have (a typo such as "answer" must not pass silently)."""
    for name in data:
        if name not in known:
            raise ApiError(
                422, "unknown_field", f"Unknown field {shown(name)}; the body may have: {', '.join(known)}.", name
            )


# ---------------------------------------------------------------------------------------------------------
# Fields


def check_label(value: object, field: str = "label") -> str:
    """A label (or a team's name), trimmed: text of at most LABEL_MAX characters."""
    limit = current_app.config["LABEL_MAX"]
    if not isinstance(value, str):
        raise ApiError(422, "invalid_type", f"{field} must be text, not {_kind(value)}.", field)
    if len(value) > limit:
        raise ApiError(422, "too_long", f"{field} has {len(value)} characters; the limit is {limit}.", field)
    return _clean(value)


def _clean(text: str) -> str:
    """Text as stored: trimmed, without NUL characters (which PostgreSQL cannot store in text)."""
    return text.replace("\x00", "").strip()


def check_notes(questionnaire: Questionnaire, value: object) -> dict[str, str]:
    """Notes keyed by section id, each text of at most NOTE_MAX characters; blank ones are dropped."""
    limit = current_app.config["NOTE_MAX"]
    if not isinstance(value, dict):
        raise ApiError(
            422, "invalid_type", f"notes must be an object of section id -> text, not {_kind(value)}.", "notes"
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
            raise ApiError(422, "invalid_type", f"the note on {shown(key)} must be text, not {_kind(note)}.", field)
        if len(note) > limit:
            raise ApiError(
                422, "too_long", f"the note on {shown(key)} has {len(note)} characters; the limit is {limit}.", field
            )
        kept = store.normalise_note(_clean(note))
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
            f'answers must be an object of question id -> option id or "{UNKNOWN}", not {_kind(value)}.',
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


def _check_timestamp(data: Mapping[str, Any], name: str) -> None:
    """The export's times are informative only (an import keeps its own): they need only be text."""
    if name in data and not isinstance(data[name], str):
        raise ApiError(422, "invalid_type", f"{name} must be text such as 2025-01-31T12:00:00Z.", name)


def import_document(data: object) -> Imported:
    """Re-score an export's answers with the current questionnaire and store the result as a new one.

    - Same questionnaire version: the result is the one in the file (scoring is deterministic).
    - Another version (older, or one this site never had): the answers are re-scored with the current
      version when they still fit it, and the message says so and whether the result changed; when they no
      longer fit, 422 names the version and the answer at fault.
    - A newer `format_version`: 422, "written by a newer version".
    """
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_type", f"An export is a JSON object, not {_kind(data)}.")
    try:
        interchange.check_format(data)
    except interchange.FormatError as exc:
        raise ApiError(422, exc.code, exc.message, exc.field) from None
    reject_unknown_fields(data, interchange.EXPORT_FIELDS)
    for name in interchange.EXPORT_REQUIRED:
        if name not in data:
            raise ApiError(422, "missing_field", f"The export has no {name!r}.", name)
    questionnaire = questionnaire_named(data["questionnaire"], field="questionnaire", status=422)
    version = data["version"]
    if not isinstance(version, str) or not version:
        raise ApiError(422, "invalid_type", f"version must be non-empty text, not {shown(version)}.", "version")
    if (
        len(version) > interchange.VERSION_MAX
    ):  # it is quoted back in the import's message (a flashed message is a cookie)
        raise ApiError(
            422,
            "too_long",
            f"version has {len(version)} characters; a version has at most {interchange.VERSION_MAX}.",
            "version",
        )
    if "result" in data and not isinstance(data["result"], dict):
        raise ApiError(422, "invalid_type", f"result must be an object, not {_kind(data['result'])}.", "result")
    if data.get("job_ad") is not None and not isinstance(data["job_ad"], dict):  # informative only: not kept
        raise ApiError(422, "invalid_type", f"job_ad must be an object or null, not {_kind(data['job_ad'])}.", "job_ad")
    for name in ("scored_at", "exported_at"):
        _check_timestamp(data, name)
    same_version = version == questionnaire.version
    context = (
        ""
        if same_version
        else f"This export was scored with {questionnaire.slug} version {version}, which this site does not have "
        f"(it has version {questionnaire.version}), and it does not fit the current version: "
    )
    try:
        answers = check_answers_field(questionnaire, data["answers"])
        notes = check_notes(questionnaire, data.get("notes", {}))
    except ApiError as exc:
        if same_version or exc.code not in ("unknown_question", "unknown_option", "unknown_section"):
            raise
        raise ApiError(exc.status, "incompatible_version", context + exc.message, exc.field) from None
    label = check_label(data.get("label", ""))
    assessment = score_and_store(questionnaire, answers, label, notes)
    same_result = assessment.result == data["result"] if "result" in data else None
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
