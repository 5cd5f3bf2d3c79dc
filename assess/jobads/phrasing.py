"""The small pattern language of `signals.yaml`, turned into regular expressions.

A phrasing is words separated by spaces, matched case-insensitively as whole words within one sentence:

- a space matches any run of spaces, hyphens, slashes, commas or brackets between two words;
- `word+` matches the word's regular inflections: `respond+` matches respond, responds, responded, responding;
  `manage+` manage, manages, managed, managing; `reply+` reply, replies, replied, replying; `-ise` also
  matches `-ize` (`evangelise+` matches evangelize);
- `word*` matches any word that starts with `word`: `evangeli*` matches evangelist, evangelism, evangelising;
- `[a|b c|d+]` matches one of the alternatives, each itself a phrasing;
- `{name}` matches one of the phrasings listed under `name` in the file's `vocab`;
- `...` matches up to five words in between;
- `#` matches a number, with a currency sign before it or k or m after it if any (`£40,000`, `5`, `$2m`);
- `=WORD` matches the word exactly as written, upper and lower case (`=IT` is not the pronoun "it");
- `?` after a word, `[...]` or `{name}` makes it optional (not at the end of a phrasing);
- inside a word, `-` matches a hyphen, a space or nothing (`on-call` matches "on call" and "oncall"), and `'`
  matches a straight or a curly apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

SEPARATOR = r"[^\w.!?;:]+"
GAP = r"(?:[\w'’&-]+[^\w.!?;:]+){0,5}?"
_WORD_CHARS = re.compile(r"[\w'’&$£€%/@.-]+")
NUMBER = r"[£$€]?\d[\d,.]*[km]?"
_VOWELS = "aeiou"


class PhrasingError(ValueError):
    """A phrasing that does not follow the pattern language; the message says where."""


@dataclass(frozen=True)
class _Piece:
    regex: str
    gap: bool = False
    optional: bool = False


def inflections(word: str) -> str:
    """A regular expression for a word and its regular inflections."""
    lower = word.lower()
    if len(lower) > 3 and lower.endswith("ise"):
        return _escape(lower[:-3]) + "i[sz](?:e|es|ed|ing|ation|ations)"
    if len(lower) > 2 and lower.endswith("e") and not lower.endswith("ee"):
        return _escape(lower[:-1]) + "(?:e|es|ed|ing)"
    if len(lower) > 2 and lower.endswith("y") and lower[-2] not in _VOWELS:
        return _escape(lower[:-1]) + "(?:y|ies|ied|ying)"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return _escape(lower) + "(?:es|ed|ing)?"
    doubled = ""
    if len(lower) >= 3 and lower[-1] not in _VOWELS + "wy" and lower[-2] in _VOWELS and lower[-3] not in _VOWELS:
        doubled = "|" + _escape(lower[-1]) + "(?:ed|ing)"
    return _escape(lower) + f"(?:s|ed|ing{doubled})?"


def _escape(word: str) -> str:
    out = []
    for char in word:
        if char == "-":
            out.append(r"[\s-]?")
        elif char in "'’":
            out.append("['’]")
        else:
            out.append(re.escape(char))
    return "".join(out)


class _Parser:
    def __init__(self, source: str, vocab: Mapping[str, tuple[str, ...]], seen: tuple[str, ...] = ()) -> None:
        self.source = source
        self.vocab = vocab
        self.seen = seen
        self.at = 0

    def fail(self, message: str) -> PhrasingError:
        return PhrasingError(f"{message} at character {self.at + 1} of {self.source!r}")

    def peek(self) -> str:
        return self.source[self.at : self.at + 1]

    def sequence(self, stops: str) -> str:
        pieces: list[_Piece] = []
        while True:
            while self.peek() == " ":
                self.at += 1
            char = self.peek()
            if not char or char in stops:
                break
            pieces.append(self.piece())
        if not pieces:
            raise self.fail("an empty phrasing")
        if pieces[-1].optional or pieces[-1].gap:
            raise self.fail("a phrasing cannot end with an optional word or `...`")
        if pieces[0].gap:
            raise self.fail("a phrasing cannot start with `...`")
        out = []
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            if piece.gap:
                out.append(GAP)
            elif piece.optional:
                out.append(f"(?:{piece.regex}{SEPARATOR})?")
            else:
                out.append(piece.regex if last else piece.regex + SEPARATOR)
        return "".join(out)

    def piece(self) -> _Piece:
        if self.source.startswith("...", self.at):
            self.at += 3
            return _Piece("", gap=True)
        char = self.peek()
        if char == "[":
            self.at += 1
            alternatives = [self.sequence("|]")]
            while self.peek() == "|":
                self.at += 1
                alternatives.append(self.sequence("|]"))
            if self.peek() != "]":
                raise self.fail("a `[` without its `]`")
            self.at += 1
            return _Piece("(?:" + "|".join(alternatives) + ")", optional=self.optional())
        if char == "{":
            end = self.source.find("}", self.at)
            if end < 0:
                raise self.fail("a `{` without its `}`")
            name = self.source[self.at + 1 : end]
            if name not in self.vocab:
                raise self.fail(f"unknown vocab list {name!r}")
            if name in self.seen:
                raise self.fail(f"vocab list {name!r} refers to itself")
            self.at = end + 1
            alternatives = [compile_source(entry, self.vocab, (*self.seen, name)) for entry in self.vocab[name]]
            return _Piece("(?:" + "|".join(alternatives) + ")", optional=self.optional())
        if char == "#":
            self.at += 1
            return _Piece(NUMBER, optional=self.optional())
        exact = char == "="
        if exact:
            self.at += 1
        match = _WORD_CHARS.match(self.source, self.at)
        if not match:
            raise self.fail(f"unexpected {char!r}")
        word = match.group(0)
        self.at = match.end()
        if self.peek() == "+":
            self.at += 1
            regex = inflections(word)
        elif self.peek() == "*":
            self.at += 1
            regex = _escape(word.lower()) + r"[\w'’-]*"
        elif exact:
            regex = "(?-i:" + _escape(word) + ")"
        else:
            regex = _escape(word.lower())
        return _Piece(regex, optional=self.optional())

    def optional(self) -> bool:
        if self.peek() == "?":
            self.at += 1
            return True
        return False


def compile_source(source: str, vocab: Mapping[str, tuple[str, ...]], seen: tuple[str, ...] = ()) -> str:
    """The regular expression (without word boundaries) of one phrasing; PhrasingError when it is malformed."""
    parser = _Parser(source.strip(), vocab, seen)
    regex = parser.sequence("")
    if parser.at != len(parser.source):
        raise parser.fail("unexpected text")
    return regex


def compile_phrasings(sources: tuple[str, ...], vocab: Mapping[str, tuple[str, ...]]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of the phrasings as whole words."""
    body = "|".join(f"(?:{compile_source(source, vocab)})" for source in sources)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w'’])", re.IGNORECASE)
