"""Measure the results pages and PDFs as a person meets them: words shown, page heights, PDF page counts.

    .venv/bin/python benchmarks/result_pages.py

For each questionnaire and four answer sets (all "Don't know", all strong, all weak, a mix), and for a team of
seven, the app is served on loopback from a thread (a private SQLite database) and Debian's Chromium loads each
results page at 375x812 and 1280x900. Prints the words shown by default (the rendered text of <main>: closed
"Show the detail" sections are not rendered, so they do not count; the issue's budget is 900), the page's full
height in pixels at each width, and each PDF's pages: the main report (`?appendix=0`; at most 4) and the appendix.
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("unknown", "strong", "weak", "mixed")
SLUGS = ("employer-readiness", "role-audit", "org-readiness")
SCREENS = ((375, 812), (1280, 900))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def answers_for(questionnaire: Any, kind: str, seed: int = 7) -> dict[str, str]:
    """One of the four answer sets; the mix is about one in six "don't know", the rest at random."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    answers = {}
    for question in questionnaire.questions:
        options = sorted(question.options, key=lambda option: option.points)
        if kind == "unknown":
            answers[question.id] = "unknown"
        elif kind == "strong":
            answers[question.id] = options[-1].id
        elif kind == "weak":
            answers[question.id] = options[0].id
        else:
            roll = rng.random()
            answers[question.id] = "unknown" if roll < 0.16 else options[int(rng.random() * len(options))].id
    return answers


def main() -> None:
    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader
    from werkzeug.serving import make_server

    from app import create_app
    from assess import store
    from assess.core import result_to_dict, score

    database = Path(tempfile.mkdtemp(prefix="ev-pages-")) / "pages.sqlite3"
    app = create_app(
        {
            "SECRET_KEY": "result-pages-benchmark-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "RATELIMIT_ENABLED": False,
        }
    )
    pages: dict[str, str] = {}
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        catalog = app.extensions["catalog"]
        for slug in SLUGS:
            questionnaire = catalog.get(slug)
            for kind in KINDS:
                answers = answers_for(questionnaire, kind)
                result = result_to_dict(score(questionnaire, answers))
                token = store.create_assessment(slug, questionnaire.version, answers, result, label="Northwind").token
                pages[f"{slug} {kind}"] = f"/r/{token}"
        org = catalog.get("org-readiness")
        team = store.create_team("Northwind hiring", org.slug, org.version)
        for index, department in enumerate(["marketing"] * 3 + ["it"] * 3 + ["pr"]):
            answers = answers_for(org, "mixed", 100 + index)
            store.add_team_response(team, department, answers, result_to_dict(score(org, answers)))
        pages["team of 7"] = f"/t/{team.admin_token}"

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    client = app.test_client()
    print(f"{'results page':<30} {'words':>6} {'375 px':>8} {'1280 px':>8}   PDF pages: main + appendix")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, path in pages.items():
            words, heights = 0, []
            for width, height in SCREENS:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(base + path)
                words = max(words, len(page.locator("main").inner_text().split()))
                heights.append(page.evaluate("document.documentElement.scrollHeight"))
                page.close()
            pdf = f"{path}/report.pdf?size=a4"
            whole = len(PdfReader(io.BytesIO(client.get(pdf).data)).pages)
            if path.startswith("/r/"):
                main_pages = len(PdfReader(io.BytesIO(client.get(pdf + "&appendix=0").data)).pages)
            else:  # a team's PDF always has its appendix: find where it starts
                reader = PdfReader(io.BytesIO(client.get(pdf).data))
                texts = [p.extract_text() or "" for p in reader.pages]
                main_pages = next((i for i, t in enumerate(texts) if "Appendix: the detail" in t), whole)
            print(f"{name:<30} {words:>6} {heights[0]:>8} {heights[1]:>8}   {main_pages} + {whole - main_pages}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
