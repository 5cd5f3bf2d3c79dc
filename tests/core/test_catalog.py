"""Loading and validation: the real files load, and each kind of mistake is named with its file and place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from assess.core import Catalog, CatalogError
from assess.core.catalog import QUESTIONNAIRES_DIR, load_criteria, load_questionnaire

DATA = Path(__file__).parent / "data"
SCOPES = {"employer-readiness": {"ER", "CP", "CH"}, "role-audit": {"RA", "CH"}, "org-readiness": {"ER", "HM"}}


def test_real_catalogue_loads_with_three_questionnaires(catalog: Catalog) -> None:
    assert sorted(catalog.questionnaires) == ["employer-readiness", "org-readiness", "role-audit"]


@pytest.mark.parametrize("slug", sorted(SCOPES))
def test_each_questionnaire_covers_every_criterion_of_its_scope(catalog: Catalog, slug: str) -> None:
    questionnaire = catalog.get(slug)
    asked = {q.criterion for q in questionnaire.questions} | {c for q in questionnaire.questions for c in q.challenges}
    for group in SCOPES[slug]:
        in_catalogue = {c.id for c in catalog.criteria if c.group == group}
        assert in_catalogue, f"the catalogue has no {group} criteria"
        assert in_catalogue <= asked, f"{slug} does not ask about {sorted(in_catalogue - asked)}"


def test_employer_and_org_readiness_share_their_main_dimensions(catalog: Catalog) -> None:
    employer = catalog.get("employer-readiness")
    org = catalog.get("org-readiness")
    ids = [d.id for d in employer.dimensions_in(employer.main_part.id)]
    assert ids == [d.id for d in org.dimensions_in(org.main_part.id)]


def test_every_figure_has_a_source_and_a_year(catalog: Catalog) -> None:
    assert catalog.figures
    for figure in catalog.figures:
        assert figure.source.strip()
        assert 2000 <= figure.year <= 2030


def test_role_audit_always_reaches_a_verdict(catalog: Catalog) -> None:
    verdicts = catalog.get("role-audit").verdicts
    assert [v.id for v in verdicts][-1] == "strategist"
    assert {"help-desk", "at-risk", "strategist", "undetermined"} <= {v.id for v in verdicts}


# Each mistake below is made in a copy of the mini questionnaire; the error must name the place.
def _mutate(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load((DATA / "mini.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return change


MISTAKES = [
    ("duplicate question id", _set("questions.1.id", "a1"), "questions[1]", "duplicate question id 'a1'"),
    ("duplicate option id", _set("questions.0.options.1.id", "best"), "questions[0].options[1]", "duplicate option"),
    ("unknown criterion", _set("questions.0.criterion", "ER-NOPE"), "questions[0].criterion", "unknown criterion"),
    (
        "points above the maximum",
        _set("questions.0.options.0.points", 7),
        "questions[0].options[0].points",
        "out of range 0..4",
    ),
    ("negative points", _set("questions.0.options.2.points", -1), "questions[0].options[2].points", "out of range"),
    (
        "rule names a missing question",
        _set("rules.0.when.all.0.answer.question", "ghost"),
        "rules[0].when.all[0].answer.question",
        "unknown question 'ghost'",
    ),
    (
        "rule names a missing option",
        _set("rules.0.when.all.0.answer.in", ["nope"]),
        "rules[0].when.all[0].answer.in[0]",
        "no option 'nope'",
    ),
    ("bands leave a gap", _set("parts.0.bands.1.low", 45), "parts[0].bands[1].low", "gap: scores from 40 to 45"),
    ("bands overlap", _set("parts.0.bands.1.low", 35), "parts[0].bands[1].low", "overlap"),
    ("bands stop short of 100", _set("parts.0.bands.2.high", 90), "parts[0].bands[2].high", "must end at 100"),
    ("unknown dimension", _set("questions.0.dimension", "gamma"), "questions[0].dimension", "unknown dimension"),
    ("unknown severity", _set("rules.0.severity", "fatal"), "rules[0].severity", "must be one of"),
    (
        "reserved option id",
        _set("questions.0.options.1.id", "unknown"),
        "questions[0].options[1].id",
        "offered on every question",
    ),
    ("not a challenge", _set("questions.0.challenges", ["ER-ONE"]), "questions[0].challenges[0]", "not a challenge"),
    ("missing text", _set("questions.0.text", None), "questions[0].text", "is missing"),
    (
        "unknown team department",
        _set("questions.0.team", ["marketing", "legal"]),
        "questions[0].team[1]",
        "unknown department 'legal'",
    ),
    ("team neither all, none nor a list", _set("questions.0.team", "some"), "questions[0].team", "must be all, none"),
    (
        "quick path names a missing question",
        _set("quick", {"minutes": 4, "questions": ["a1", "ghost"]}),
        "quick.questions[1]",
        "unknown question 'ghost'",
    ),
    (
        "quick path too long",
        _set("quick", {"minutes": 4, "questions": ["a1"] * 13}),
        "quick.questions",
        "a quick path has at most 12",
    ),
    (
        "rule cites a paragraph the article lacks",
        _set("rules.0.article", {"paragraphs": [44], "point": "A point."}),
        "rules[0].article.paragraphs[0]",
        "the article has paragraphs 1 to 43",
    ),
    (
        "rule cites neither paragraph nor research",
        _set("rules.0.article", {"paragraphs": [], "point": "A point."}),
        "rules[0].article.paragraphs",
        "must name at least one paragraph",
    ),
]


@pytest.mark.parametrize(("what", "change", "place", "message"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_invalid_file_is_refused_naming_file_and_place(
    tmp_path: Path, what: str, change: Callable[[dict[str, Any]], None], place: str, message: str
) -> None:
    criteria = {c.id: c for c in load_criteria(DATA / "criteria.yaml")}
    with pytest.raises(CatalogError) as caught:
        load_questionnaire(_mutate(tmp_path, change), criteria)
    assert caught.value.file == "mini.yaml"
    assert any(p.startswith(place) and message in p for p in caught.value.problems), caught.value.problems
    assert "mini.yaml" in str(caught.value)


def test_error_names_the_line(tmp_path: Path) -> None:
    criteria = {c.id: c for c in load_criteria(DATA / "criteria.yaml")}
    text = (DATA / "mini.yaml").read_text(encoding="utf-8").replace("criterion: ER-TWO", "criterion: ER-NOPE")
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "id: a2" in row)
    with pytest.raises(CatalogError, match=rf"questions\[1\]\.criterion \(line {line}\): unknown criterion 'ER-NOPE'"):
        load_questionnaire(path, criteria)


def test_all_problems_of_a_file_are_reported_together(tmp_path: Path) -> None:
    criteria = {c.id: c for c in load_criteria(DATA / "criteria.yaml")}

    def two_mistakes(data: dict[str, Any]) -> None:
        data["rules"][0]["severity"] = "fatal"
        data["questions"][1]["options"][0]["points"] = 9

    with pytest.raises(CatalogError) as caught:
        load_questionnaire(_mutate(tmp_path, two_mistakes), criteria)
    assert len(caught.value.problems) == 2


def test_yaml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("slug: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"^broken\.yaml: not valid YAML"):
        load_questionnaire(path, {})


def test_unknown_figure_id_is_refused(tmp_path: Path) -> None:
    from assess.core.catalog import load_figures

    criteria = {c.id: c for c in load_criteria(DATA / "criteria.yaml")}
    figures = load_figures(QUESTIONNAIRES_DIR / "figures.yaml", {**criteria, **_real_criteria()})
    path = _mutate(tmp_path, _set("figures", ["altimeter-2010-formal-programme", "made-up-statistic"]))
    with pytest.raises(CatalogError, match=r"figures\[1\].*unknown figure 'made-up-statistic'"):
        load_questionnaire(path, criteria, figures)


def _real_criteria() -> dict[str, Any]:
    return {c.id: c for c in load_criteria(QUESTIONNAIRES_DIR / "criteria.yaml")}


def test_questionnaire_missing_a_criterion_of_its_scope_is_refused(tmp_path: Path) -> None:
    criteria = {c.id: c for c in load_criteria(DATA / "criteria.yaml")}
    with pytest.raises(CatalogError, match="no question asks about ER-THREE"):
        load_questionnaire(_mutate(tmp_path, _set("questions.2.criterion", "ER-ONE")), criteria)
