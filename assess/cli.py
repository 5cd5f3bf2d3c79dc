"""The `flask assess` command group: validate, show and score questionnaires offline; run the job worker."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from assess import interchange, jobs
from assess.core import AnswerError, CatalogError, load_catalog, questionnaire_to_dict, result_to_dict, score
from assess.core.catalog import QUESTIONNAIRES_DIR, each_file
from assess.core.rulebook import rules_markdown
from assess.jobads import MAX_AD_CHARS, SIGNALS_FILE, load_signals, read_ad, reading_to_dict
from assess.jobads.files import AdFileError, text_of_file
from assess.reports.context import build_report
from assess.reports.pdf import PdfError, render_pdf

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
    try:
        signals = load_signals(catalog)
    except CatalogError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"ok  {SIGNALS_FILE.relative_to(QUESTIONNAIRES_DIR.parent.parent)} ({len(signals.signals)} signals)")
    counts = ", ".join(f"{slug}: {len(q.questions)} questions" for slug, q in catalog.questionnaires.items())
    click.echo(f"{len(catalog.criteria)} criteria, {len(catalog.figures)} figures; {counts}")


@assess.command("rules")
def rules() -> None:
    """Print every rule with the article's point it encodes and its triggers, as Markdown (docs/rules.md)."""
    click.echo(rules_markdown(_catalog()), nl=False)


@assess.command("show")
@click.argument("slug")
def show(slug: str) -> None:
    """Print a questionnaire's definition as JSON, as the API serves it."""
    catalog = _catalog()
    if slug not in catalog.questionnaires:
        _fail(f"unknown questionnaire {slug!r} (one of: {', '.join(catalog.questionnaires)})")
    click.echo(json.dumps(questionnaire_to_dict(catalog.get(slug)), indent=2, ensure_ascii=False))


def read_answers(path: Path, slug: str | None = None) -> dict[str, Any]:
    """The answers from a plain answers file ({"answers": {...}}) or a JSON export (of `slug`, when given);
    exit 2 when unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(f"{path}: cannot be read ({exc.strerror})")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail(f"{path}: not valid JSON ({exc})")
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        _fail(f'{path}: expected a JSON object with "answers": {{"<question id>": "<option id>" | "unknown"}}')
    _check_export(path, data, slug)
    answers: dict[str, Any] = data["answers"]
    return answers


def _check_export(path: Path, data: dict[str, Any], slug: str | None) -> None:
    """A JSON export (assess.interchange) must be of a format this version reads, and of `slug`; a plain answers
    file (no "format") passes."""
    if "format" in data or "format_version" in data:
        try:
            interchange.check_format(data)
        except interchange.FormatError as exc:
            _fail(f"{path}: {exc.message}")
    made_for = data.get("questionnaire")
    if slug is not None and made_for is not None and made_for != slug:
        _fail(f"{path}: an export of questionnaire {made_for!r}, not {slug!r}")


@assess.command("score")
@click.argument("slug")
# No dir_okay=False: Click would print its multi-line usage; read_answers says "cannot be read" in one line.
@click.argument("answers_file", metavar="ANSWERS.json", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (the API's shape).")
@click.option(
    "--pdf",
    "pdf_out",
    metavar="OUT.pdf",
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    help="Also write the PDF report of this result to OUT.pdf.",
)
@click.option(
    "--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="The PDF's paper size."
)
def score_command(slug: str, answers_file: Path, as_json: bool, pdf_out: Path | None, paper: str) -> None:
    """Score an answers file offline."""
    catalog = _catalog()
    if slug not in catalog.questionnaires:
        _fail(f"unknown questionnaire {slug!r} (one of: {', '.join(catalog.questionnaires)})")
    questionnaire = catalog.get(slug)
    answers = read_answers(answers_file, slug)
    try:
        result = score(questionnaire, answers)
    except AnswerError as exc:
        _fail(f"{answers_file}: {exc.message}")
    if pdf_out is not None:
        _write_pdf(questionnaire, result, answers, pdf_out, paper)
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


def _write_pdf(questionnaire: Any, result: Any, answers: dict[str, Any], out: Path, paper: str) -> None:
    """Render the PDF report of an unsaved result (no label, no link) to `out`; exit 2 when it cannot."""
    known = {key: value for key, value in answers.items() if isinstance(value, str)}
    report = build_report(questionnaire, result_to_dict(result), known, "", {}, datetime.now(), "")
    try:
        data = render_pdf(report, paper)
    except PdfError as exc:
        _fail(f"{out}: the PDF could not be made ({exc})")
    try:
        out.write_bytes(data)
    except OSError as exc:
        _fail(f"{out}: cannot be written ({exc.strerror})")
    click.echo(f"PDF report written to {out}", err=True)


@assess.command("read-ad")
# No dir_okay=False: Click would print its multi-line usage; the reader says "cannot be read" in one line.
@click.argument("ad_file", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON (the API's shape).")
def read_ad_command(ad_file: Path, as_json: bool) -> None:
    """Read a job ad (.txt, .html, .pdf or .docx) for the article's warning signs, quoting each sentence."""
    signals = load_signals(_catalog())
    try:
        data = ad_file.read_bytes()
    except OSError as exc:
        _fail(f"{ad_file}: cannot be read ({exc.strerror})")
    try:
        text = text_of_file(ad_file.name, data)
    except AdFileError as exc:
        _fail(f"{ad_file}: {exc}")
    reading = read_ad(text, signals)
    if len(reading.text) > MAX_AD_CHARS:
        _fail(f"{ad_file}: the ad is longer than {MAX_AD_CHARS:,} characters")
    found = reading_to_dict(reading, signals)
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    titles = {c.id: c.title for c in _catalog().criteria}
    click.echo(f"{found['sentences']} sentences read; {len(found['findings'])} findings")
    for group in found["by_criterion"]:
        click.echo(f"\n{group['criterion']} {titles.get(group['criterion'], '')}")
        for item in group["findings"]:
            mark = "!" if item["tone"] == "warning" else "+"
            click.echo(f'  {mark} {item["title"]} (sentence {item["sentence"] + 1}): "{item["quote"]}"')
    for slug, answers in found["answers"].items():
        if answers:
            click.echo(f"\nSettled by the ad in {slug}:")
            for question, answer in answers.items():
                click.echo(f"  {question}: {answer['option']}")
    if found["questions"]:
        click.echo("\nQuestions to ask:")
        for question in found["questions"]:
            click.echo(f"  - {question['ask']}")


@assess.command("worker")
@click.option("--burst", is_flag=True, help="Quit once the queue is empty instead of waiting for more jobs.")
def worker(burst: bool) -> None:
    """Run a job worker: it makes the team PDFs and exports the app queues (needs REDIS_URL)."""
    _catalog()  # a worker that cannot load the questionnaires would fail every job: say why now
    try:
        jobs.work(current_app._get_current_object(), burst=burst)  # type: ignore[attr-defined]
    except jobs.QueueUnavailable as exc:
        _fail(str(exc))


def _catalog() -> Any:
    try:
        return load_catalog()
    except CatalogError as exc:
        _fail(str(exc).replace("\n", " "))


def init_app(app: Flask) -> None:
    """Attach the command group to the app."""
    app.cli.add_command(assess)
