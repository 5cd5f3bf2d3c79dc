"""Storage: the SQLAlchemy models and the few functions the web layer calls.

Results are reached only through random tokens (256 bits from `secrets`); the integer primary keys never
leave the database.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db


def new_token() -> str:
    """A fresh unguessable token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def now() -> datetime:
    """The current UTC time, naive, as stored."""
    return datetime.now(UTC).replace(tzinfo=None)  # stored naive, always UTC


class Assessment(db.Model):  # type: ignore[name-defined,misc]
    """A submitted, scored questionnaire. Never changes once written: a re-audit makes a new one."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    slug: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200), default="")
    answers: Mapped[dict[str, str]] = mapped_column(JSON)
    notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    previous_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Draft(db.Model):  # type: ignore[name-defined,misc]
    """Answers in progress, saved at every wizard step and reachable through a private resume link."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    slug: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200), default="")
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    step: Mapped[int] = mapped_column(Integer, default=0)
    previous_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    result_token: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)

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
) -> Draft:
    """Start and save a new draft, optionally prefilled (a re-audit)."""
    draft = Draft(
        token=new_token(),
        slug=slug,
        version=version,
        label=label,
        answers=dict(answers or {}),
        notes=dict(notes or {}),
        previous_token=previous_token,
        step=0,
    )
    db.session.add(draft)
    db.session.commit()
    return draft


def get_draft(token: str) -> Draft | None:
    """The draft with this token, or None."""
    return db.session.scalar(select(Draft).where(Draft.token == token))


def save_draft(draft: Draft, answers: dict[str, str], notes: dict[str, str], label: str, step: int) -> None:
    """Write the draft's answers, notes, label and position, and renew its expiry."""
    draft.answers = dict(answers)
    draft.notes = dict(notes)
    draft.label = label
    draft.step = step
    draft.updated_at = now()
    db.session.commit()


def create_assessment(
    slug: str,
    version: str,
    answers: dict[str, str],
    result: dict[str, Any],
    label: str = "",
    notes: dict[str, str] | None = None,
    previous_token: str | None = None,
    draft: Draft | None = None,
) -> Assessment:
    """Store a scored result, and mark its draft submitted, in one transaction."""
    assessment = Assessment(
        token=new_token(),
        slug=slug,
        version=version,
        label=label,
        answers=dict(answers),
        notes=dict(notes or {}),
        result=result,
        previous_token=previous_token,
    )
    db.session.add(assessment)
    if draft is not None:
        draft.result_token = assessment.token
        draft.updated_at = now()
    db.session.commit()
    return assessment


def get_assessment(token: str) -> Assessment | None:
    """The assessment with this token, or None."""
    return db.session.scalar(select(Assessment).where(Assessment.token == token))


def delete_assessment(assessment: Assessment) -> None:
    """Erase a result and the draft it came from, for good."""
    db.session.execute(delete(Draft).where(Draft.result_token == assessment.token))
    db.session.delete(assessment)
    db.session.commit()


def purge_expired_drafts(days: int) -> int:
    """Delete drafts not saved for `days` days; returns how many went."""
    cutoff = now() - timedelta(days=days)
    outcome = db.session.execute(delete(Draft).where(Draft.updated_at < cutoff))
    db.session.commit()
    return int(getattr(outcome, "rowcount", 0) or 0)
