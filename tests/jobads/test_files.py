"""Uploaded ads: .txt, .html, .pdf and .docx give their text; a malformed file is refused with a message."""

from __future__ import annotations

import io

import pytest

from assess.jobads.files import MAX_UPLOAD_BYTES, AdFileError, text_of_file

AD = "Social Media Manager\nYou will respond to customer comments and messages.\nWin buy-in from stakeholders."


def pdf_of(text: str) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    return HTML(string=f"<html><body>{paragraphs}</body></html>").write_pdf()  # type: ignore[no-any-return]


def docx_of(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "Evenings and weekends on a rota."
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_text_file_in_utf8_or_windows_encoding() -> None:
    assert text_of_file("ad.txt", AD.encode("utf-8")) == AD
    assert text_of_file("ad.TXT", "Café résumé".encode("cp1252")) == "Café résumé"
    assert text_of_file("ad.txt", "\ufeffHello".encode()) == "Hello"


def test_a_pdf_gives_its_text() -> None:
    text = text_of_file("ad.pdf", pdf_of(AD))
    assert "respond to customer comments" in " ".join(text.split())


def test_a_docx_gives_its_paragraphs_and_tables() -> None:
    text = text_of_file("ad.docx", docx_of(AD))
    assert "Win buy-in from stakeholders." in text
    assert "Evenings and weekends on a rota." in text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ad.pdf", b"%PDF-1.7\n1 0 obj broken", "could not be read"),
        ("ad.pdf", b"hello, not a pdf", "not a PDF"),
        ("ad.docx", b"PK\x03\x04 not really a zip", "not a Word document"),
        ("ad.docx", b"plain words", "not a Word document"),
        ("ad.txt", b"\x00\x01\x02binary", "binary data"),
        ("ad.doc", b"\xd0\xcf\x11\xe0", ".doc"),
        ("ad.png", b"\x89PNG", ".txt, .pdf or .docx"),
        ("ad.txt", b"", "empty"),
        ("ad.txt", b"a" * (MAX_UPLOAD_BYTES + 1), "larger than 2 MB"),
    ],
)
def test_a_malformed_or_unsupported_file_is_refused_with_a_message(name: str, data: bytes, message: str) -> None:
    with pytest.raises(AdFileError, match=message):
        text_of_file(name, data)


def test_a_pdf_without_text_is_refused() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(AdFileError, match="no text"):
        text_of_file("scan.pdf", out.getvalue())
