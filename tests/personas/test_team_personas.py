"""Team personas: several colleagues' answer sets for one organisation, with what the team report must say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from assess.core import Catalog, score
from assess.core.aggregate import aggregate, capped_band

TEAMS = sorted((Path(__file__).parent / "teams").glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert {"name", "questionnaire", "why", "responses", "expect"} <= set(data), f"{path.name}: incomplete"
    assert len(data["why"].split()) >= 15, f"{path.name}: say why in a sentence"
    return data


def test_there_is_a_team_persona() -> None:
    assert TEAMS


@pytest.mark.parametrize("path", TEAMS, ids=[p.stem for p in TEAMS])
def test_team_report_tells_the_truth_about_small_groups(catalog: Catalog, path: Path) -> None:
    team = _load(path)
    questionnaire = catalog.get(team["questionnaire"])
    responses = []
    for response in team["responses"]:
        department = response["department"]
        for question_id in response["answers"]:  # a respondent answers only what their department is asked
            assert questionnaire.question(question_id).asked_in_team(department), (department, question_id)
        responses.append((department, score(questionnaire, response["answers"])))
    summary = aggregate(responses)
    expect = team["expect"]
    band, capped = capped_band(questionnaire.main_part, summary.overall.median, bool(summary.disputed_by))
    assert band is not None
    assert band.id == expect["band"], f"{team['name']}: band {band.id}"
    assert capped == expect["capped"]
    assert sorted(f.id for f in summary.disputed_by) == sorted(expect["disputed_by"])
    assert [(u.department, u.n, u.counted_in) for u in summary.unshown] == [
        (u["department"], u["n"], u["counted_in"]) for u in expect["unshown"]
    ]
    assert [g.name for g in summary.groups] == expect["groups"]
    if "rest_of" in expect:
        assert summary.rest is not None
        assert summary.rest.department == expect["rest_of"]
        assert sorted(a.id for a in summary.rest.differs) == sorted(expect["rest_differs_on"])
    else:
        assert summary.rest is None
