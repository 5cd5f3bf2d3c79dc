"""The API's bodies, declared once as pydantic models: requests are validated with them (`read`, or `validated`
for a document such as an uploaded export), responses are built through them (`respond`), and the OpenAPI
document takes their JSON Schemas (`components`). Reading a JSON body strictly (`json_body`, `parse_json`) is here
too.

To add an endpoint: declare its request and response models here (subclasses of `ApiModel`, listed in
`COMPONENTS`), read the body with `read(Model)` and answer with `respond(Model(...))` in api.py, and describe the
path in openapi.py with `ref(Model)`. A refusal is always `{"error": {"code", "message", "field"}}` (`Error`):
`read` turns pydantic's first error into the API's codes (`unknown_field`, `missing_field`, `invalid_type`,
`too_long`, or a custom validator's own code) and names the field, e.g. "notes.<section id>".
"""

from __future__ import annotations

import dataclasses
import json
import typing
from typing import Annotated, Any, Literal, TypeVar, get_args

from flask import Response, current_app, jsonify, request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic_core import PydanticCustomError
from werkzeug.exceptions import RequestEntityTooLarge

from assess.core import model
from assess.core.aggregate import MIN_GROUP, OTHER
from assess.core.model import Severity
from assess.interchange import EXPORT_FIELDS, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, VERSION_MAX
from assess.jobads import MAX_AD_CHARS
from assess.store import trimmed

from .errors import ApiError
from .lookup import catalog
from .teams import DEPARTMENTS

M = TypeVar("M", bound="ApiModel")

TOKEN_PATTERN = "^[A-Za-z0-9_-]{1,64}$"  # noqa: S105  # nosec B105  # a pattern, not a secret


class ApiModel(BaseModel):
    """A body of the API: no field beyond those declared, no silent type conversion, every field in every
    response (a default is still written out)."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_serialization_defaults_required=True)


# ---------------------------------------------------------------------------------------------------------
# Field types with the app's configured limits


def _label_limit(schema: dict[str, Any]) -> None:
    schema["maxLength"] = int(current_app.config["LABEL_MAX"])


def _check_label(value: str) -> str:
    """A label or a team's name: at most LABEL_MAX characters, stored trimmed and without NUL characters."""
    limit = int(current_app.config["LABEL_MAX"])
    if len(value) > limit:
        raise PydanticCustomError(
            "too_long", "{length} characters; the limit is {limit}", {"length": len(value), "limit": limit}
        )
    return trimmed(value)


def _not_blank(value: str) -> str:
    """Text that must say something (a team's name, a job ad): refused when nothing is left once it is cleaned as a
    label is (store.trimmed). The document says the same with NOT_ALL_BLANK."""
    if not trimmed(value):
        raise PydanticCustomError("invalid_type", "must not be blank")
    return value


def _check_department(value: str) -> str:
    if value not in DEPARTMENTS:
        raise PydanticCustomError("invalid_type", "must be one of: {choices}", {"choices": ", ".join(DEPARTMENTS)})
    return value


Label = Annotated[
    str,
    Field(description="A name for this result, shown on its page and report.", json_schema_extra=_label_limit),
    AfterValidator(_check_label),
]
NOT_ALL_BLANK = r"[^\s\x00\x1c-\x1f\x85]"
r"""What `_not_blank` checks, as the document's pattern: a character that store.trimmed keeps. Not NUL (dropped), and
not one str.strip takes, which includes the separators U+001C-U+001F and U+0085 that a JSON Schema (ECMA-262) \s
does not match: naming them keeps every text the document admits acceptable ("\x1f" and "\x00" were admitted by the
document and refused by the API, which schemathesis reports). In the document only: `_not_blank` refuses in words."""


def _name_schema(schema: dict[str, Any]) -> None:
    _label_limit(schema)
    schema["pattern"] = NOT_ALL_BLANK


