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
        "The organisation's result link, or its team's manager link",
        validators=[DataRequired("Paste the organisation's result link or its team's manager link."), Length(max=300)],
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


CANDIDATE_WRONG = (
    "This is not a candidate's result. Paste the link of a result of “Will this employer let you be a strategist?”."
)
ORGANISATION_WRONG = (
    "This is not the organisation's view. Paste the link of a result of “Is your organisation ready to hire a social "
    "media strategist?”, or a team's manager link."
)
RESPONDENT_LINK = (
    "This is the link colleagues answer with: it does not open the team's figures. Paste the team's manager link "
    "(the comparison's address will carry neither)."
)
NOT_FOUND = "No result or team matches this link. It may have been deleted, or mistyped."


@bp.route("/compare", methods=["GET", "POST"])
@limit(SUBMIT, ["POST"])
def start() -> ResponseReturnValue:
    """Ask for both links; a link of the wrong kind is named beside its field, with everything pasted kept."""
    form = CompareForm()
    if form.validate_on_submit():
        first, second = token_of(form.candidate.data), token_of(form.organisation.data)
        if first and second and _check(form, first, second):
            return redirect(url_for("compare.show", first=first, second=_address_token(second)))
    return _form_page(form)


def _form_page(form: CompareForm) -> ResponseReturnValue:
    status = 422 if any(field.errors for field in (form.candidate, form.organisation)) else 200
    return render_template("compare/start.html", form=form, private_page=True), status


def _check(form: CompareForm, first: str, second: str) -> bool:
    """Put a message on each field whose link is missing or of the wrong kind; True when both are right."""
    candidate, organisation = _side(first), _side(second)
    if candidate is None:
        form.candidate.errors = [NOT_FOUND]
    elif candidate[0] != "candidate":
        form.candidate.errors = [CANDIDATE_WRONG]
    if organisation is None:
        form.organisation.errors = [NOT_FOUND]
    elif organisation[0] == "respondent":
        form.organisation.errors = [RESPONDENT_LINK]
    elif organisation[0] != "organisation":
        form.organisation.errors = [ORGANISATION_WRONG]
    return not form.candidate.errors and not form.organisation.errors


def _address_token(token: str) -> str:
    """The token a comparison's address carries for the organisation's side: a team's compare token, never its
    manager token (whoever sees the address could otherwise manage, or delete, the team)."""
    team = store.get_team_by_admin(token)
    return team.compare_token if team is not None else token


@bp.get("/compare/<first>/<second>")
def show(first: str, second: str) -> ResponseReturnValue:
    """The two views of one employer, dimension by dimension, with the questions that would close each gap."""
    one, other = _side(first), _side(second)
    swapped = bool(one and other and one[0] == "organisation" and other[0] == "candidate")
    if swapped:  # the links may come in either order; the address puts the candidate first
        first, second = second, first
    address = _address_token(second)
    if swapped or address != second:  # and never carries a team's manager token
        return redirect(url_for("compare.show", first=first, second=address))
    form = CompareForm(formdata=None, data={"candidate": first, "organisation": second})
    if not _check(form, first, second):
        return _form_page(form)
    candidate_side, org_side = _side(first), _side(second)
    if candidate_side is None or org_side is None:  # pragma: no cover - _check said both exist
        abort(404)
    candidate_assessment, org = candidate_side[1], org_side[1]
    if not isinstance(candidate_assessment, store.Assessment):  # pragma: no cover - _check says so
        abort(422)
    candidate_questionnaire = catalog().get(CANDIDATE_SLUG)
    organisation_questionnaire = catalog().get(ORGANISATION_SLUG)
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
        team=isinstance(org, store.Team),
        private_page=True,
    )


def _side(token: str) -> tuple[str, store.Assessment | store.Team] | None:
    """Which side a token is on ("candidate", "organisation", or "other" for a role audit), with what it opens;
    None when it opens nothing. A team is reached by its compare token (or, from a pasted link, its manager's); its
    respondent token is "respondent": the link colleagues answer with opens no figures."""
    assessment = store.get_assessment(token)
    if assessment is not None:
        if assessment.slug == CANDIDATE_SLUG:
            return "candidate", assessment
        if assessment.slug == ORGANISATION_SLUG:
            return "organisation", assessment
        return "other", assessment
    team = store.get_team_by_compare(token) or store.get_team_by_admin(token)
    if team is not None:
        return "organisation", team
    team = store.get_team_by_respondent(token)
    if team is not None:
        return "respondent", team
    return None
