"""A job ad as plain text, cut into sentences with their places in that text.

Job ads mix sentences, bullet lists, headings and lines wrapped by a PDF. A line is its own unit when it starts a
bullet or the line before it ends a sentence (or a heading); otherwise it continues the line before it. Within a
unit, a sentence ends at `.`, `!` or `?` followed by a space and a capital, a digit or a quote, except after a
known abbreviation such as "e.g." or "Inc.".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    re.split(
        r"\s+",
        "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
        "header hr li main nav ol p pre section table td th tr ul",
    )
)
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})
_LOOKS_LIKE_HTML = re.compile(r"<\s*(?:p|div|br|li|ul|ol|h[1-6]|span|strong|b|em|html|body|table)\b[^>]*>", re.I)

_BULLET = re.compile(r"\s*(?:[•·▪◦●○■□‣∙*–—-]|\d{1,2}[.)]|[a-z][.)])\s+")
_ENDS_UNIT = re.compile(r"[.!?:;…]['\"”’)\]]*\s*$")
_SENTENCE_END = re.compile(r"[.!?…]+['\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9•])")
_ABBREVIATIONS = frozenset(
    re.split(
        r"\s+",
        "e.g i.e etc mr mrs ms dr st inc ltd co corp vs no approx incl dept jr sr nr min max esp fig ca cf "
        "u.s u.k a.m p.m jan feb mar apr jun jul aug sep sept oct nov dec",
    )
)


class _TextOfHtml(HTMLParser):
    """Collects the text of an HTML document, one line per block element, skipping scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    """The text of an HTML fragment or page: tags dropped, entities decoded, one line per block."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def normalise(text: str) -> str:
    """The text as the reader and the person see it: HTML turned into text, Unicode in NFC, control characters
    dropped, one kind of line end and space, trailing spaces and runs of blank lines gone."""
    if _LOOKS_LIKE_HTML.search(text):
        text = html_to_text(text)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        " " if ch in "\t\u00a0\u2007\u202f" else ch
        for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass(frozen=True)
class Sentence:
    """One sentence (or bullet, or heading) of the ad: its number, its place in the text and its words on one
    line."""

    index: int
    start: int
    end: int
    text: str


def _units(text: str) -> list[tuple[int, int]]:
    """Spans of the text that hold one bullet, heading or run of wrapped lines each."""
    units: list[tuple[int, int]] = []
    offset = 0
    previous_ends = True
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            previous_ends = True
            continue
        continues = not previous_ends and not _BULLET.match(line) and line[:1].islower()
        if continues and units:
            units[-1] = (units[-1][0], end)
        else:
            units.append((start, end))
        previous_ends = bool(_ENDS_UNIT.search(line)) or len(line.split()) <= 4  # a heading
    return units


def _is_abbreviation(before: str) -> bool:
    word = re.split(r"[\s(]", before.rstrip(".!?…"))[-1].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of a normalised text, in order, each with its span in `text`."""
    spans: list[tuple[int, int]] = []
    for unit_start, unit_end in _units(text):
        piece_start = unit_start
        bullet = _BULLET.match(text, unit_start, unit_end)
        if bullet:
            piece_start = bullet.end()
        for match in _SENTENCE_END.finditer(text, piece_start, unit_end):
            if match.group(0).startswith(".") and _is_abbreviation(text[piece_start : match.start() + 1]):
                continue
            spans.append((piece_start, match.end()))
            piece_start = match.end()
        if piece_start < unit_end:
            spans.append((piece_start, unit_end))
    sentences: list[Sentence] = []
    for start, end in spans:
        raw = text[start:end]
        stripped = raw.strip()
        if not stripped:
            continue
        start += len(raw) - len(raw.lstrip())
        end = start + len(stripped)
        sentences.append(Sentence(len(sentences), start, end, re.sub(r"\s+", " ", stripped)))
    return tuple(sentences)
