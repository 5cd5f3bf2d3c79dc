"""The text of an uploaded job ad: .txt, .html, .pdf (pypdf) or .docx (python-docx).

Every refusal is an `AdFileError` whose message says what is wrong in words a person can act on; nothing here
keeps the file or its text.
"""

from __future__ import annotations

import io
from pathlib import PurePath

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
"""The largest file read (2 MB): a job ad as a PDF with its fonts is well under it."""
MAX_PDF_PAGES = 20
"""Pages read from a PDF; a job ad is one to four."""
FORMATS = (".txt", ".text", ".html", ".htm", ".pdf", ".docx")


class AdFileError(ValueError):
    """An uploaded ad that cannot be read; the message is for the person who sent it."""


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise AdFileError("This does not look like a text file (it contains binary data).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AdFileError("The text file's characters could not be read; save it as UTF-8 and try again.")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise AdFileError("This file is not a PDF, or it is damaged.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise AdFileError("This PDF is password-protected; save an unprotected copy or paste the text instead.")
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
    except AdFileError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise AdFileError("This PDF could not be read; it may be damaged. Paste the ad's text instead.") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise AdFileError("This PDF has no text to read (it may be a scanned image). Paste the ad's text instead.")
    return text


def _docx_text(data: bytes) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise AdFileError("This file is not a Word document (.docx), or it is damaged.") from exc
    except Exception as exc:  # a damaged document's XML fails inside lxml with its own error types
        raise AdFileError("This Word document could not be read; it may be damaged.") from exc
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    text = "\n".join(lines)
    if not text.strip():
        raise AdFileError("This Word document has no text in it.")
    return text


def text_of_file(filename: str, data: bytes) -> str:
    """The text of an uploaded ad, chosen by the file's extension; AdFileError when it cannot be read."""
    suffix = PurePath(filename or "").suffix.lower()
    if not data:
        raise AdFileError("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise AdFileError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    if suffix == ".pdf":
        return _pdf_text(data)
    if suffix == ".docx":
        return _docx_text(data)
    if suffix in (".txt", ".text", ".html", ".htm"):
        return _decode(data)
    if suffix == ".doc":
        raise AdFileError("Old Word files (.doc) cannot be read; save it as .docx or PDF, or paste the text.")
    raise AdFileError("Upload the ad as a .txt, .pdf or .docx file, or paste its text.")
