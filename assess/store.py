"""Storage: the SQLAlchemy models and the few functions the web layer calls.

Results are reached only through random tokens (256 bits from `secrets`); the integer primary keys never
leave the database.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy import Text as LongText  # `Text` here is the free-text type variable below
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, validates

from .config import LABEL_LENGTH
from .extensions import db


def new_token() -> str:
    """A fresh unguessable token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def now() -> datetime:
    """The current UTC time, naive, as stored."""
    return datetime.now(UTC).replace(tzinfo=None)  # stored naive, always UTC


Text = TypeVar("Text", str, dict[str, str])


def without_nul(value: Text) -> Text:
    """Free text (or a dict of notes) without NUL characters.

    PostgreSQL cannot store NUL in a text column, and a form field can carry one (`%00`): SQLite would keep it
    while PostgreSQL failed the request with a 500. Dropping it where the models take the text keeps every way
    in (forms, API, imports) and both databases alike. Notes are JSON, which takes an escaped NUL, but are
    cleaned too, so that a note reads the same from either database.
    """
    if isinstance(value, str):
        return value.replace("\x00", "")
    return {key: text.replace("\x00", "") for key, text in value.items()}


def trimmed(text: str) -> str:
    """A label, a team's name or a note's raw text as kept: without NUL characters, then trimmed, in that order
    (trimming first would keep the space before a NUL: "0 \x00" must be "0")."""
    return without_nul(text).strip()


NOTE_LINES = 20
"""The most lines a section note may have once normalised (the forms and the API refuse more)."""


def normalise_note(text: str) -> str:
    """A note as kept: every line break as "\\n", no spaces at line ends, runs of blank lines collapsed into one,
    no blank lines or spaces around it. A note of newlines within the character limit once laid out to over a
    hundred printed pages."""
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _validate_text(_model: object, key: str, value: Text) -> Text:
    if isinstance(value, str):
        return trimmed(value)  # a label or a name
    value = without_nul(value)
    if key == "notes":
        return {section: normalise_note(note) for section, note in value.items()}
    return value


class Assessment(db.Model):  # type: ignore[name-defined,misc]
    """A submitted, scored questionnaire. Never changes once written: a re-audit makes a new one."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    slug: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH), default="")
    answers: Mapped[dict[str, str]] = mapped_column(JSON)
    notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    previous_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    job_ad: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    """What the result keeps of a job ad read before the questionnaire: the answers that came from it and the
    findings, as quoted sentences only, never the whole ad (assess.web.jobads.kept_summary)."""

    _text = validates("label", "notes")(_validate_text)


class Draft(db.Model):  # type: ignore[name-defined,misc]
    """Answers in progress, saved at every wizard step and reachable through a private resume link."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    slug: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH), default="")
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    step: Mapped[int] = mapped_column(Integer, default=0)
    previous_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    result_token: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=True, index=True)
    department: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    job_ad: Mapped[str | None] = mapped_column(LongText, nullable=True)
    """The text of a job ad read before the questionnaire: kept only here, until the result is made or the person
    deletes it, and deleted with the draft. Loaded with the draft (not deferred): every wizard page reads it to label
    the answers the ad chose, and a deferred column cost each page a second query."""

    _text = validates("label", "notes")(_validate_text)  # job_ad: the reader drops control characters

    def expires_at(self, days: int) -> datetime:
        """When this draft stops being resumable."""
        return self.updated_at + timedelta(days=days)


def create_draft(
    slug: str,
    version: str,
    answers: dict[str, str] | None = None,
    label: str = "",
    notes: dict[str, str] | None = None,
    previous_token: str | None = None,
    team: Team | None = None,
    department: str | None = None,
    job_ad: str | None = None,
) -> Draft:
    """Start and save a new draft, optionally prefilled (a re-audit, or from a job ad) or answering for a team."""
    draft = Draft(
        token=new_token(),
        slug=slug,
        version=version,
        label=label,
        answers=dict(answers or {}),
        notes=dict(notes or {}),
        previous_token=previous_token,
        team_id=team.id if team is not None else None,
        department=department,
        step=0,
        job_ad=job_ad,
    )
    db.session.add(draft)
    db.session.commit()
    return draft


