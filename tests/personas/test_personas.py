"""Persona tests: realistic answer sets written from the article, each with the verdict and flags it implies.

Each `*.yaml` here is one person: the questionnaire, their answers (anything left out is "don't know"), what the
article says their result should be (`expect`), and a sentence on why. Team personas live in `teams/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from assess.core import Catalog, score

HERE = Path(__file__).parent
PERSONAS = sorted(HERE.glob("*.yaml"))
EXPECTATIONS = {"flags", "verdict", "band", "not_band", "confidence_below"}


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert {"name", "questionnaire", "why", "answers", "expect"} <= set(data), f"{path.name}: incomplete persona"
    assert len(data["why"].split()) >= 15, f"{path.name}: say why in a sentence"
    assert set(data["expect"]) <= EXPECTATIONS, f"{path.name}: unknown expectation"
    return data


def test_there_are_enough_personas_across_the_questionnaires() -> None:
    slugs = [_load(path)["questionnaire"] for path in PERSONAS]
    assert len(slugs) >= 12
    assert set(slugs) == {"employer-readiness", "role-audit", "org-readiness"}


@pytest.mark.parametrize("path", PERSONAS, ids=[p.stem for p in PERSONAS])
def test_persona_gets_the_result_the_article_implies(catalog: Catalog, path: Path) -> None:
    persona = _load(path)
    questionnaire = catalog.get(persona["questionnaire"])
    result = score(questionnaire, persona["answers"])
    expect = persona["expect"]
    raised = sorted(f.id for f in result.flags)
    assert raised == sorted(expect["flags"]), f"{persona['name']}: flags {raised}"
    if "verdict" in expect:
        assert result.verdict is not None, persona["name"]
        assert result.verdict.id == expect["verdict"], f"{persona['name']}: verdict {result.verdict.id}"
    if "band" in expect:
        assert result.overall.band == expect["band"], f"{persona['name']}: band {result.overall.band}"
    if "not_band" in expect:
        assert result.overall.band != expect["not_band"], persona["name"]
    if "confidence_below" in expect:
        assert 0 < result.overall.confidence < expect["confidence_below"], persona["name"]
