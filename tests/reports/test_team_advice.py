"""A team report says each thing once (hypothesis, over random teams of three to eight colleagues).

Defect: a hiring manager's team report listed a red flag and then its area as a second fix in other words ("Secure
the post and a working budget for at least the first year" twice), and "What a candidate will ask" named the same
topics a third time. Now a flag stands for its area, each fix carries the question a candidate will ask about it, and
the probes ask only what no fix has asked.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from assess.core import load_catalog, score
from assess.core.aggregate import aggregate
from assess.reports.team import WEAK, build_team_report
from tests.core.test_properties import SETTINGS, answer_sets, runs_of_six

ORG = load_catalog().get("org-readiness")
AREA = {q.criterion: q.dimension for q in ORG.questions}
ASKS = {q.criterion: q.ask for q in reversed(ORG.questions) if q.ask}  # each criterion's first question
DEPARTMENTS = ["marketing", "it", "pr", "other"]
teams = st.lists(st.tuples(st.sampled_from(DEPARTMENTS), answer_sets(ORG)), min_size=3, max_size=8)


@SETTINGS
@given(team=teams)
def test_a_team_report_gives_each_piece_of_advice_once_and_asks_each_question_once(
    team: list[tuple[str, dict[str, str]]],
) -> None:
    summary = aggregate([(department, score(ORG, answers)) for department, answers in team])
    report = build_team_report(ORG, "A team", summary, datetime.now(UTC), {})

    listed = [f for f in summary.flags if f.severity != "notice"]
    flag_areas = {ORG.dimension(AREA[f.criterion]).title for f in listed if f.criterion in AREA}
    area_fixes = {f.title for f in report.fixes if f.severity is None}
    assert not flag_areas & area_fixes, "an area is a fix of its own beside its red flag"
    assert len({f.criterion for f in listed}) == len([f for f in report.fixes if f.severity])  # one a criterion

    seen: dict[str, str] = {}
    for fix in report.fixes:
        for run in runs_of_six(fix.text):
            first = seen.setdefault(run, fix.title)
            assert first == fix.title, f"{run!r} is advised under {first!r} and again under {fix.title!r}"

    questions = [f.ask for f in report.fixes if f.ask] + [p.text for p in report.probes]
    assert len(questions) == len(set(questions)), "a candidate's question is asked twice"
    # and none is lost: every red flag's question, and every question of an area that is weak, disputed or unknown
    owed = {f.criterion for f in listed} | {
        q.criterion
        for s in summary.dimensions
        if s.median is None or s.median < WEAK or s.disagreement
        for q in ORG.questions_in(s.id)
    }
    assert set(questions) == {ASKS[c] for c in owed if c in ASKS}
