"""The pattern language of signals.yaml."""

from __future__ import annotations

import re

import pytest

from assess.jobads.phrasing import PhrasingError, compile_phrasings


def matches(phrasing: str, text: str, vocab: dict[str, tuple[str, ...]] | None = None) -> bool:
    return bool(compile_phrasings((phrasing,), vocab or {}).search(text))


@pytest.mark.parametrize(
    ("phrasing", "yes", "no"),
    [
        ("respond+", ["respond", "responds", "responded", "responding"], ["respondent"]),
        ("manage+", ["manage", "manages", "managed", "managing"], ["manager"]),
        ("reply+", ["reply", "replies", "replied", "replying"], ["replica"]),
        ("plan+", ["plans", "planned", "planning"], ["planet"]),
        ("evangelise+", ["evangelise", "evangelize", "evangelising"], ["evangelist"]),
        ("evangeli*", ["evangelist", "evangelism", "evangelizing"], ["angel"]),
        ("on-call", ["on-call", "on call", "oncall"], ["on the call"]),
        ("=IT team", ["our IT team"], ["make it team-wide"]),
        ("budget of #", ["budget of £40,000", "budget of 5k"], ["budget of several"]),
        ("[sole|only] [social]? person", ["sole person", "only social person"], ["sole social media person"]),
        ("escalate+ ... team", ["escalate issues to our care team"], ["escalate one two three four five six team"]),
        ("{c} team", ["care team", "support team"], ["sales team"]),
    ],
)
def test_the_pattern_language(phrasing: str, yes: list[str], no: list[str]) -> None:
    vocab = {"c": ("care", "support")}
    for text in yes:
        assert matches(phrasing, text, vocab), (phrasing, text)
    for text in no:
        assert not matches(phrasing, text, vocab), (phrasing, text)


def test_words_match_whole_and_in_any_case() -> None:
    assert matches("roadmap", "Our ROADMAP.")
    assert not matches("road", "Our roadmap.")
    assert not matches("call", "on-call")


@pytest.mark.parametrize(
    ("phrasing", "message"),
    [
        ("[a|b", "without its `]`"),
        ("{missing} team", "unknown vocab list 'missing'"),
        ("team ...", "cannot end"),
        ("team?", "cannot end"),
        ("... team", "cannot start"),
        ("a ( b", "unexpected '('"),
    ],
)
def test_a_malformed_phrasing_is_refused_with_its_place(phrasing: str, message: str) -> None:
    with pytest.raises(PhrasingError, match=re.escape(message)):
        compile_phrasings((phrasing,), {})