TeamName = Annotated[
    str,
    Field(
        description="Shown to respondents; not all blank (NUL characters are dropped).",
        min_length=1,
        json_schema_extra=_name_schema,
    ),
    AfterValidator(_check_label),
    AfterValidator(_not_blank),
]
Department = Annotated[
    str,
    Field(description="The department spoken for.", json_schema_extra={"enum": list(DEPARTMENTS)}),
    AfterValidator(_check_department),
]
Token = Annotated[str, Field(pattern=TOKEN_PATTERN)]
Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]
Score = Annotated[float | None, Field(ge=0, le=100)]


# ---------------------------------------------------------------------------------------------------------
# Errors


class ErrorDetail(ApiModel):
    code: str = Field(description="Stable and machine-readable; see the list in the API description.")
    message: str = Field(description="What is wrong and how to fix it, for people.")
    field: str | None = Field(
        description='The field at fault, e.g. "answers", "answers.<question id>", "notes.<section id>", "label"; '
        "null when no single field is."
    )


class Error(ApiModel):
    """Every error the API returns has this shape."""

    error: ErrorDetail


# ---------------------------------------------------------------------------------------------------------
# Request bodies


class AssessmentCreate(ApiModel):
    """Answers to one questionnaire, with an optional label and section notes. Each questionnaire's own schema in
    the document lists its questions, options and sections; the view checks them (`imports.check_answers_field`,
    `imports.check_notes`)."""

    answers: dict[str, Any] = Field(
        description='question id -> option id, or "unknown" (it may be empty: questions left out count as "unknown")'
    )
    label: Label = ""
    notes: dict[str, str] = Field(default_factory=dict, description="section id -> a note, shown on the result")


class TeamCreate(ApiModel):
    """A new team's name."""

    name: TeamName


class TeamResponseCreate(ApiModel):
    """One anonymous response: the department spoken for and the answers (to org-readiness)."""

    department: Department = OTHER
    answers: dict[str, Any] = Field(description='question id -> option id, or "unknown" (it may be empty)')


def _check_version(value: str) -> str:
    """A questionnaire version named by an export: quoted back in the import's message (a flashed message is a
    cookie), so at most VERSION_MAX characters."""
    if len(value) > VERSION_MAX:
        raise PydanticCustomError(
            "too_long",
            "{length} characters; a version has at most {limit}",
            {"length": len(value), "limit": VERSION_MAX},
        )
    return value


class ResultImport(ApiModel):
    """A JSON export read back, as GET .../export.json writes it (POST /api/v1/imports, the import page). Its format
    is checked first (`interchange.check_format`, shared with the CLI); each questionnaire's own schema in the
    document lists its questions, options and sections, which `imports.import_document` checks."""

    format: Literal["escape-velocity-result"] = Field(description="What the file is (interchange.EXPORT_FORMAT).")
    format_version: int = Field(
        ge=1,
        le=EXPORT_FORMAT_VERSION,
        description=f"This site reads format_version {EXPORT_FORMAT_VERSION} and older; a newer one is refused.",
    )
    questionnaire: str = Field(description="The questionnaire's slug: which of its schemas applies.")
    version: Annotated[
        str,
        Field(
            min_length=1,
            description="The questionnaire version the export was scored with.",
            json_schema_extra={"maxLength": VERSION_MAX},
        ),
        AfterValidator(_check_version),
    ]
    label: Label = ""
    notes: dict[str, Any] = Field(default_factory=dict, description="section id -> a note, shown on the result")
    answers: dict[str, Any] = Field(description='question id -> option id, or "unknown"')
    result: dict[str, Any] = Field(
        default_factory=dict,
        description="The result in the file, if it has one: compared with the re-scored one, never trusted.",
    )
    scored_at: str = Field(default="", description="RFC 3339; informative only.")
    exported_at: str = Field(default="", description="RFC 3339; informative only.")
    job_ad: dict[str, Any] | None = Field(
        default=None, description="The quotes of a job ad read first; informative only, not kept by an import."
    )


# ---------------------------------------------------------------------------------------------------------
# Responses