# The statements behind the hottest reads, built once: building a select per call was a third of its cost.
_DRAFT_BY_TOKEN = select(Draft).where(Draft.token == bindparam("token"))


def get_draft(token: str) -> Draft | None:
    """The draft with this token, or None."""
    return db.session.scalar(_DRAFT_BY_TOKEN, {"token": token})


def forget_job_ad(draft: Draft) -> None:
    """Delete the text of the draft's job ad; the answers it filled in stay."""
    draft.job_ad = None
    db.session.commit()


def save_draft(draft: Draft, answers: dict[str, str], notes: dict[str, str], label: str, step: int) -> None:
    """Write the draft's answers, notes, label and position, and renew its expiry."""
    draft.answers = dict(answers)
    draft.notes = dict(notes)
    draft.label = label
    draft.step = step
    draft.updated_at = now()
    db.session.commit()


TEAM_SENT = "sent"
"""The `result_token` of a team draft whose response was stored (no result token is this short)."""


class AlreadySubmitted(Exception):
    """The draft was submitted by another request first; `result_token` names its result (None for a team's, or
    when the draft is gone)."""

    def __init__(self, result_token: str | None) -> None:
        super().__init__("this draft was already submitted")
        self.result_token = result_token


def create_assessment(
    slug: str,
    version: str,
    answers: dict[str, str],
    result: dict[str, Any],
    label: str = "",
    notes: dict[str, str] | None = None,
    previous_token: str | None = None,
    draft: Draft | None = None,
    job_ad: dict[str, Any] | None = None,
) -> Assessment:
    """Store a scored result, and mark its draft submitted, in one transaction. The draft's job ad text, if any,
    is deleted then: the result keeps only `job_ad`, the quotes.

    A draft is submitted at most once: the transaction first claims it with a conditional UPDATE (only while it
    has no result), which the database serialises, so of several simultaneous submits one stores a result and the
    others store nothing and raise AlreadySubmitted naming it."""
    assessment = Assessment(
        token=new_token(),
        slug=slug,
        version=version,
        label=label,
        answers=dict(answers),
        notes=dict(notes or {}),
        result=result,
        previous_token=previous_token,
        job_ad=job_ad,
    )
    if draft is not None:
        claimed = db.session.execute(
            update(Draft)
            .where(Draft.id == draft.id, Draft.result_token.is_(None))
            .values(result_token=assessment.token, updated_at=now(), job_ad=None)
            .execution_options(synchronize_session=False)
        )
        if _rowcount(claimed) != 1:
            db.session.rollback()  # submitted meanwhile by another request: store nothing
            raise AlreadySubmitted(db.session.scalar(select(Draft.result_token).where(Draft.id == draft.id)))
    db.session.add(assessment)
    db.session.commit()
    return assessment


def _rowcount(outcome: object) -> int:
    return int(getattr(outcome, "rowcount", 0) or 0)


_ASSESSMENT_BY_TOKEN = select(Assessment).where(Assessment.token == bindparam("token"))


def get_assessment(token: str) -> Assessment | None:
    """The assessment with this token, or None."""
    return db.session.scalar(_ASSESSMENT_BY_TOKEN, {"token": token})


def delete_assessment(assessment: Assessment) -> None:
    """Erase a result, the draft it came from and every unsubmitted draft made from it ("Update my answers", which
    copies its label, notes and answers), for good. A submitted re-audit draft belongs to its own result."""
    token = assessment.token
    db.session.execute(
        delete(Draft).where(
            or_(Draft.result_token == token, and_(Draft.previous_token == token, Draft.result_token.is_(None)))
        )
    )
    db.session.execute(delete(ReportPdf).where(ReportPdf.token == token))
    db.session.delete(assessment)
    db.session.commit()


