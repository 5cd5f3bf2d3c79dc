"""An ad becomes sentences: bullets, headings, wrapped lines, abbreviations and HTML."""

from __future__ import annotations

from assess.jobads.text import html_to_text, normalise, split_sentences


def texts(ad: str) -> list[str]:
    plain = normalise(ad)
    sentences = split_sentences(plain)
    for sentence in sentences:  # each span points at its own words in the text shown
        assert " ".join(plain[sentence.start : sentence.end].split()) == sentence.text
    return [s.text for s in sentences]


def test_sentences_split_at_full_stops_but_not_after_abbreviations() -> None:
    assert texts("Use tools, e.g. Canva. Report to Dr. Smith at Acme Inc. every week! Is that fine?") == [
        "Use tools, e.g. Canva.",
        "Report to Dr. Smith at Acme Inc. every week!",
        "Is that fine?",
    ]


def test_each_bullet_and_heading_is_its_own_sentence_without_its_marker() -> None:
    ad = "About the role\n• Respond to comments\n- Plan campaigns\n1. Report monthly"
    assert texts(ad) == ["About the role", "Respond to comments", "Plan campaigns", "Report monthly"]


def test_lines_wrapped_mid_sentence_are_joined() -> None:
    ad = "You will respond to customer comments and\nmessages on every channel we run.\nNext sentence."
    assert texts(ad) == [
        "You will respond to customer comments and messages on every channel we run.",
        "Next sentence.",
    ]


def test_html_is_read_as_text_with_entities_decoded_and_scripts_dropped() -> None:
    markup = "<h2>The role</h2><ul><li>Answer DMs &amp; comments</li><li>Own the roadmap</li></ul><script>x()</script>"
    assert texts(markup) == ["The role", "Answer DMs & comments", "Own the roadmap"]
    assert "x()" not in html_to_text(markup)


def test_control_characters_and_odd_spaces_are_normalised() -> None:
    assert normalise("Own\u00a0the\u200b roadmap\r\n\r\n\r\n\r\nNext\x00") == "Own the roadmap\n\nNext"


def test_an_empty_ad_has_no_sentences() -> None:
    assert texts("  \n\n ") == []