class Links(ApiModel):
    self: Url
    html: Url = Field(description="The result's private page.")
    pdf: Url = Field(description="The printable report.")
    export_json: Url = Field(description="The portable JSON export.")
    export_csv: Url = Field(description="One CSV row a question.")


class ImportOutcome(ApiModel):
    exported_version: str = Field(description="The questionnaire version named in the file.")
    same_version: bool = Field(description="Whether it is the version scored now.")
    same_result: bool | None = Field(
        description="Whether the re-scored result equals the file's; null when it had none."
    )
    message: str = Field(description="What happened, in words.")


class QuestionnaireLinks(ApiModel):
    self: Url = Field(description="The full definition.")
    assessments: Url = Field(description="POST answers here.")
    html: Url = Field(description="The questionnaire on the site.")


class QuestionnaireSummary(ApiModel):
    slug: str
    version: str
    title: str
    audience: str
    summary: str
    questions: int = Field(description="How many questions it asks.")
    links: QuestionnaireLinks


class QuestionnaireList(ApiModel):
    questionnaires: list[QuestionnaireSummary]


class TeamSpread(ApiModel):
    """How a group scored one dimension (or overall); null statistics below the minimum group size (min_group)."""

    id: str
    title: str
    n: int = Field(ge=0, description="Respondents with a score here.")
    median: Score
    min: Score
    max: Score
    spread: Score = Field(description="max - min; null below the minimum group size.")
    disagreement: bool = Field(description="True when the spread is large.")


class TeamDepartment(ApiModel):
    department: Department
    n: int = Field(ge=MIN_GROUP)
    overall: TeamSpread
    dimensions: list[TeamSpread]


class TeamFlag(ApiModel):
    id: str
    title: str
    severity: Severity
    criterion: str
    count: int
    share: float = Field(ge=0, le=1)


class TeamDivide(ApiModel):
    dimension: str
    title: str
    first: Department
    first_median: float
    second: Department
    second_median: float
    gap: float


class TeamUnshown(ApiModel):
    """A department too small to be shown apart, with where its answers are counted instead."""

    department: Department
    n: int = Field(ge=1)
    counted_in: Literal["other", "overall"] = Field(
        description='"other" when the merged group is shown apart, "overall" when counted only in the overall figures.'
    )


class TeamAgreement(ApiModel):
    id: str
    title: str
    agrees: bool | None = Field(description="Null when nobody outside the department could score it.")


class TeamRest(ApiModel):
    """Whether the respondents outside the only department shown apart see each dimension as it does: agree or
    differ, never their figures."""

    department: Department
    n_rest: int = Field(ge=2)
    overall: TeamAgreement
    dimensions: list[TeamAgreement]


class TeamLinks(ApiModel):
    self: Url
    html: Url = Field(description="The manager's page (admin token).")
    respond_html: Url = Field(description="The page colleagues answer on (respondent token).")
    responses: Url = Field(description="Where the API takes responses (respondent token).")


class Team(ApiModel):
    """A team's aggregate: statistics only, never one respondent's answers."""

    name: str
    questionnaire: Literal["org-readiness"]
    version: str
    closed: bool
    responses: int = Field(ge=0)
    shown: bool = Field(description=f"False until {MIN_GROUP} people have answered.")
    min_group: int
    overall: TeamSpread
    dimensions: list[TeamSpread]
    departments: list[TeamDepartment]
    flags: list[TeamFlag]
    divides: list[TeamDivide]
    band: str | None = Field(
        description="The band of the median overall score, held down while `disputed_by` is not empty."
    )
    band_capped: bool = Field(description="True when a critical flag raised by a third or more held the band down.")
    disputed_by: list[TeamFlag] = Field(description="Critical flags raised by at least a third of respondents.")
    unshown: list[TeamUnshown]
    rest: TeamRest | None
    links: TeamLinks


class TeamCreated(Team):
    """A new team, with its two tokens."""

    admin_token: Token = Field(description="Reads the aggregate: keep it private.")
    respondent_token: Token = Field(description="For colleagues to answer with.")


