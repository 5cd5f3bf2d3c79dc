"""The rules follow the article: each cites its paragraphs, the docs table is the rules' own words, the quick
paths are short and decisive, team respondents get only what their department can answer, and reasons name only
the answers that moved a verdict or a flag."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.core import UNKNOWN, Catalog, score
from assess.core.model import QUICK_MAX, TEAM_DEPARTMENTS, Questionnaire
from assess.core.rulebook import rules_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
SLUGS = ("employer-readiness", "role-audit", "org-readiness")


def test_docs_rules_table_is_the_rules_as_the_app_applies_them(catalog: Catalog) -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(catalog), (
        "docs/rules.md is out of date: run `flask --app app assess rules > docs/rules.md`"
    )


def test_every_rule_cites_the_article_or_the_research(catalog: Catalog) -> None:
    text = rules_markdown(catalog)
    for questionnaire in catalog.questionnaires.values():
        for rule in questionnaire.rules:
            assert rule.article.strip(), f"{questionnaire.slug}:{rule.id} paraphrases no point"
            assert rule.paragraphs or rule.research, f"{questionnaire.slug}:{rule.id} cites nothing"
            assert f"`{rule.id}`" in text


@pytest.mark.parametrize("slug", SLUGS)
def test_quick_path_is_short_and_every_question_changes_the_result(catalog: Catalog, slug: str) -> None:
    questionnaire = catalog.get(slug)
    assert 0 < len(questionnaire.quick) <= QUICK_MAX
    assert questionnaire.quick_minutes <= 4
    in_rules = {leaf for rule in questionnaire.rules for leaf in _questions(rule.when)}
    for question_id in questionnaire.quick:
        question = questionnaire.question(question_id)
        weightiest = sorted(questionnaire.questions_in_part(questionnaire.main_part.id), key=lambda q: -q.weight)
        # Chosen for what it changes: it feeds a rule, or it is among the heaviest questions of the main part.
        assert question_id in in_rules or question.weight >= weightiest[len(weightiest) // 3].weight, question_id


def _questions(condition: object) -> set[str]:
    found: set[str] = set()
    question = getattr(condition, "question", None)
    if isinstance(question, str):
        found.add(question)
    for inner in getattr(condition, "conditions", ()):
        found |= _questions(inner)
    inner_one = getattr(condition, "condition", None)
    if inner_one is not None:
        found |= _questions(inner_one)
    return found


def _best(questionnaire: Questionnaire, ids: tuple[str, ...]) -> dict[str, str]:
    return {qid: max(questionnaire.question(qid).options, key=lambda o: o.points).id for qid in ids}


def _worst(questionnaire: Questionnaire, ids: tuple[str, ...]) -> dict[str, str]:
    return {qid: min(questionnaire.question(qid).options, key=lambda o: o.points).id for qid in ids}


@pytest.mark.parametrize("slug", SLUGS)
def test_quick_path_alone_gives_a_scored_result_with_its_confidence(catalog: Catalog, slug: str) -> None:
    questionnaire = catalog.get(slug)
    for answers in (_best(questionnaire, questionnaire.quick), _worst(questionnaire, questionnaire.quick)):
        result = score(questionnaire, answers)
        assert result.overall.band is not None
        assert 0 < result.overall.confidence < 1
        if questionnaire.verdicts:
            assert result.verdict is not None
            assert result.verdict.id != "undetermined"


def test_quick_role_audit_tells_the_two_paths_apart(catalog: Catalog) -> None:
    questionnaire = catalog.get("role-audit")
    assert score(questionnaire, _best(questionnaire, questionnaire.quick)).verdict.id == "strategist"  # type: ignore[union-attr]
    assert score(questionnaire, _worst(questionnaire, questionnaire.quick)).verdict.id == "help-desk"  # type: ignore[union-attr]


def test_team_respondents_never_get_the_hiring_questions(catalog: Catalog) -> None:
    questionnaire = catalog.get("org-readiness")
    hiring = {q.id for q in questionnaire.questions_in_part("hiring")}
    for department in TEAM_DEPARTMENTS:
        asked = {q.id for q in questionnaire.questions if q.asked_in_team(department)}
        assert asked, department
        assert not asked & hiring, department
    it = {q.id for q in questionnaire.questions if q.asked_in_team("it")}
    assert {"o-shared-tool", "o-joint-meeting", "o-budget-owner"} <= it  # the marketing-IT questions IT can answer
    assert "o-jobad-buyin" not in it
    assert "o-manager-time" not in it


def test_verdict_lists_only_the_answers_that_pulled_it_down(catalog: Catalog) -> None:
    questionnaire = catalog.get("role-audit")
    answers = _best(questionnaire, tuple(q.id for q in questionnaire.questions))
    # A role that looks fine except for three weak answers in the proactive dimension.
    answers |= {"time-split": "about-half", "hands-on-share": "nearly-all", "demand-backlog": "lost-count"}
    answers |= {"planning-seat": "never", "last-initiative": "longer"}
    result = score(questionnaire, answers)
    assert result.verdict is not None
    assert result.verdict.id == "at-risk"
    assert len(result.verdict.questions) < 10, result.verdict.questions
    assert set(result.verdict.questions) == {
        "time-split",
        "hands-on-share",
        "demand-backlog",
        "planning-seat",
        "last-initiative",
    }


def test_the_fallback_verdict_names_the_tests_it_passed(catalog: Catalog) -> None:
    questionnaire = catalog.get("role-audit")
    result = score(questionnaire, _best(questionnaire, tuple(q.id for q in questionnaire.questions)))
    assert result.verdict is not None
    assert result.verdict.id == "strategist"
    assert result.verdict.questions == ("time-split",)
    assert any("Mostly planned work" in reason for reason in result.verdict.reasons)
    assert any("60 or more" in reason for reason in result.verdict.reasons)


def test_interview_questions_do_not_assume_what_the_person_does_not_know(catalog: Catalog) -> None:
    questionnaire = catalog.get("employer-readiness")
    result = score(questionnaire, {})
    asks = {q.question: q.ask for q in result.interview_questions}
    assert asks["own-reporting"].startswith("Where has social media sat")
    assert "If it has moved" in asks["own-reporting"]
    assert "mentions winning buy-in" not in asks["climate-jobad"]
    for question in questionnaire.questions_in_part(questionnaire.main_part.id):
        assert "did it move" not in question.ask
        assert "The description lists" not in question.ask
        assert "last time" not in question.ask.lower(), question.id


@pytest.mark.parametrize(
    ("answers", "flags"),
    [
        ({"sep-people": "new-hire-alone"}, {"help-desk-line-missing"}),
        ({"sep-people": "new-hire-alone", "load-year": "growing-backlog"}, {"help-desk-path-laid"}),
        ({"sep-people": "separate", "load-year": "growing-backlog"}, {"falling-behind"}),
        ({"sep-people": "separate", "load-year": "busy-periods"}, set()),
        ({"sup-conflict": "none-or-dodged"}, {"supervisor-not-engaged"}),
        ({"sup-skills": "posting-replying"}, {"supervisor-not-engaged"}),
        ({"sup-conflict": "none-or-dodged", "sup-skills": "could-not-say"}, {"supervisor-disengaged"}),
    ],
)
def test_employer_supervisor_and_help_desk_checks_flag_on_their_own(
    catalog: Catalog, answers: dict[str, str], flags: set[str]
) -> None:
    result = score(catalog.get("employer-readiness"), answers)
    assert {f.id for f in result.flags} == flags
    for flag in result.flags:
        assert set(flag.questions) <= set(answers) | {UNKNOWN}, flag.questions


@pytest.mark.parametrize(
    ("answers", "flags"),
    [
        ({"backing-dispute": "stayed-out"}, {"unbacked"}),
        ({"backing-dispute": "sided-against", "backing-sponsor": "no-sponsor"}, {"unbacked"}),
        ({"backing-dispute": "stayed-out", "backing-sponsor": "active"}, {"manager-stays-out"}),
        ({"backing-dispute": "stepped-in", "backing-sponsor": "no-sponsor"}, set()),
        (
            {"demand-trend": "more", "demand-forecast": "rough-sense", "team-shape": "several-roles"},
            {"demand-without-plan"},
        ),
        ({"demand-trend": "far-more", "demand-forecast": "forecast-plan"}, set()),
        ({"demand-forecast": "none", "team-shape": "one-two"}, {"demand-without-plan"}),
        ({"demand-forecast": "none", "demand-trend": "about-same"}, set()),
        ({"culture-pushback": "often"}, {"culture-resisting"}),
        ({"journey-wins": "none", "journey-milestones": "given-up"}, {"culture-resisting"}),
        ({"journey-envy": "often"}, {"role-resented"}),
    ],
)
def test_role_audit_rules_follow_the_article(catalog: Catalog, answers: dict[str, str], flags: set[str]) -> None:
    result = score(catalog.get("role-audit"), answers)
    assert {f.id for f in result.flags} == flags


def test_journey_wins_counts_toward_the_culture_challenge(catalog: Catalog) -> None:
    questionnaire = catalog.get("role-audit")
    assert "CH-CULTURE" in questionnaire.question("journey-wins").challenges
    result = score(questionnaire, {"journey-wins": "none"})
    culture = next(c for c in result.challenges if c.id == "CH-CULTURE")
    assert culture.exposure == 100.0
    assert "journey-wins" in culture.questions
