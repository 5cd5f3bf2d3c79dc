"""Helpers for the PDF report tests: varied answer sets and strict PDF reading."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from assess.core import UNKNOWN, Questionnaire

SLUGS = ["employer-readiness", "role-audit", "org-readiness"]


def varied_answers(questionnaire: Questionnaire, seed: int = 0) -> dict[str, str]:
    """A deterministic mix: every fifth question "don't know", the others walking through the options."""
    answers = {}
    for index, question in enumerate(questionnaire.questions):
        if (index + seed) % 5 == 0:
            answers[question.id] = UNKNOWN
        else:
            answers[question.id] = question.options[(index * 7 + seed) % len(question.options)].id
    return answers


def weakest_answers(questionnaire: Questionnaire) -> dict[str, str]:
    """The lowest-scoring option everywhere: every flag the questionnaire can raise on answers alone."""
    return {q.id: min(q.options, key=lambda o: o.points).id for q in questionnaire.questions}


def read_pdf(data: bytes) -> PdfReader:
    """The PDF parsed strictly: any structural error fails the test."""
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data), strict=True)


def pdf_text(data: bytes) -> str:
    """All the PDF's text with every whitespace removed, so line breaks cannot split a phrase."""
    return squash("".join(page.extract_text() or "" for page in read_pdf(data).pages))


def squash(text: str) -> str:
    """Text without whitespace, for comparisons across line breaks."""
    return re.sub(r"\s+", "", text)


CONTENTS_LINE = re.compile(r"^\d+\.\s+(?P<title>.+?)\s*(?:\.\s*){3,}(?P<page>\d+)\s*$")


def contents(reader: PdfReader) -> list[tuple[str, int]]:
    """The cover's contents as (title, page number), read from the first page's text."""
    lines = reader.pages[0].extract_text().splitlines()
    return [(m["title"], int(m["page"])) for line in lines if (m := CONTENTS_LINE.match(line))]