class TeamResponseRecorded(ApiModel):
    team: str
    department: Department
    recorded: Literal[True]


# ---------------------------------------------------------------------------------------------------------
# Job ads (assess.jobads): an ad's text in, what the reader found out


def _check_ad(value: str) -> str:
    """An ad's text: at most MAX_AD_CHARS characters (refused as too_long, as a label is)."""
    if len(value) > MAX_AD_CHARS:
        raise PydanticCustomError(
            "too_long", "{length} characters; the limit is {limit}", {"length": len(value), "limit": MAX_AD_CHARS}
        )
    return value


class JobAdRead(ApiModel):
    """A job ad's text to read for the source article's warning signs."""

    text: Annotated[
        str,
        Field(
            description=f"The ad as plain text or HTML (tags are dropped), up to {MAX_AD_CHARS:,} characters.",
            min_length=1,
            json_schema_extra={"maxLength": MAX_AD_CHARS, "pattern": NOT_ALL_BLANK},
        ),
        AfterValidator(_check_ad),
        AfterValidator(_not_blank),
    ]


class JobAdFinding(ApiModel):
    signal: str = Field(description="The signal's id in signals.yaml.")
    title: str
    criterion: str = Field(description="The criterion it bears on (see /api/v1/questionnaires/<slug>).")
    tone: Literal["warning", "good"]
    sentence: int = Field(description="The sentence's number in the ad, from 0.", ge=0)
    start: int = Field(description="Where the sentence starts in the ad's normalised text.", ge=0)
    end: int = Field(ge=0)
    quote: str = Field(description="The sentence, on one line.")
    matched: str = Field(description="The words that matched the signal's phrasing.")


class JobAdCriterionGroup(ApiModel):
    criterion: str
    findings: list[JobAdFinding]


class JobAdSetAside(ApiModel):
    """A match that was not counted: a cancelling phrase in the sentence, a negation just before it, or another
    signal (`by`) shown elsewhere in the ad."""

    signal: str
    sentence: int = Field(ge=0)
    quote: str
    matched: str
    reason: Literal["cancelled", "negated", "yields"]
    by: str


class JobAdAnswer(ApiModel):
    option: str
    signals: list[str]
    sentences: list[int]


class JobAdQuestion(ApiModel):
    signal: str
    ask: str = Field(description="The interview question (for a hiring manager: what a careful candidate will ask).")
    quotes: list[str] = Field(description="The sentences that raise it; empty when the ad is silent on a good sign.")


class JobAdKeptAnswer(ApiModel):
    option: str
    signals: list[str]
    quotes: list[str] = Field(description="The sentences of the ad that chose this answer.")


class JobAdKeptFinding(ApiModel):
    signal: str
    title: str
    criterion: str
    tone: Literal["warning", "good"]
    quote: str


class JobAdKept(ApiModel):
    """What a result keeps of a job ad read before its questionnaire: the answers still as the ad chose them, by
    question id, and every finding, each with its sentence. Never the ad's whole text."""

    answers: dict[str, JobAdKeptAnswer]
    findings: list[JobAdKeptFinding]


class JobAdReading(ApiModel):
    """What the reader found in an ad. It quotes sentences; the ad's whole text is not returned or kept."""

    sentences: int = Field(description="How many sentences were read.", ge=0)
    findings: list[JobAdFinding]
    by_criterion: list[JobAdCriterionGroup]
    set_aside: list[JobAdSetAside]
    answers: dict[str, dict[str, JobAdAnswer]] = Field(
        description="By questionnaire slug, then question id: the answer the ad settles."
    )
    questions: list[JobAdQuestion]


# ---------------------------------------------------------------------------------------------------------
# Questionnaires and stored results as the API writes them: the core's dataclasses are the source of their shape


def _slugs(schema: dict[str, Any]) -> None:
    schema["enum"] = list(catalog().questionnaires)


Slug = Annotated[str, Field(description="The questionnaire's slug.", json_schema_extra=_slugs)]
Timestamp = Annotated[str, Field(description="UTC, RFC 3339.", json_schema_extra={"format": "date-time"})]


