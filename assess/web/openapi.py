"""The OpenAPI 3.1 document of /api/v1: the one description of every operation, body, result and error.

Served as JSON at /api/v1/openapi.json and rendered for people at /api/v1/docs (`DocsView`). Its schemas are the
JSON Schemas of the models in `schemas`, which validate the requests and build the responses; a stored result's
come from the core's dataclasses inside them, so they cannot drift from the engine. Only each questionnaire's own
bodies are written here, from its questions and options. The tests validate live responses against the
document, and schemathesis fuzzes the running app with it.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from assess.core import UNKNOWN, Questionnaire
from assess.core.aggregate import MIN_GROUP
from assess.interchange import CSV_COLUMNS

from . import schemas
from .lookup import catalog
from .schemas import TOKEN_PATTERN

API_VERSION = "1.0.0"
ERROR_CODES = {
    "malformed_json": "400: the body is not JSON (or not UTF-8, or nested too deeply)",
    "not_found": "404: no such path",
    "unknown_questionnaire": "404: no questionnaire with this slug (422 when named inside an import)",
    "unknown_assessment": "404: no result with this token (never existed, or deleted)",
    "method_not_allowed": "405: the path exists, the method does not (see the Allow header)",
    "request_entity_too_large": "413: the body is over the size limit",
    "unsupported_media_type": "415: the body was not sent as application/json",
    "missing_field": '422: a required field is absent (field names it, e.g. "answers")',
    "unknown_field": "422: the body has a field this operation does not take",
    "invalid_type": "422: a field has the wrong type or form",
    "too_long": "422: a label or note is over its length limit (in characters, or for a note in lines)",
    "unknown_question": '422: an answer names a question the questionnaire does not have (field "answers.<id>")',
    "unknown_option": '422: an answer names an option its question does not have (field "answers.<id>")',
    "invalid_answer": "422: an answer is not text",
    "unknown_section": '422: a note names a section the questionnaire does not have (field "notes.<id>")',
    "not_an_export": "422: an import is not an Escape Velocity result export",
    "newer_format": "422: an import was written by a newer version of Escape Velocity",
    "incompatible_version": "422: an import from another questionnaire version no longer fits the current one",
    "unknown_team": "404: no team has this admin (or, for responses, respondent) token",
    "team_closed": "409: the team is closed to new responses",
    "pdf_unavailable": "503: the PDF could not be made just now (see Retry-After)",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# ---------------------------------------------------------------------------------------------------------
# The document


def schema_prefix(slug: str) -> str:
    """The component-name prefix of a questionnaire: role-audit -> RoleAudit."""
    return "".join(part.title() for part in slug.split("-"))


def _questionnaire_schemas(q: Questionnaire, note_max: int, request_schemas: dict[str, Any]) -> dict[str, Any]:
    """The exact answers, notes, create and import bodies of one questionnaire: every question with its options."""
    prefix = schema_prefix(q.slug)
    answers = {
        "type": "object",
        "description": (
            f'{q.title}: question id -> option id, or "{UNKNOWN}". Questions left out count as "{UNKNOWN}" (they '
            "lower confidence, never the score), so an empty object is a valid, if uninformative, answer set."
        ),
        "properties": {
            x.id: {"type": "string", "enum": [o.id for o in x.options] + [UNKNOWN], "description": x.text}
            for x in q.questions
        },
        "additionalProperties": False,
    }
    notes = {
        "type": "object",
        "description": f"Section id -> a note of at most {note_max} characters, shown on the result. Blank notes "
        "are dropped.",
        "properties": {s.id: {"type": "string", "maxLength": note_max, "description": s.title} for s in q.sections},
        "additionalProperties": False,
    }
    create = copy.deepcopy(request_schemas["AssessmentCreate"])
    create["title"] = f"{prefix}Create"  # its own name: client generators name their classes by title
    create["description"] = f"Answers to {q.slug}, with an optional label and section notes."
    create["properties"]["answers"] = _ref(f"{prefix}Answers")
    create["properties"]["notes"] = _ref(f"{prefix}Notes")
    imported = copy.deepcopy(request_schemas["ResultImport"])
    imported["title"] = f"{prefix}Import"
    imported["description"] = (
        f"A JSON export of a {q.slug} result, as GET .../export.json writes it. `result`, `label`, `notes` and "
        "the times may be left out."
    )
    imported["properties"]["questionnaire"] = {"const": q.slug, "description": "Which questionnaire it answers."}
    imported["properties"]["version"]["description"] += f" This site has {q.version}."
    imported["properties"]["answers"] = _ref(f"{prefix}Answers")
    imported["properties"]["notes"] = _ref(f"{prefix}Notes")
    return {
        f"{prefix}Answers": answers,
        f"{prefix}Notes": notes,
        f"{prefix}Create": create,
        f"{prefix}Import": imported,
    }


def _schemas(questionnaires: list[Questionnaire], note_max: int) -> dict[str, Any]:
    """The document's components/schemas: the models of `schemas` (and the core dataclasses inside them), and each
    questionnaire's own answers, notes, create and import bodies."""
    slugs = [q.slug for q in questionnaires]
    components = schemas.components()
    requests = schemas.components((schemas.AssessmentCreate, schemas.ResultImport))
    for q in questionnaires:
        components.update(_questionnaire_schemas(q, note_max, requests))
    components["ImportRequest"] = {
        "description": "A JSON export, as GET .../export.json writes it; `questionnaire` says which schema applies.",
        "oneOf": [_ref(f"{schema_prefix(slug)}Import") for slug in slugs],
        "discriminator": {
            "propertyName": "questionnaire",
            "mapping": {slug: f"#/components/schemas/{schema_prefix(slug)}Import" for slug in slugs},
        },
    }
    # A team response's answers are org-readiness's, listed exactly like an assessment's
    components["TeamResponseCreate"]["properties"]["answers"] = _ref(f"{schema_prefix('org-readiness')}Answers")
    return components


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _json(description: str, schema: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}
    if headers:
        response["headers"] = headers
    return response


