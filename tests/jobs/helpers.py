"""Helpers for the job queue tests: a team with answers straight into the store, a look at a stored job, and
`flask assess worker` in a subprocess, as production runs it. Shared with the browser test of the progress page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from assess import jobs, store
from assess.core import result_to_dict, score

ROOT = Path(__file__).resolve().parent.parent.parent
JOB_URL = re.compile(r"/t/(?P<admin>[A-Za-z0-9_-]+)/jobs/(?P<job>[A-Za-z0-9_-]+)$")


def make_team(app: Flask, name: str = "Globex social lead", answers: int = 6) -> tuple[str, int]:
    """A team with `answers` responses (half marketing at the best answers, half IT at the worst), straight into
    the store; returns its admin token and internal id."""
    with app.app_context():
        questionnaire = app.extensions["catalog"].get("org-readiness")
        team = store.create_team(name, questionnaire.slug, questionnaire.version)
        for i in range(answers):
            pick = max if i % 2 == 0 else min
            chosen = {q.id: pick(q.options, key=lambda o: o.points).id for q in questionnaire.questions}
            result = result_to_dict(score(questionnaire, chosen))
            store.add_team_response(team, "marketing" if i % 2 == 0 else "it", chosen, result)
        return team.admin_token, team.id


def job_path(location: str) -> tuple[str, str]:
    """The (admin token, job token) of a progress page URL."""
    match = JOB_URL.search(location)
    assert match, location
    return match["admin"], match["job"]


def stored_job(app: Flask, token: str) -> jobs.TeamJob | None:
    """The job record as the database has it now (output not loaded)."""
    with app.app_context():
        job = store.db.session.scalar(select(jobs.TeamJob).where(jobs.TeamJob.token == token))
        if job is not None:
            store.db.session.expunge(job)
        return job


def worker_environment(app: Flask, **config: object) -> dict[str, str]:
    """The environment of a worker process serving `app`'s database and queue; `config` as FLASK_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_") and k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=app.config["REDIS_URL"],
        FLASK_TESTING="true",  # JOB_TEST_DELAY works only in a testing app
        PYTHONPATH=str(ROOT),
    )
    env.update({f"FLASK_{key}": str(value) for key, value in config.items()})
    return env


def flask_worker(app: Flask, *args: str, **config: object) -> subprocess.Popen[str]:
    """`flask --app app assess worker` in a subprocess on `app`'s database and queue."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "assess", "worker", *args],
        cwd=ROOT,
        env=worker_environment(app, **config),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def burst(app: Flask, **config: object) -> str:
    """Run `flask assess worker --burst` until the queue is empty; returns its log."""
    process = flask_worker(app, "--burst", **config)
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0, out
    return out


def wait_for(condition: Callable[[], bool], timeout: float = 30.0, message: str = "condition") -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {message}")
