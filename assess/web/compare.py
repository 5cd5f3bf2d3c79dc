"""Side by side: a candidate's view of an employer beside the organisation's own, when someone holds both links."""

from __future__ import annotations

import re

from flask import Blueprint, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from assess import store
from assess.core import result_from_dict
from assess.core.compare import contrast

from .forms import Form
from .limits import SUBMIT, limit
from .lookup import catalog
from .teams import team_summary

bp = Blueprint("compare", __name__)
TOKEN = re.compile(r"([A-Za-z0-9_-]{20,64})/?$")
CANDIDATE_SLUG = "employer-readiness"
ORGANISATION_SLUG = "org-readiness"


def token_of(link: str) -> str | None:
    """The token at the end of a private link (or a bare token)."""
    match = TOKEN.search(link.strip().split("?", 1)[0].split("#", 1)[0])
    return match.group(1) if match else None


class CompareForm(Form):
    """The two private links to set side by side."""

    candidate = StringField(
        "The candidate's result link (“Will this employer let you be a strategist?”)",
        validators=[DataRequired("Paste the candidate's result link."), Length(max=300)],
        render_kw={"autocomplete": "off", "maxlength": 300},
    )
    organisation = StringField(
        "The organisation's result link, or its team manager link",
        validators=[DataRequired("Paste the organisation's result or team manager link."), Length(max=300)],
        render_kw={"autocomplete": "off", "maxlength": 300},
    )

    def validate_candidate(self, field: StringField) -> None:
        """The link must end in a token."""
        if token_of(field.data or "") is None:
            raise ValidationError("This does not look like an Escape Velocity result link.")

    def validate_organisation(self, field: StringField) -> None:
        """The link must end in a token."""
        if token_of(field.data or "") is None:
            raise ValidationError("This does not look like an Escape Velocity result or team link.")


@bp.route("/compare", methods=["GET", "POST"])
@limit(SUBMIT, ["POST"])
def start() -> ResponseReturnValue:
    """Ask for both links."""
    form = CompareForm()
    if form.validate_on_submit():
        first, second = token_of(form.candidate.data), token_of(form.organisation.data)
        return redirect(url_for("compare.show", first=first, second=second))
    status = 422 if form.errors else 200
    return render_template("compare/start.html", form=form, private_page=True), status


@bp.get("/compare/<first>/<second>")
def show(first: str, second: str) -> ResponseReturnValue:
    """The two views of one employer, dimension by dimension, with the questions that would close each gap."""
    sides = [_side(first), _side(second)]
    candidates = [s for s in sides if s[0] == "candidate"]
    organisations = [s for s in sides if s[0] == "organisation"]
    if len(candidates) != 1 or len(organisations) != 1:
        abort(
            422,
            description="A comparison needs one candidate's result (“Will this employer let you be a strategist?”) "
            "and one organisation's result or team manager link.",
        )
    candidate_assessment = candidates[0][1]
    if not isinstance(candidate_assessment, store.Assessment):  # pragma: no cover - _side says so only of results
        abort(422)
    candidate_questionnaire = catalog().get(CANDIDATE_SLUG)
    organisation_questionnaire = catalog().get(ORGANISATION_SLUG)
    org = organisations[0][1]
    if isinstance(org, store.Team):
        summary = team_summary(org)
        if not summary.shown:
            abort(409, description="The team has fewer than three responses, so it has no view to compare yet.")
        scores = {s.id: s.median for s in summary.dimensions}
        ranges = {s.id: (s.low, s.high) for s in summary.dimensions if s.low is not None and s.high is not None}
        org_title = f"{org.name} (team of {summary.n})"
    else:
        org_result = result_from_dict(org.result)
        scores = {d.id: d.score for d in org_result.dimensions}
        ranges = {}
        org_title = org.label or "The organisation's own view"
    candidate = result_from_dict(candidate_assessment.result)
    gaps = contrast(candidate_questionnaire, candidate, organisation_questionnaire, scores, ranges=ranges)
    return render_template(
        "compare/show.html",
        gaps=gaps,
        candidate_title=candidate_assessment.label or "The candidate's view",
        organisation_title=org_title,
        private_page=True,
    )


def _side(token: str) -> tuple[str, store.Assessment | store.Team]:
    assessment = store.get_assessment(token)
    if assessment is not None:
        if assessment.slug == CANDIDATE_SLUG:
            return "candidate", assessment
        if assessment.slug == ORGANISATION_SLUG:
            return "organisation", assessment
        abort(422, description="A role audit cannot be compared with an organisation; use a candidate's result.")
    team = store.get_team_by_admin(token)
    if team is not None:
        return "organisation", team
    abort(404, description="One of the links matches no result or team. It may have been deleted, or mistyped.")