def purge_expired_drafts(days: int) -> int:
    """Delete drafts not saved for `days` days; returns how many went."""
    cutoff = now() - timedelta(days=days)
    outcome = db.session.execute(delete(Draft).where(Draft.updated_at < cutoff))
    db.session.commit()
    return _rowcount(outcome)


class ReportPdf(db.Model):  # type: ignore[name-defined,misc]
    """A rendered PDF report, kept so that a second download renders nothing; erased with its result.

    Keyed by the result's token, the paper size and the report templates' version (a hash of the templates,
    print CSS and questionnaires), so a new release renders afresh instead of serving a stale layout.
    """

    __tablename__ = "report_pdfs"
    __table_args__ = (UniqueConstraint("token", "page_size", "template_version", name="uq_report_pdfs_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(ForeignKey("assessments.token", ondelete="CASCADE"), index=True)
    page_size: Mapped[str] = mapped_column(String(10))
    template_version: Mapped[str] = mapped_column(String(40))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The PDF's length in bytes, so the cache's total is a cheap sum."""
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)


def get_report_pdf(token: str, page_size: str, template_version: str) -> bytes | None:
    """The kept PDF for this result, paper size and template version, or None."""
    return db.session.scalar(
        select(ReportPdf.pdf).where(
            ReportPdf.token == token, ReportPdf.page_size == page_size, ReportPdf.template_version == template_version
        )
    )


def save_report_pdf(token: str, page_size: str, template_version: str, pdf: bytes) -> bool:
    """Keep a rendered PDF, replacing older versions of the same report; False (nothing kept) when the result is
    gone, deleted while its PDF rendered. A concurrent request that stored the same PDF first is no failure."""
    if db.session.scalar(select(Assessment.id).where(Assessment.token == token)) is None:
        db.session.rollback()
        return False
    db.session.execute(delete(ReportPdf).where(ReportPdf.token == token, ReportPdf.page_size == page_size))
    db.session.add(
        ReportPdf(token=token, page_size=page_size, template_version=template_version, pdf=pdf, size=len(pdf))
    )
    try:
        db.session.commit()
    except IntegrityError:  # the same PDF stored first by another request, or the result deleted just now
        db.session.rollback()
        return db.session.scalar(select(Assessment.id).where(Assessment.token == token)) is not None
    return True


def evict_report_pdfs(max_age: timedelta, max_bytes: int) -> int:
    """Bound the kept PDFs, which every app server shares: drop those older than `max_age`, then the oldest
    until the rest total at most `max_bytes`. Returns how many went. A dropped PDF is rendered again when asked
    for, so eviction never loses anything but time."""
    gone = db.session.execute(delete(ReportPdf).where(ReportPdf.created_at < now() - max_age))
    count = int(getattr(gone, "rowcount", 0) or 0)
    total = int(db.session.scalar(select(func.coalesce(func.sum(ReportPdf.size), 0))) or 0)
    if total > max_bytes:
        doomed = []
        for row_id, size in db.session.execute(
            select(ReportPdf.id, ReportPdf.size).order_by(ReportPdf.created_at, ReportPdf.id)
        ):
            if total <= max_bytes:
                break
            doomed.append(row_id)
            total -= size
        db.session.execute(delete(ReportPdf).where(ReportPdf.id.in_(doomed)))
        count += len(doomed)
    db.session.commit()
    return count


class Team(db.Model):  # type: ignore[name-defined,misc]
    """Several colleagues rating one organisation: an admin link for results, a respondent link to share, and a
    compare token that opens only a comparison of the team's figures with a candidate's (the address /compare
    gives, which may be passed on without handing over the team)."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    admin_token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    respondent_token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    compare_token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    slug: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    _text = validates("name")(_validate_text)


class TeamResponse(db.Model):  # type: ignore[name-defined,misc]
    """One anonymous response to a team: the department spoken for, the answers and their scored result.

    Nothing links it to a person or a draft: the draft is deleted when the response is stored.
    """

    __tablename__ = "team_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    department: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, str]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


def create_team(name: str, slug: str, version: str) -> Team:
    """Open a new team with fresh admin, respondent and compare tokens."""
    team = Team(
        admin_token=new_token(),
        respondent_token=new_token(),
        compare_token=new_token(),
        name=name,
        slug=slug,
        version=version,
        closed=False,
    )
    db.session.add(team)
    db.session.commit()
    return team


def get_team(team_id: int) -> Team | None:
    """The team with this internal id (never shown outside), or None."""
    return db.session.get(Team, team_id)


def get_team_by_admin(token: str) -> Team | None:
    """The team whose admin link carries this token, or None."""
    return db.session.scalar(select(Team).where(Team.admin_token == token))


def get_team_by_respondent(token: str) -> Team | None:
    """The team whose respondent link carries this token, or None."""
    return db.session.scalar(select(Team).where(Team.respondent_token == token))


def get_team_by_compare(token: str) -> Team | None:
    """The team whose comparison address carries this token, or None."""
    return db.session.scalar(select(Team).where(Team.compare_token == token))


def team_responses(team: Team) -> list[TeamResponse]:
    """A team's responses, in storage order (callers must not present them in a way that identifies anyone)."""
    return list(
        db.session.scalars(select(TeamResponse).where(TeamResponse.team_id == team.id).order_by(TeamResponse.id))
    )


def exportable_team_responses(team: Team, step: int) -> list[TeamResponse]:
    """A team's earliest responses in whole steps of `step` (the first 3, 6, 9, ... for a step of 3): what an
    export may hold, so that two exports never differ by fewer than `step` responses."""
    count = count_team_responses(team)
    return team_responses(team)[: count - count % step]


def count_team_responses(team: Team) -> int:
    """How many people have answered."""
    return int(db.session.scalar(select(func.count()).where(TeamResponse.team_id == team.id)) or 0)


def team_responses_marker(team: Team) -> tuple[int, int | None]:
    """How many responses a team has and the newest one's id: changes whenever a response is added or removed."""
    row = db.session.execute(
        select(func.count(TeamResponse.id), func.max(TeamResponse.id)).where(TeamResponse.team_id == team.id)
    ).one()
    return int(row[0] or 0), row[1]


def add_team_response(
    team: Team, department: str, answers: dict[str, str], result: dict[str, Any], draft: Draft | None = None
) -> TeamResponse:
    """Store one anonymous response and empty the draft it came from, in one transaction.

    A draft gives at most one response: the transaction first marks it sent (TEAM_SENT) and drops everything it held
    (answers, department), with a conditional UPDATE the database serialises, and stores the response only if that
    found the draft unsent; of several simultaneous submits one stores a response and the others store nothing and
    raise AlreadySubmitted. The emptied draft links nothing to the response; it lets a second submit find it was
    sent, and expires with the other drafts."""
    if draft is not None:
        claimed = db.session.execute(
            update(Draft)
            .where(Draft.id == draft.id, Draft.result_token.is_(None))
            .values(result_token=TEAM_SENT, answers={}, notes={}, label="", department=None, updated_at=now())
            .execution_options(synchronize_session=False)
        )
        if _rowcount(claimed) != 1:
            db.session.rollback()  # sent meanwhile by another request
            raise AlreadySubmitted(None)
    response = TeamResponse(
        team_id=team.id, department=department, version=team.version, answers=dict(answers), result=result
    )
    db.session.add(response)
    db.session.commit()
    return response


def set_team_closed(team: Team, closed: bool) -> None:
    """Close the team to new responses, or open it again."""
    team.closed = closed
    db.session.commit()


def delete_team(team: Team) -> None:
    """Erase a team, all its responses and its unfinished drafts, for good."""
    db.session.execute(delete(TeamResponse).where(TeamResponse.team_id == team.id))
    db.session.execute(delete(Draft).where(Draft.team_id == team.id))
    db.session.delete(team)
    db.session.commit()