class DimensionDefinition(ApiModel):
    id: str
    title: str
    part: str
    weight: float
    description: str
    questions: list[str] = Field(description="The ids of the questions it scores.")


class QuestionDefinition(ApiModel):
    id: str
    section: str
    dimension: str
    criterion: str = Field(description="The catalogue criterion this question tests.")
    challenges: list[str]
    weight: float
    text: str
    help: str
    max_points: int
    options: list[model.Option]
    team: list[str] | None = Field(
        description="The team departments asked this question; null for every department, empty for the hiring "
        "manager alone."
    )


class RuleSummary(ApiModel):
    id: str
    part: str
    severity: Severity
    criterion: str
    title: str


class QuickPath(ApiModel):
    """The quick path: the few questions that move the result most, and about how long it takes."""

    minutes: int
    questions: list[str]


class Questionnaire(ApiModel):
    """A questionnaire's full definition (`core.questionnaire_to_dict`): what to show and what to send back."""

    slug: Slug
    version: str
    title: str
    audience: str
    summary: str
    points_max: int
    unknown_option: Literal["unknown"]
    parts: list[model.Part]
    sections: list[model.Section]
    dimensions: list[DimensionDefinition]
    questions: list[QuestionDefinition]
    rules: list[RuleSummary]
    quick: QuickPath
    criteria: list[model.Criterion]
    figures: list[model.Figure]


def _result_fields() -> dict[str, Any]:
    """The fields of the core's `Result`, for the models that write a scored result out: the dataclass is their one
    source. A stored result from an older version lacks the newer fields; they take the dataclass's defaults."""
    hints = typing.get_type_hints(model.Result)
    return {
        field.name: (hints[field.name], ... if field.default is dataclasses.MISSING else field.default)
        for field in dataclasses.fields(model.Result)
    }


Assessment = create_model(
    "Assessment",
    __base__=ApiModel,
    __doc__="A stored result: the scored result (as `flask assess score --json` prints it), plus its token, its "
    "inputs and links. Scores are 0-100 (null when nothing behind them was answered); confidences are the answered "
    'share of the weight, 0-1. "unknown" answers never lower a score, only its confidence.',
    **_result_fields(),
    token=(Token, Field(description="The result's private key: 256 random bits, URL-safe.")),
    label=(str, Field(description="The result's name; may be empty.")),
    notes=(dict[str, str], Field(description="Section id -> note.")),
    answers=(
        dict[str, str],
        Field(description='Every question of the questionnaire, answered with an option id or "unknown".'),
    ),
    created_at=(Timestamp, ...),
    links=(Links, ...),
)

ImportedAssessment = create_model(
    "ImportedAssessment",
    __base__=Assessment,
    __doc__="A stored import: the new result, and what the import changed.",
    import_=(ImportOutcome, Field(alias="import")),
)


class Export(ApiModel):
    """A portable copy of one result (`interchange.export_document`); the token is left out."""

    format: Literal["escape-velocity-result"]
    format_version: int = Field(
        description="Raised when the export's shape changes; a site refuses files from a newer format.",
        json_schema_extra={"const": EXPORT_FORMAT_VERSION},
    )
    questionnaire: Slug
    version: str = Field(
        description="The questionnaire version the result was scored with.", min_length=1, max_length=VERSION_MAX
    )
    label: str
    notes: dict[str, str] = Field(description="Section id -> note.")
    answers: dict[str, str] = Field(description='Question id -> option id, or "unknown".')
    result: model.Result
    scored_at: Timestamp
    exported_at: Timestamp
    job_ad: JobAdKept | None = Field(description="The quotes of a job ad read first, if one was.")


for _export in (ResultImport, Export):
    if tuple(_export.model_fields) != EXPORT_FIELDS or get_args(_export.model_fields["format"].annotation) != (
        EXPORT_FORMAT,
    ):
        raise RuntimeError(f"{_export.__name__} and interchange's EXPORT_FIELDS or EXPORT_FORMAT disagree")


