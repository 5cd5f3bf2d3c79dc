"""assess.store for teams: tokens, anonymous responses, counts, closing and deletion, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import select

from assess import store
from assess.extensions import db
from tests.storage.conftest import Scored, found


def test_a_team_is_found_by_each_of_its_tokens_and_no_other(in_app: Flask, forget: Callable[[], None]) -> None:
    team = store.create_team("Acme hiring", "org-readiness", "1.0")
    team_id, admin, respondent = team.id, team.admin_token, team.respondent_token
    forget()
    assert len({admin, respondent}) == 2
    by_admin, by_respondent = found(store.get_team_by_admin(admin)), store.get_team_by_respondent(respondent)
    assert by_admin is by_respondent is store.get_team(team_id)
    assert (by_admin.name, by_admin.slug, by_admin.version) == ("Acme hiring", "org-readiness", "1.0")
    assert by_admin.closed is False  # a real boolean on both databases
    assert by_admin.created_at.tzinfo is None
    # The respondent link must never open the admin page, nor the other way round.
    assert store.get_team_by_admin(respondent) is None
    assert store.get_team_by_respondent(admin) is None
    assert store.get_team(team_id + 1000) is None


def test_responses_are_stored_in_order_counted_and_their_drafts_forgotten(
    in_app: Flask, scored: Scored, forget: Callable[[], None]
) -> None:
    team = store.create_team("Acme", "org-readiness", "1.0")
    other = store.create_team("Other", "org-readiness", "1.0")
    departments = ["marketing", "it", "marketing"]
    drafts = []
    for seed, department in enumerate(departments):
        questionnaire, answers, result = scored("org-readiness", seed)
        draft = store.create_draft(questionnaire.slug, "1.0", team=team, department=department)
        assert (draft.team_id, draft.department) == (team.id, department)
        drafts.append(draft.token)
        store.add_team_response(team, department, answers, result, draft=draft)
    admin, other_admin = team.admin_token, other.admin_token
    forget()
    team = found(store.get_team_by_admin(admin))
    responses = store.team_responses(team)
    assert [r.department for r in responses] == departments
    assert [r.answers for r in responses] == [scored("org-readiness", seed)[1] for seed in range(3)]
    assert [r.result for r in responses] == [scored("org-readiness", seed)[2] for seed in range(3)]
    assert {r.version for r in responses} == {"1.0"}
    assert store.count_team_responses(team) == 3
    assert store.count_team_responses(found(store.get_team_by_admin(other_admin))) == 0
    for token in drafts:  # emptied and marked sent: nothing links an answer to a person
        draft = found(store.get_draft(token))
        assert (draft.result_token, draft.answers, draft.department) == (store.TEAM_SENT, {}, None)


def test_closing_and_reopening_a_team_is_kept(in_app: Flask, forget: Callable[[], None]) -> None:
    team = store.create_team("Acme", "org-readiness", "1.0")
    admin = team.admin_token
    store.set_team_closed(team, True)
    forget()
    team = found(store.get_team_by_admin(admin))
    assert team.closed is True
    store.set_team_closed(team, False)
    forget()
    assert found(store.get_team_by_admin(admin)).closed is False


def test_deleting_a_team_takes_its_responses_and_drafts_and_nothing_else(
    in_app: Flask, scored: Scored, forget: Callable[[], None]
) -> None:
    questionnaire, answers, result = scored("org-readiness")
    teams = []
    for name in ("Gone", "Kept"):
        team = store.create_team(name, questionnaire.slug, questionnaire.version)
        for department in ("marketing", "it"):
            store.add_team_response(team, department, answers, result)
        store.create_draft(questionnaire.slug, questionnaire.version, team=team, department="it")  # unfinished
        teams.append((team.id, team.admin_token))
    (gone_id, gone_admin), (kept_id, kept_admin) = teams
    store.delete_team(found(store.get_team_by_admin(gone_admin)))
    forget()
    assert store.get_team_by_admin(gone_admin) is None
    assert db.session.scalars(select(store.TeamResponse).where(store.TeamResponse.team_id == gone_id)).all() == []
    assert db.session.scalars(select(store.Draft).where(store.Draft.team_id == gone_id)).all() == []
    kept = found(store.get_team_by_admin(kept_admin))
    assert store.count_team_responses(kept) == 2
    assert len(db.session.scalars(select(store.Draft).where(store.Draft.team_id == kept_id)).all()) == 1
