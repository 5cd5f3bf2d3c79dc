"""Benchmark the PDF reports, all figures measured in one run and in one process.

    .venv/bin/python benchmarks/pdf_render.py              # the figures in docs/benchmarks.md
    .venv/bin/python benchmarks/pdf_render.py --quick      # fewer repeats and renders, for a smoke run

Prints:
- the trivial one-line document (`<p>Hello</p>`) rendered warm with the same FontConfiguration: the unit
  (all times are CPU time of this process, medians over interleaved rounds);
- each report type (one stored result per questionnaire, a realistic mix of answers) rendered end to end
  (Jinja, layout, page cap, tagged PDF), as a ratio to the trivial document: the main report (what
  `?appendix=0` downloads; target 50x or less) and the whole document with its appendix, with the page counts of
  each (main, appendix);
- the first report laid out with no print stylesheet (browser defaults), to show what the CSS costs;
- where the first report's time goes: parsing the HTML, layout, writing the PDF;
- a cached download (GET /r/<token>/report.pdf through the Flask test client, after the first one stored it),
  as the same ratio;
- resident memory (RSS) growth over N renders after a warm-up.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUGS = ("employer-readiness", "role-audit", "org-readiness")


def rss_mb() -> float:
    """This process's resident set size in MB (Linux)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def median_ms(action: Callable[[], Any], repeat: int) -> float:
    """The median CPU time of `repeat` calls, in milliseconds.

    CPU time of this process rather than wall time: a render is CPU-bound in one thread, and on a shared two-core
    machine wall time mostly measures whoever else is running (the ratios swung by a third between runs)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def realistic_answers(questionnaire: Any, seed: int) -> dict[str, str]:
    """A mixed answer set: mostly middling answers, some strong, some weak, about one in six "don't know"."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    answers = {}
    for question in questionnaire.questions:
        options = sorted(question.options, key=lambda option: option.points)
        roll = rng.random()
        if roll < 0.16:
            answers[question.id] = "unknown"
        else:
            answers[question.id] = options[min(len(options) - 1, int(rng.random() * len(options)))].id
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="timed renders per report type (median)")
    parser.add_argument("--renders", type=int, default=300, help="renders for the memory figure")
    parser.add_argument("--quick", action="store_true", help="3 repeats, 30 renders")
    args = parser.parse_args()
    if args.quick:
        args.repeat, args.renders = 3, 30

    from flask_migrate import upgrade
    from pypdf import PdfReader
    from weasyprint import HTML
    from weasyprint import __version__ as weasyprint_version

    from app import create_app
    from assess import store
    from assess.core import result_to_dict, score
    from assess.reports import pdf as pdf_report
    from assess.web.results import load_report

    workdir = Path(tempfile.mkdtemp(prefix="ev-bench-"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "benchmark-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "SERVER_NAME": "localhost",
            "RATELIMIT_ENABLED": False,  # the cached-download loop would otherwise meet the PDF rate limit
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        catalog = app.extensions["catalog"]
        reports, tokens, pages = {}, {}, {}
        for seed, slug in enumerate(SLUGS):
            questionnaire = catalog.get(slug)
            answers = realistic_answers(questionnaire, seed)
            result = result_to_dict(score(questionnaire, answers))
            assessment = store.create_assessment(
                slug, questionnaire.version, answers, result, label="Northwind Traders", notes={}
            )
            tokens[slug] = assessment.token
            reports[slug] = load_report(assessment)

        engine = pdf_report._get_engine(app.static_folder or "static")

        def trivial() -> bytes:
            document: bytes = HTML(string="<p>Hello</p>").write_pdf(font_config=engine.font_config)
            return document

        # Warm everything: imports, fonts, stylesheets, the image cache, Jinja's compiled templates.
        for _ in range(3):
            trivial()
        main_pages: dict[str, int] = {}
        for slug in SLUGS:
            pages[slug] = len(PdfReader(io.BytesIO(pdf_report.render_pdf(reports[slug], "a4"))).pages)
            main_pages[slug] = len(PdfReader(io.BytesIO(pdf_report.render_pdf(reports[slug], "a4", False))).pages)

        # Interleaved rounds: the unit and the reports see the same machine load.
        unit_times: list[float] = []
        report_times: dict[str, list[float]] = {slug: [] for slug in SLUGS}
        main_times: dict[str, list[float]] = {slug: [] for slug in SLUGS}
        for _ in range(args.repeat):
            unit_times.extend(median_ms(trivial, 1) for _ in range(5))
            for slug in SLUGS:
                main_times[slug].append(median_ms(partial(pdf_report.render_pdf, reports[slug], "a4", False), 1))
                report_times[slug].append(median_ms(partial(pdf_report.render_pdf, reports[slug], "a4"), 1))
        unit = statistics.median(unit_times)
        render_ms = {slug: statistics.median(times) for slug, times in report_times.items()}
        main_ms = {slug: statistics.median(times) for slug, times in main_times.items()}

        print(f"PDF report benchmark (WeasyPrint {weasyprint_version}, one process, medians of {args.repeat} rounds)")
        print(f"  trivial one-line document, warm: {unit:.1f} ms = 1x")
        for slug in SLUGS:
            appendix = pages[slug] - main_pages[slug]
            print(
                f"  {slug:<19} main report {main_pages[slug]} pages: {main_ms[slug]:7.1f} ms = "
                f"{main_ms[slug] / unit:5.1f}x (target 50x);  with the appendix ({appendix} more pages): "
                f"{render_ms[slug]:7.1f} ms = {render_ms[slug] / unit:5.1f}x"
            )

        # The same report laid out with no print stylesheet at all (browser defaults): how much of the time is the
        # print CSS, and how much the content itself.
        from weasyprint import CSS

        bare_sheets = [CSS(string="@page { size: A4; margin: 20mm }", font_config=engine.font_config)]
        report_html = pdf_report.render_html(reports[SLUGS[0]], "a4")

        def bare() -> int:
            document = HTML(
                string=report_html, base_url=pdf_report.BASE_URL, url_fetcher=engine.fetcher, media_type="print"
            ).render(font_config=engine.font_config, stylesheets=bare_sheets, pdf_variant=pdf_report.PDF_VARIANT)
            document.write_pdf(pdf_variant=pdf_report.PDF_VARIANT)
            return len(document.pages)

        bare_pages = bare()
        bare_ms = median_ms(bare, args.repeat)
        print(
            f"  {SLUGS[0]} with no print stylesheet (browser defaults): {bare_pages} pages, {bare_ms:.1f} ms ="
            f" {bare_ms / unit:.1f}x, against {render_ms[SLUGS[0]]:.1f} ms styled"
            f" (the print stylesheet's share: {1 - bare_ms / render_ms[SLUGS[0]]:.0%})"
        )

        # Where a render's time goes, for the first report: parsing the HTML, laying it out (styles, boxes, pages,
        # the contents' page numbers) and writing the PDF (drawing, tags, compression). The collector is paused as
        # in the app.
        phases: dict[str, list[float]] = {"parse": [], "layout": [], "write": []}
        for _ in range(args.repeat):
            with pdf_report._cyclic_gc_paused():
                start = time.process_time()
                document_html = HTML(
                    string=report_html, base_url=pdf_report.BASE_URL, url_fetcher=engine.fetcher, media_type="print"
                )
                parsed = time.process_time()
                document = document_html.render(
                    font_config=engine.font_config,
                    stylesheets=engine.stylesheets["a4"],
                    pdf_variant=pdf_report.PDF_VARIANT,
                )
                laid_out = time.process_time()
                document.write_pdf(pdf_variant=pdf_report.PDF_VARIANT)
                written = time.process_time()
                del document, document_html
            phases["parse"].append(parsed - start)
            phases["layout"].append(laid_out - parsed)
            phases["write"].append(written - laid_out)
        print(
            f"  where {SLUGS[0]}'s time goes: "
            + ", ".join(f"{name} {statistics.median(times) * 1000:.0f} ms" for name, times in phases.items())
        )

        client = app.test_client()
        url = f"/r/{tokens['employer-readiness']}/report.pdf?size=a4"
        first = client.get(url)
        assert first.status_code == 200, first.status_code
        assert first.data.startswith(b"%PDF")

        def cached() -> None:
            response = client.get(url)
            assert response.status_code == 200
            response.get_data()

        cached_ms = median_ms(cached, 50)
        print(
            f"  cached download (test client, {pages['employer-readiness']}-page PDF, {len(first.data) // 1024} KB): "
            f"{cached_ms:.2f} ms = {cached_ms / unit:.2f}x"
        )

        sizes = list(pdf_report.PAGE_SIZES)
        for index in range(30):  # warm-up: the allocator and every cache settle
            pdf_report.render_pdf(reports[SLUGS[index % 3]], sizes[index % 2])
        gc.collect()
        before = rss_mb()
        for index in range(args.renders):
            pdf_report.render_pdf(reports[SLUGS[index % 3]], sizes[(index // 3) % 2])
        gc.collect()
        after = rss_mb()
        print(
            f"  memory over {args.renders} renders (after 30 warm-up): {before:.1f} -> {after:.1f} MB RSS, "
            f"growth {after - before:+.1f} MB"
        )


if __name__ == "__main__":
    main()
