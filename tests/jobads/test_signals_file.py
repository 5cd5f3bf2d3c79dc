"""signals.yaml is checked against the catalogue: a renamed question, option or criterion fails loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.core import Catalog, CatalogError
from assess.jobads import SIGNALS_FILE, Signals, load_signals


def test_the_signals_file_names_only_what_the_questionnaires_hold(signals: Signals, catalog: Catalog) -> None:
    criteria = {c.id for c in catalog.criteria}
    for signal in signals:
        assert signal.criterion in criteria
        for suggestion in signal.suggests:
            question = next(q for q in catalog.get(suggestion.questionnaire).questions if q.id == suggestion.question)
            assert suggestion.option in {o.id for o in question.options}


def test_it_covers_the_signs_the_issue_lists(signals: Signals) -> None:
    ids = {s.id for s in signals}
    assert {
        "helpdesk-duties",
        "support-separate",
        "reporting-line",
        "buy-in",
        "sole-role",
        "all-channels",
        "long-term-plan",
        "campaigns-only",
        "business-measures",
        "activity-metrics",
        "tools-list",
        "budget-headcount",
        "always-on",
        "it-collaboration",
    } <= ids
    assert all(s.shows and s.ask and s.about for s in signals)
    assert sum(bool(s.cancels) for s in signals) >= 10


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = SIGNALS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "signals.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("question: sep-jobad,", "question: sep-job-ad,", "employer-readiness has no question 'sep-job-ad'"),
        ("option: win-buy-in}", "option: win-support}", "has no option 'win-support'"),
        ("criterion: ER-CLIMATE", "criterion: ER-WEATHER", "unknown criterion 'ER-WEATHER'"),
        ("questionnaire: org-readiness,", "questionnaire: org-ready,", "unknown questionnaire 'org-ready'"),
        ("unless: [long-term-plan]", "unless: [long-plan]", "'long-plan' is not another signal"),
        ('- "roadmap*"', '- "[roadmap*"', "without its `]`"),
        ("tone: warning", "tone: alarming", "must be one of warning, good"),
    ],
)
def test_a_broken_reference_names_the_file_the_place_and_the_line(
    tmp_path: Path, catalog: Catalog, old: str, new: str, message: str
) -> None:
    with pytest.raises(CatalogError) as caught:
        load_signals(catalog, edited(tmp_path, old, new))
    text = str(caught.value)
    assert text.startswith("signals.yaml")
    assert message in text
    assert "(line " in text