def _create_path(q: Questionnaire) -> str:
    return f"/api/v1/questionnaires/{q.slug}/assessments"


def _create_operation(q: Questionnaire, location: dict[str, Any], body_errors: dict[str, Any]) -> dict[str, Any]:
    """POST answers to one questionnaire. One path a questionnaire, so that the body schema can list exactly its
    questions and options (a templated path could not tie the body to the slug)."""
    prefix = schema_prefix(q.slug)
    links = {
        name: {"operationId": operation, "parameters": {"token": "$response.body#/token"}}  # nosec B105  # an OpenAPI runtime expression
        for name, operation in (
            ("GetAssessment", "getAssessment"),
            ("DeleteAssessment", "deleteAssessment"),
            ("ExportAssessment", "exportAssessmentJson"),
        )
    }
    return {
        "post": {
            "operationId": f"create{prefix}Assessment",
            "tags": ["assessments"],
            "summary": f"Score answers to {q.slug} and store the result",
            "description": f'{q.title}. Questions left out count as "unknown". Unknown questions or options, '
            "wrong types and unknown fields are refused with 422 naming the field.",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": _ref(f"{prefix}Create"),
                        "example": {"answers": {}, "label": "Acme"},
                    }
                },
            },
            "responses": {
                "201": _json("Scored and stored.", "Assessment", location) | {"links": links},
                **body_errors,
            },
        }
    }


