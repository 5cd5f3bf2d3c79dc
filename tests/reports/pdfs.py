"""Helpers for the PDF report tests: varied answer sets and strict PDF reading."""

from __future__ import annotations

import io
import re
import subprocess

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


def page_texts(data: bytes) -> list[str]:
    """Each page's text, as poppler's pdftotext reads it (in reading order), after a strict parse of the PDF.
    pdftotext is about ten times faster than pypdf's extractor, which was half the time of the PDF report tests."""
    pages = len(read_pdf(data).pages)
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    texts = done.stdout.decode().split("\f")[:-1]  # a form feed ends each page
    assert len(texts) == pages
    return texts


def pdf_text(data: bytes) -> str:
    """All the PDF's text with every whitespace removed, so line breaks cannot split a phrase."""
    return squash("".join(page_texts(data)))


def squash(text: str) -> str:
    """Text without whitespace, for comparisons across line breaks."""
    return re.sub(r"\s+", "", text)
