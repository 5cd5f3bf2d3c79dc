"""assess.store for single results: assessments, drafts and kept PDFs, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, event, func, insert, select

from assess import store
from assess.extensions import db
from tests.storage.conftest import Scored, found

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64  # every byte value, NUL included: bytea and BLOB must keep them all


def count(model: Any, *where: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_an_assessment_comes_back_exactly_as_stored(in_app: Flask, scored: Scored, forget: Callable[[], None]) -> None:
    questionnaire, answers, result = scored("employer-readiness")
    notes = {questionnaire.sections[0].id: "Ask who owns the budget – “really”."}
    stored = store.create_assessment(
        questionnaire.slug, questionnaire.version, answers, result, label="Acme", notes=notes, previous_token="p" * 43
    )
    token = stored.token
    forget()
    again = found(store.get_assessment(token))
    assert len(token) == 43
    assert (again.slug, again.version, again.label) == (questionnaire.slug, questionnaire.version, "Acme")
    assert again.answers == answers
    assert again.notes == notes
    assert again.result == result  # nested JSON: floats, nulls, lists and objects unchanged
    assert again.previous_token == "p" * 43
    assert again.created_at.tzinfo is None  # stored naive, in UTC, on both databases
    assert abs(again.created_at - store.now()) < timedelta(minutes=1)
    assert store.get_assessment(store.new_token()) is None


def test_submitting_marks_the_draft_and_stores_the_result_together(
    in_app: Flask, scored: Scored, forget: Callable[[], None]
) -> None:
    questionnaire, answers, result = scored("role-audit")
    draft = store.create_draft(questionnaire.slug, questionnaire.version, answers=answers)
    saved_at = draft.updated_at
    assessment = store.create_assessment(questionnaire.slug, questionnaire.version, answers, result, draft=draft)
    draft_token, token = draft.token, assessment.token
    forget()
    again = found(store.get_draft(draft_token))
    assert again.result_token == token
    assert again.updated_at >= saved_at
    assert store.get_assessment(token) is not None


def test_deleting_a_result_takes_its_draft_and_kept_pdfs_and_nothing_else(
    in_app: Flask, scored: Scored, forget: Callable[[], None]
) -> None:
    questionnaire, answers, result = scored("role-audit")
    tokens = []
    for _ in range(2):
        draft = store.create_draft(questionnaire.slug, questionnaire.version, answers=answers)
        assessment = store.create_assessment(questionnaire.slug, questionnaire.version, answers, result, draft=draft)
        store.save_report_pdf(assessment.token, "a4", "v1", PDF)
        store.save_report_pdf(assessment.token, "letter", "v1", PDF)
        tokens.append(assessment.token)
    gone, kept = tokens
    store.delete_assessment(found(store.get_assessment(gone)))
    forget()
    assert store.get_assessment(gone) is None
    assert count(store.Draft, store.Draft.result_token == gone) == 0
    assert count(store.ReportPdf, store.ReportPdf.token == gone) == 0
    assert store.get_assessment(kept) is not None
    assert count(store.Draft, store.Draft.result_token == kept) == 1
    assert count(store.ReportPdf, store.ReportPdf.token == kept) == 2


def test_a_draft_keeps_its_prefill_and_each_save(in_app: Flask, forget: Callable[[], None]) -> None:
    draft = store.create_draft(
        "role-audit", "1.0", answers={"q1": "a"}, label="Old", notes={"s1": "n"}, previous_token="p" * 43
    )
    token, created = draft.token, draft.updated_at
    forget()
    draft = found(store.get_draft(token))
    assert (draft.answers, draft.label, draft.notes, draft.previous_token, draft.step) == (
        {"q1": "a"},
        "Old",
        {"s1": "n"},
        "p" * 43,
        0,
    )
    assert draft.team_id is None
    assert draft.result_token is None
    assert draft.expires_at(30) == draft.updated_at + timedelta(days=30)
    store.save_draft(draft, {"q1": "b", "q2": "unknown"}, {"s2": "later"}, "New", 3)
    forget()
    again = found(store.get_draft(token))
    assert (again.answers, again.notes, again.label, again.step) == (
        {"q1": "b", "q2": "unknown"},
        {"s2": "later"},
        "New",
        3,
    )
    assert again.updated_at >= created  # the expiry is renewed by every save
    assert store.get_draft(store.new_token()) is None


def test_text_with_nul_characters_is_stored_without_them(
    in_app: Flask, scored: Scored, forget: Callable[[], None]
) -> None:
    """A form field can carry %00, which PostgreSQL cannot store in text: the models drop it on every backend."""
    questionnaire, answers, result = scored("employer-readiness")
    section = questionnaire.sections[0].id
    draft = store.create_draft(questionnaire.slug, questionnaire.version, label="Ac\x00me")
    store.save_draft(draft, answers, {section: "no\x00te"}, "Ac\x00me 2", 1)
    assessment = store.create_assessment(
        questionnaire.slug, questionnaire.version, answers, result, label="Ac\x00me", notes={section: "a\x00b"}
    )
    team = store.create_team("Te\x00am", questionnaire.slug, questionnaire.version)
    tokens = draft.token, assessment.token, team.admin_token
    forget()
    found_draft, found_assessment, found_team = (
        found(store.get_draft(tokens[0])),
        found(store.get_assessment(tokens[1])),
        found(store.get_team_by_admin(tokens[2])),
    )
    assert (found_draft.label, found_draft.notes) == ("Acme 2", {section: "note"})
    assert (found_assessment.label, found_assessment.notes) == ("Acme", {section: "ab"})
    assert found_team.name == "Team"


def test_a_nul_at_the_edge_of_a_label_or_name_leaves_no_space_behind(
    in_app: Flask, scored: Scored, forget: Callable[[], None]
) -> None:
    """The forms trim first and the models drop NUL after: "0 \x00" must still be kept as "0", as the API keeps it
    (the wizard's fuzz test found this on PostgreSQL)."""
    questionnaire, answers, result = scored("employer-readiness")
    draft = store.create_draft(questionnaire.slug, questionnaire.version, label="0 \x00")
    assessment = store.create_assessment(questionnaire.slug, questionnaire.version, answers, result, label="\x00 Acme")
    team = store.create_team("Team \x00", questionnaire.slug, questionnaire.version)
    tokens = draft.token, assessment.token, team.admin_token
    forget()
    assert found(store.get_draft(tokens[0])).label == "0"
    assert found(store.get_assessment(tokens[1])).label == "Acme"
    assert found(store.get_team_by_admin(tokens[2])).name == "Team"


def test_purging_deletes_only_drafts_unsaved_for_longer_than_the_limit(
    in_app: Flask, forget: Callable[[], None]
) -> None:
    ages = {"stale": 31, "recent": 29, "fresh": 0}
    tokens = {}
    for name, days in ages.items():
        draft = store.create_draft("role-audit", "1.0")
        draft.updated_at = store.now() - timedelta(days=days)
        tokens[name] = draft.token
    db.session.commit()
    assert store.purge_expired_drafts(30) == 1
    forget()
    assert store.get_draft(tokens["stale"]) is None
    assert store.get_draft(tokens["recent"]) is not None
    assert store.get_draft(tokens["fresh"]) is not None
    assert store.purge_expired_drafts(30) == 0


def test_a_kept_pdf_is_found_by_token_size_and_template_version(
    in_app: Flask, scored: Scored, forget: Callable[[], None]
) -> None:
    questionnaire, answers, result = scored("employer-readiness")
    token = store.create_assessment(questionnaire.slug, questionnaire.version, answers, result).token
    assert store.get_report_pdf(token, "a4", "v1") is None
    store.save_report_pdf(token, "a4", "v1", PDF)
    store.save_report_pdf(token, "letter", "v1", PDF + b"letter")
    forget()
    kept = store.get_report_pdf(token, "a4", "v1")
    assert type(kept) is bytes  # not a memoryview: Flask sends it as it is
    assert kept == PDF
    assert store.get_report_pdf(token, "letter", "v1") == PDF + b"letter"
    assert store.get_report_pdf(token, "a4", "v2") is None


def test_a_new_template_version_replaces_the_old_copy_of_that_size_only(
    in_app: Flask, scored: Scored, forget: Callable[[], None]
) -> None:
    questionnaire, answers, result = scored("employer-readiness")
    token = store.create_assessment(questionnaire.slug, questionnaire.version, answers, result).token
    store.save_report_pdf(token, "a4", "v1", PDF)
    store.save_report_pdf(token, "letter", "v1", PDF)
    store.save_report_pdf(token, "a4", "v2", PDF + b"v2")
    forget()
    assert store.get_report_pdf(token, "a4", "v1") is None
    assert store.get_report_pdf(token, "a4", "v2") == PDF + b"v2"
    assert store.get_report_pdf(token, "letter", "v1") == PDF
    assert count(store.ReportPdf, store.ReportPdf.token == token) == 2


def test_saving_a_pdf_for_a_deleted_result_does_nothing(in_app: Flask) -> None:
    """A render that finishes after its result was deleted must not fail (PostgreSQL enforces the foreign key) nor
    keep the PDF (SQLite, without foreign keys switched on, would)."""
    token = store.new_token()
    store.save_report_pdf(token, "a4", "v1", PDF)
    assert store.get_report_pdf(token, "a4", "v1") is None
    assert count(store.ReportPdf) == 0


def test_a_concurrent_save_of_the_same_pdf_leaves_one_copy_and_no_error(
    in_app: Flask, backend: str, scored: Scored, forget: Callable[[], None]
) -> None:
    """Two workers render the same report at once and both save it; the second must not answer 500.

    Another client stores the same PDF in the middle of our save. On PostgreSQL that happens after our DELETE
    (read committed: our DELETE saw nothing to delete), so our INSERT hits the unique key and is rolled back. SQLite
    lets only one writer in from its first write, so there the other client can only come in before our DELETE,
    which then removes its copy.
    """
    questionnaire, answers, result = scored("employer-readiness")
    token = store.create_assessment(questionnaire.slug, questionnaire.version, answers, result).token
    theirs, ours = PDF + b"theirs", PDF + b"ours"
    other = create_engine(db.engine.url)  # another worker process's connection
    interrupted: list[str] = []

    def other_worker_saves(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("DELETE FROM report_pdfs") and not interrupted:
            interrupted.append(statement)
            with other.begin() as connection:
                row = {"token": token, "page_size": "a4", "template_version": "v1", "pdf": theirs}
                connection.execute(insert(store.ReportPdf).values(**row, created_at=store.now()))

    moment = "after_cursor_execute" if backend == "postgresql" else "before_cursor_execute"
    event.listen(db.engine, moment, other_worker_saves)
    try:
        store.save_report_pdf(token, "a4", "v1", ours)
    finally:
        event.remove(db.engine, moment, other_worker_saves)
        other.dispose()
    assert interrupted
    forget()
    assert count(store.ReportPdf, store.ReportPdf.token == token) == 1
    assert store.get_report_pdf(token, "a4", "v1") == (theirs if backend == "postgresql" else ours)
    assert store.get_assessment(token) is not None  # the session works again after the rollback


def test_the_kept_pdfs_are_evicted_by_age_then_oldest_first_by_total_size(in_app: Flask, scored: Scored) -> None:
    questionnaire, answers, result = scored("role-audit")
    tokens = [
        store.create_assessment(questionnaire.slug, questionnaire.version, answers, result).token for _ in range(4)
    ]
    for index, token in enumerate(tokens):
        store.save_report_pdf(token, "a4", "v1", PDF)
        # Created one day apart, the first oldest.
        db.session.execute(
            store.ReportPdf.__table__.update()
            .where(store.ReportPdf.token == token)
            .values(created_at=store.now() - timedelta(days=10 - index))
        )
    db.session.commit()
    assert db.session.scalar(select(func.sum(store.ReportPdf.size))) == 4 * len(PDF)

    # Older than nine days: only the first goes.
    assert store.evict_report_pdfs(timedelta(days=9, hours=12), max_bytes=10 * len(PDF)) == 1
    assert store.get_report_pdf(tokens[0], "a4", "v1") is None
    # Room for two: the oldest of the three left goes, the newest two stay.
    assert store.evict_report_pdfs(timedelta(days=30), max_bytes=2 * len(PDF)) == 1
    assert store.get_report_pdf(tokens[1], "a4", "v1") is None
    assert store.get_report_pdf(tokens[2], "a4", "v1") == PDF
    assert store.get_report_pdf(tokens[3], "a4", "v1") == PDF
    # Within both limits nothing goes, and the results themselves are never touched.
    assert store.evict_report_pdfs(timedelta(days=30), max_bytes=2 * len(PDF)) == 0
    assert all(store.get_assessment(token) is not None for token in tokens)