def document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document of /api/v1, for this app's questionnaires and limits."""
    config = current_app.config
    questionnaires = list(catalog().questionnaires.values())
    slugs = [q.slug for q in questionnaires]
    limit_kb = int(config["MAX_CONTENT_LENGTH"]) // 1024
    slug = {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": "The questionnaire's slug.",
        "schema": {"type": "string", "enum": slugs},
    }
    token = {
        "name": "token",
        "in": "path",
        "required": True,
        "description": "The result's token, as returned when it was created.",
        "schema": {"type": "string", "pattern": TOKEN_PATTERN},
    }
    not_found = {"$ref": "#/components/responses/NotFound"}
    body_errors = {
        "400": {"$ref": "#/components/responses/MalformedJson"},
        "413": {"$ref": "#/components/responses/TooLarge"},
        "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
        "422": {"$ref": "#/components/responses/Unprocessable"},
    }
    location = {
        "Location": {"description": "The new result in the API.", "schema": {"type": "string", "format": "uri"}}
    }
    attachment = {"Content-Disposition": {"description": "attachment; filename=...", "schema": {"type": "string"}}}
    codes = "\n".join(f"- `{code}`: {meaning}" for code, meaning in ERROR_CODES.items())
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Escape Velocity API",
            "version": API_VERSION,
            "summary": "Score questionnaires about corporate social media strategist roles, and read the results.",
            "description": (
                "JSON in, JSON out. No account, no cookie and no CSRF token: a result's token (256 random bits) is "
                "the only key to it, so keep it private. Send bodies as `application/json`, at most "
                f"{limit_kb} KB.\n\n"
                f'Answers are `{{"<question id>": "<option id>" | "{UNKNOWN}"}}`; questions left out count as '
                f'"{UNKNOWN}", which lowers confidence and never the score.\n\n'
                "Imports re-score an export's answers with the current questionnaire. When the export was scored "
                "with the version this site has, the result is the same. When it names another version, the "
                "answers are re-scored with the current one if they still fit it (the response says so, and "
                "whether the result changed); if they no longer fit, the import is refused with 422 "
                "`incompatible_version`, naming both versions and the answer at fault. An export from a newer "
                "`format_version` is refused with 422 `newer_format`.\n\n"
                'Every error is `{"error": {"code", "message", "field"}}` with a 4xx status:\n\n' + codes
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "questionnaires", "description": "What can be answered."},
            {"name": "assessments", "description": "Scored, stored results, reached by token."},
            {"name": "exports", "description": "Portable copies of a result, and their import."},
            {"name": "teams", "description": "Several anonymous raters for one organisation, and their aggregate."},
            {"name": "job-ads", "description": "A job ad read for the source article's warning signs."},
            {"name": "meta", "description": "This description."},
        ],
        "paths": {
            "/api/v1/questionnaires": {
                "get": {
                    "operationId": "listQuestionnaires",
                    "tags": ["questionnaires"],
                    "summary": "List the questionnaires",
                    "responses": {"200": _json("Every questionnaire, briefly.", "QuestionnaireList")},
                }
            },
            "/api/v1/questionnaires/{slug}": {
                "parameters": [slug],
                "get": {
                    "operationId": "getQuestionnaire",
                    "tags": ["questionnaires"],
                    "summary": "A questionnaire's full definition",
                    "description": "Dimensions, sections, questions with their criterion ids, options with ids and "
                    "points: everything needed to build a form and send answers back.",
                    "responses": {"200": _json("The definition.", "Questionnaire"), "404": not_found},
                },
            },
            **{_create_path(q): _create_operation(q, location, body_errors) for q in questionnaires},
            "/api/v1/assessments/{token}": {
                "parameters": [token],
                "get": {
                    "operationId": "getAssessment",
                    "tags": ["assessments"],
                    "summary": "A stored result",
                    "responses": {"200": _json("The result.", "Assessment"), "404": not_found},
                },
                "delete": {
                    "operationId": "deleteAssessment",
                    "tags": ["assessments"],
                    "summary": "Delete a result for good",
                    "description": "Also deletes the wizard draft it came from. The token then answers 404.",
                    "responses": {"204": {"description": "Deleted."}, "404": not_found},
                },
            },
            "/api/v1/assessments/{token}/report.pdf": {
                "parameters": [token],
                "get": {
                    "operationId": "getAssessmentPdf",
                    "tags": ["assessments"],
                    "summary": "The printable report",
                    "description": "The same PDF as the result page's download; kept after the first render.",
                    "parameters": [
                        {
                            "name": "size",
                            "in": "query",
                            "required": False,
                            "description": "The paper: A4 (the default) or US Letter.",
                            "schema": {"type": "string", "enum": ["a4", "letter"], "default": "a4"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The report as PDF.",
                            "content": {
                                "application/pdf": {"schema": {"type": "string", "contentMediaType": "application/pdf"}}
                            },
                        },
                        "404": not_found,
                        "422": {"$ref": "#/components/responses/Unprocessable"},
                        "503": _error("The PDF could not be made just now; retry after the Retry-After seconds.")
                        | {"headers": {"Retry-After": {"schema": {"type": "string"}}}},
                    },
                },
            },
            "/api/v1/assessments/{token}/export.json": {
                "parameters": [token],
                "get": {
                    "operationId": "exportAssessmentJson",
                    "tags": ["exports"],
                    "summary": "Export a result as JSON",
                    "description": "A portable copy (without the token) that POST /api/v1/imports, the import page "
                    "and `flask assess score` read back.",
                    "responses": {"200": _json("The export.", "Export", attachment), "404": not_found},
                },
            },
            "/api/v1/assessments/{token}/export.csv": {
                "parameters": [token],
                "get": {
                    "operationId": "exportAssessmentCsv",
                    "tags": ["exports"],
                    "summary": "Export a result's answers as CSV",
                    "description": "A header line, then one row a question: " + ", ".join(CSV_COLUMNS) + ". "
                    '`points` is empty for "Don\'t know".',
                    "responses": {
                        "200": {
                            "description": "The CSV file.",
                            "headers": attachment,
                            "content": {"text/csv": {"schema": {"type": "string"}}},
                        },
                        "404": not_found,
                    },
                },
            },
            "/api/v1/imports": {
                "post": {
                    "operationId": "importAssessment",
                    "tags": ["exports"],
                    "summary": "Import a JSON export as a new result",
                    "description": "Re-scores the export's answers with the current questionnaire and stores a "
                    "new result (the original token is never reused). See the API description for versions.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("ImportRequest")}},
                    },
                    "responses": {
                        "201": _json("Imported and stored.", "ImportedAssessment", location),
                        **body_errors,
                    },
                }
            },
            "/api/v1/job-ads": {
                "post": {
                    "operationId": "readJobAd",
                    "tags": ["job-ads"],
                    "summary": "Read a job ad for the article's warning signs",
                    "description": "Send the ad's text (plain, or HTML whose tags are dropped). The answer lists "
                    "each finding with the sentence it comes from (number, place in the normalised text and the "
                    "sentence itself), grouped by criterion; the matches set aside and why; the answers the ad "
                    "settles, per questionnaire; and the interview questions it raises. Nothing is stored, and the "
                    "ad's whole text is not sent back.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": schemas.ref(schemas.JobAdRead)}},
                    },
                    "responses": {"200": _json("What the reader found.", "JobAdReading"), **body_errors},
                }
            },
            "/api/v1/teams": {
                "post": {
                    "operationId": "createTeam",
                    "tags": ["teams"],
                    "summary": "Open a team: several colleagues rate one organisation",
                    "description": "Answers with two tokens: `admin_token` reads the aggregate (keep it private), "
                    "`respondent_token` is for colleagues to answer with. Respondents are anonymous.",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("TeamCreate")}}},
                    "responses": {"201": _json("Created.", "TeamCreated", location), **body_errors},
                }
            },
            "/api/v1/teams/{admin_token}": {
                "parameters": [
                    token | {"name": "admin_token", "description": "The team's admin token (not the respondent one)."}
                ],
                "get": {
                    "operationId": "getTeam",
                    "tags": ["teams"],
                    "summary": "The team's aggregate",
                    "description": f"Per dimension n, median, min, max and spread, and by department where a "
                    f"department has at least {MIN_GROUP} respondents (smaller ones are merged into other). "
                    f"Statistics are null until {MIN_GROUP} people have answered. Never one respondent's answers.",
                    "responses": {"200": _json("The aggregate.", "Team"), "404": not_found},
                },
            },
            "/api/v1/teams/{respondent_token}/responses": {
                "parameters": [
                    token | {"name": "respondent_token", "description": "The team's respondent token, as shared."}
                ],
                "post": {
                    "operationId": "respondToTeam",
                    "tags": ["teams"],
                    "summary": "Add one anonymous response",
                    "description": 'Questions left out count as "unknown". 409 `team_closed` once the team is closed.',
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("TeamResponseCreate")}},
                    },
                    "responses": {
                        "201": _json("Recorded.", "TeamResponseRecorded"),
                        "404": not_found,
                        "409": _error("The team is closed to new responses."),
                        **body_errors,
                    },
                },
            },
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "tags": ["meta"],
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/api/v1/docs": {
                "get": {
                    "operationId": "getDocs",
                    "tags": ["meta"],
                    "summary": "This document, for people",
                    "responses": {
                        "200": {
                            "description": "An HTML page.",
                            "content": {"text/html": {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": _schemas(questionnaires, int(config["NOTE_MAX"])),
            "responses": {
                "NotFound": _error("No such questionnaire or result (or path)."),
                "MalformedJson": _error("The body is not valid JSON."),
                "TooLarge": _error(f"The body is over {limit_kb} KB."),
                "UnsupportedMediaType": _error("The body was not sent as application/json."),
                "Unprocessable": _error("The JSON is well formed but wrong: `field` names what to fix."),
            },
        },
    }


# ---------------------------------------------------------------------------------------------------------
# The page for people


@dataclass(frozen=True)
class Row:
    """One property of a schema, in words."""

    name: str
    type: str
    ref: str | None
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    """One method on one path, in words."""

    method: str
    path: str
    id: str
    summary: str
    description: str
    parameters: list[Row]
    request: str | None
    responses: list[tuple[str, str, str, str | None]]
    """(status, description, media type, schema name)"""


class DocsView:
    """The document arranged for the docs template: operations in order, then every schema as a table."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.schemas: dict[str, Any] = doc["components"]["schemas"]
        self.responses: dict[str, Any] = doc["components"]["responses"]

    @staticmethod
    def _name(ref: str) -> str:
        return ref.rsplit("/", 1)[-1]

    def type_of(self, schema: dict[str, Any]) -> tuple[str, str | None]:
        """A schema in a few words, and the component it refers to (for a link)."""
        if "$ref" in schema:
            name = self._name(schema["$ref"])
            return name, name
        if "anyOf" in schema:
            parts = [self.type_of(s) for s in schema["anyOf"]]
            return " or ".join(p[0] for p in parts), next((p[1] for p in parts if p[1]), None)
        if "const" in schema:
            return f"always {schema['const']!r}", None
        if "enum" in schema:
            return "one of " + ", ".join(map(str, schema["enum"])), None
        kind = schema.get("type", "any")
        kind = " or ".join(kind) if isinstance(kind, list) else kind
        if kind == "array":
            inner, ref = self.type_of(schema.get("items", {}))
            return f"array of {inner}", ref
        if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
            inner, ref = self.type_of(schema["additionalProperties"])
            return f"object of {inner}", ref
        limits = [f"{k} {schema[k]}" for k in ("maxLength", "format", "pattern") if k in schema]
        return kind + (f" ({', '.join(limits)})" if limits else ""), None

    def rows(self, name: str) -> list[Row]:
        """The properties of one component schema."""
        schema = self.schemas[name]
        required = set(schema.get("required", []))
        found = []
        for prop, sub in schema.get("properties", {}).items():
            text, ref = self.type_of(sub)
            found.append(Row(prop, text, ref, prop in required, sub.get("description", "")))
        return found

    @staticmethod
    def inline(text: str) -> Markup:
        """Text with `code` spans, escaped."""
        return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))  # noqa: S704  # nosec B704  # escaped first

    def blocks(self, text: str) -> list[tuple[str, list[Markup]]]:
        """Markdown-ish text as paragraphs ("p", [text]) and bullet lists ("ul", [items])."""
        found: list[tuple[str, list[Markup]]] = []
        for block in text.split("\n\n"):
            lines = block.splitlines()
            if lines and all(line.startswith("- ") for line in lines):
                found.append(("ul", [self.inline(line[2:]) for line in lines]))
            elif block.strip():
                found.append(("p", [self.inline(block)]))
        return found

    def operations(self) -> list[Operation]:
        """Every operation, in document order."""
        found = []
        for path, item in self.doc["paths"].items():
            shared = item.get("parameters", [])
            for method, op in item.items():
                if method == "parameters":
                    continue
                parameters = [
                    Row(p["name"], self.type_of(p["schema"])[0], None, p.get("required", False), p["description"])
                    for p in shared + op.get("parameters", [])
                ]
                request = None
                if "requestBody" in op:
                    request = self._name(op["requestBody"]["content"]["application/json"]["schema"]["$ref"])
                responses = []
                for status, response in op["responses"].items():
                    if "$ref" in response:
                        response = self.responses[self._name(response["$ref"])]
                    content: dict[str, Any] = response.get("content", {})
                    media = next(iter(content), "")
                    schema: dict[str, Any] = content[media].get("schema", {}) if media else {}
                    ref = self._name(schema["$ref"]) if "$ref" in schema else None
                    responses.append((status, response["description"], media, ref))
                found.append(
                    Operation(
                        method.upper(),
                        path,
                        op["operationId"],
                        op["summary"],
                        op.get("description", ""),
                        parameters,
                        request,
                        responses,
                    )
                )
        return found