COMPONENTS: tuple[type[ApiModel], ...] = (
    Error,
    TeamCreate,
    TeamResponseCreate,
    Links,
    ImportOutcome,
    QuestionnaireSummary,
    QuestionnaireList,
    TeamSpread,
    Team,
    TeamCreated,
    TeamResponseRecorded,
    JobAdRead,
    JobAdReading,
    JobAdKept,
    Questionnaire,
    Assessment,
    ImportedAssessment,
    Export,
)
"""The models the OpenAPI document lists under components/schemas (with the models they contain)."""


# ---------------------------------------------------------------------------------------------------------
# The glue: reading, answering, describing


def ref(model: type[ApiModel]) -> dict[str, str]:
    """A JSON Schema reference to `model` in the document's components."""
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def components(models: tuple[type[ApiModel], ...] = COMPONENTS) -> dict[str, Any]:
    """The JSON Schemas of `models` and of every model they contain, keyed by model name, as OpenAPI 3.1 wants
    them under components/schemas (requests as validated, responses as written)."""
    found: dict[str, Any] = {}
    template = "#/components/schemas/{model}"
    for kind in models:
        mode: Literal["validation", "serialization"] = "validation" if kind in _REQUESTS else "serialization"
        schema = kind.model_json_schema(ref_template=template, mode=mode)
        for name, definition in {**schema.pop("$defs", {}), kind.__name__: schema}.items():
            if mode == "serialization" and "properties" in definition:
                # A response writes every field, defaults included. `json_schema_serialization_defaults_required`
                # says so for the models, but pydantic does not apply it to the core's dataclasses inside them.
                definition["required"] = list(definition["properties"])
            if found.setdefault(name, definition) != definition:
                raise RuntimeError(f"two different schemas are named {name}")
    return found


_REQUESTS: frozenset[type[ApiModel]] = frozenset(
    {AssessmentCreate, TeamCreate, TeamResponseCreate, JobAdRead, ResultImport}
)


def respond(body: ApiModel, status: int = 200, location: str | None = None) -> Response:
    """`body` as the JSON response, checked against its own model on the way out."""
    response = jsonify(body.model_dump(mode="json", by_alias=True))
    response.status_code = status
    if location is not None:
        response.headers["Location"] = location
    return response


def read(model: type[M]) -> M:
    """The request's JSON body validated as `model`: 415, 413 and 400 as `json_body` answers them; 422 for the first
    thing wrong with it, naming the field."""
    return validated(model, json_body())


def validated(model: type[M], data: dict[str, Any], what: str = "the body") -> M:
    """`data` validated as `model`; ApiError 422 for the first thing wrong with it, naming the field and calling
    the document `what` ("the body", "the export")."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _api_error(model, exc, what) from None


def _api_error(model: type[ApiModel], exc: ValidationError, what: str) -> ApiError:
    """The API's refusal for pydantic's first error; an unknown field is reported before anything else, as a typo
    such as "answer" explains the rest."""
    errors = sorted(exc.errors(), key=lambda error: error["type"] != "extra_forbidden")
    error = errors[0]
    field = ".".join(str(part) for part in error["loc"]) or None
    kind = error["type"]
    if kind == "extra_forbidden":
        return ApiError(
            422, "unknown_field", f"Unknown field {field!r}; {what} may have: {', '.join(model.model_fields)}.", field
        )
    if kind == "missing":
        described = model.model_fields[str(error["loc"][0])].description
        return ApiError(
            422,
            "missing_field",
            f'{what[0].upper()}{what[1:]} needs "{field}"' + (f": {described}." if described else "."),
            field,
        )
    code = kind if kind in ("too_long", "invalid_type") else "invalid_type"
    return ApiError(422, code, f"{field}: {error['msg']}.", field)


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
        raise ApiError(422, "invalid_type", f"The body must be a JSON object, not {kind(data)}.")
    return data


def kind(value: object) -> str:
    """What a JSON value is, in words: "an object", "an array", "a string", ..."""
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )
