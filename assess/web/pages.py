"""The landing page and the page that explains how scoring works."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template

from . import catalog

bp = Blueprint("pages", __name__)


@dataclass(frozen=True)
class Path:
    """One of the three ways in, in plain words."""

    slug: str
    who: str
    produces: str
    minutes: int
    action: str


PATHS = (
    Path(
        "employer-readiness",
        "I'm interviewing for a social media role",
        "the employer's readiness with red flags, the questions to ask in your interview, and a check of your pitch",
        12,
        "check an employer",
    ),
    Path(
        "role-audit",
        "I'm a social media strategist now",
        "which career path your role is on, your exposure to the six challenges, and an action plan",
        12,
        "audit my role",
    ),
    Path(
        "org-readiness",
        "I'm hiring a social media strategist",
        "your organisation's readiness, what candidates will probe, and what to fix before you hire",
        12,
        "test my organisation",
    ),
)


@bp.get("/")
def landing() -> str:
    """The three paths, what each produces, and how privacy works."""
    return render_template("landing.html", questionnaires=catalog().questionnaires, paths=PATHS)


@bp.get("/healthz")
def health() -> tuple[str, int, dict[str, str]]:
    """A bare liveness check for load balancers (and the load benchmark's reference route)."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.get("/how-scoring-works")
def method() -> str:
    """How scores, confidence, flags and bands are computed, with every criterion and source."""
    cat = catalog()
    return render_template("method.html", criteria=cat.criteria, figures=cat.figures, questionnaires=cat.questionnaires)
