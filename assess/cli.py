"""The `flask assess` command group: validate, show and score questionnaires offline."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Flask
from flask.cli import AppGroup

from assess.core import AnswerError, CatalogError, load_catalog, questionnaire_to_dict, result_to_dict, score
from assess.core.catalog import QUESTIONNAIRES_DIR, each_file

assess = AppGroup("assess", help="Validate, show and score the questionnaires.")


def _fail(message: str) -> NoReturn:
    """One line on stderr, exit code 2: the contract for scripts."""
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@assess.command("validate")
def validate() -> None:
    """Check every questionnaire file; list each problem with its file and place."""
    try:
        catalog = load_catalog()
    except CatalogError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for path in each_file():
        click.echo(f"ok  {path.relative_to(QUESTIONNAIRES_DIR.parent.parent)}")
    counts = ", ".join(f"{slug}: {len(q.questions)} questions" for slug, q in catalog.questionnaires.items())
    click.echo(f"{len(catalog.criteria)} criteria, {len(catalog.figures)} figures; {counts}")


@assess.command("show")
@click.argument("slug")
def show(slug: str) -> None:
    """Print a questionnaire's definition as JSON, as the API serves it."""
    catalog = _catalog()
    if slug not in catalog.questionnaires:
        _fail(f"unknown questionnaire {slug!r} (one of: {', '.join(catalog.questionnaires)})")
    click.echo(json.dumps(questionnaire_to_dict(catalog.get(slug)), indent=2, ensure_ascii=False))


def read_answers(path: Path) -> dict[str, Any]:
    """The answers from a plain answers file ({"answers": {...}}) or a JSON export; exit 2 when unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(f"{path}: cannot be read ({exc.strerror})")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail(f"{path}: not valid JSON ({exc})")
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        _fail(f'{path}: expected a JSON object with "answers": {{"<question id>": "<option id>" | "unknown"}}')
    answers: dict[str, Any] = data["answers"]
    return answers


@assess.command("score")
@click.argument("slug")
@click.argument("answers_file", metavar="ANSWERS.json", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (the API's shape).")
def score_command(slug: str, answers_file: Path, as_json: bool) -> None:
    """Score an answers file offline."""
    catalog = _catalog()
    if slug not in catalog.questionnaires:
        _fail(f"unknown questionnaire {slug!r} (one of: {', '.join(catalog.questionnaires)})")
    questionnaire = catalog.get(slug)
    try:
        result = score(questionnaire, read_answers(answers_file))
    except AnswerError as exc:
        _fail(f"{answers_file}: {exc.message}")
    if as_json:
        click.echo(json.dumps(result_to_dict(result), indent=2, ensure_ascii=False))
        return
    overall = result.overall
    shown = "no score (nothing answered)" if overall.score is None else f"{overall.score:.0f}/100, {overall.band_label}"
    click.echo(f"{questionnaire.title}\nOverall: {shown}; based on {overall.answered} of {overall.total} answers")
    for dim in result.dimensions:
        click.echo(f"  {dim.title}: {'unknown' if dim.score is None else f'{dim.score:.0f}'}")
    if result.verdict:
        click.echo(f"Verdict: {result.verdict.title}")
    for flag in result.flags:
        click.echo(f"[{flag.severity}] {flag.title}")


def _catalog() -> Any:
    try:
        return load_catalog()
    except CatalogError as exc:
        _fail(str(exc).replace("\n", " "))


def init_app(app: Flask) -> None:
    """Attach the command group to the app."""
    app.cli.add_command(assess)
