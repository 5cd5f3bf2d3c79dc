"""The PDF renderer fetches nothing but the app's own static files and data: URIs, and embeds no file.

Each test renders hostile HTML through the same pipeline the reports use (assess.reports.pdf.write_pdf: the
safe fetcher, the print stylesheet, attachment stripping) and proves the fetch did not happen.
"""

from __future__ import annotations

import base64
import http.server
import subprocess
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from assess.reports import pdf as pdf_report
from tests.reports.pdfs import read_pdf, squash

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every GET with a PNG (or a redirect for /redirect) and records the path."""

    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/pixel.png")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request it gets: (base URL, paths seen)."""
    seen: list[str] = []
    handler = type("Handler", (Recorder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with urllib.request.urlopen(f"{base}/ready", timeout=5) as probe:  # noqa: S310 - proves the server records
        assert probe.status == 200
    assert seen == ["/ready"]
    seen.clear()
    try:
        yield base, seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def render(app: Flask) -> Callable[[str], bytes]:
    """Render an HTML string through the report pipeline."""

    def run(body: str) -> bytes:
        html = f'<!doctype html><html lang="en"><head><title>t</title></head><body>{body}</body></html>'
        with app.app_context():
            return pdf_report.write_pdf(html, "a4")

    return run


def image_count(data: bytes) -> int:
    """Raster images drawn anywhere in the PDF."""
    count = 0
    for page in read_pdf(data).pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        count += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    return count


@pytest.fixture
def fetcher(app: Flask) -> Any:
    return pdf_report.make_fetcher(app.static_folder or "static")


def test_a_data_uri_image_is_drawn_as_a_positive_control(render: Callable[[str], bytes]) -> None:
    uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert image_count(render(f'<img src="{uri}" alt="a dot" width="10" height="10">')) == 1


def test_the_apps_own_static_files_are_served(fetcher: Any) -> None:
    response = fetcher.fetch(pdf_report.BASE_URL + "img/logo.svg")
    assert response.read().startswith(b"<svg")
    assert response.content_type == "image/svg+xml"


def test_a_file_url_image_is_blocked(render: Callable[[str], bytes], fetcher: Any, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    with pytest.raises(pdf_report.BlockedResource):
        fetcher.fetch(secret.as_uri())
    data = render(f'<img src="{secret.as_uri()}" alt="x"><img src="file:///etc/passwd" alt="y">')
    assert image_count(data) == 0


def test_images_styles_and_fonts_on_a_loopback_server_are_never_requested(
    render: Callable[[str], bytes], loopback: tuple[str, list[str]]
) -> None:
    base, seen = loopback
    data = render(
        f'<link rel="stylesheet" href="{base}/style.css">'
        f"<style>@import url({base}/import.css); @font-face {{ font-family: X; src: url({base}/font.ttf) }}"
        f"p {{ background: url({base}/background.png); font-family: X }}</style>"
        f'<p>text</p><img src="{base}/pixel.png" alt="x"><img src="{base}/redirect" alt="y">'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="{base}/svg.png" width="10" '
        'height="10"/></svg>'
        f'<img src="http://localhost:{base.rsplit(":", 1)[1]}/other.png" alt="z">'
    )
    assert seen == []
    assert image_count(data) == 0


def test_a_static_url_on_any_other_host_is_blocked(fetcher: Any, loopback: tuple[str, list[str]]) -> None:
    base, seen = loopback
    for url in (f"{base}/static/img/logo.svg", "https://example.com/static/img/logo.svg", "ftp://x/static/a"):
        with pytest.raises(pdf_report.BlockedResource):
            fetcher.fetch(url)
    assert seen == []


@pytest.mark.parametrize(
    "path",
    [
        "../app.py",
        "../../../../etc/passwd",
        "img/../../app.py",
        "%2e%2e/app.py",
        "%2E%2E/%2E%2E/etc/passwd",
        "img/%2e%2e/%2e%2e/app.py",
        "..%2fapp.py",
        "img\\..\\..\\app.py",
        "img/logo.svg%00.png",
    ],
)
def test_path_traversal_out_of_static_is_blocked(
    fetcher: Any, render: Callable[[str], bytes], app: Flask, path: str
) -> None:
    with pytest.raises(pdf_report.BlockedResource):
        fetcher.fetch(pdf_report.BASE_URL + path)
    data = render(f'<img src="{path}" alt="x"><p style="background: url({path})">t</p>')
    assert image_count(data) == 0
    assert squash(Path(app.root_path, "app.py").read_text()[:40]) not in squash(
        "".join(p.extract_text() for p in read_pdf(data).pages)
    )


def test_a_symlink_out_of_static_is_blocked(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    (static / "link.png").symlink_to(outside)
    fetcher = pdf_report.make_fetcher(static)
    with pytest.raises(pdf_report.BlockedResource):
        fetcher.fetch(pdf_report.BASE_URL + "link.png")


def test_a_static_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "small.png").write_bytes(PNG)
    (static / "huge.png").write_bytes(PNG + b"\0" * 2000)
    fetcher = pdf_report.make_fetcher(static)
    fetcher.max_bytes = 1000
    assert fetcher.fetch(pdf_report.BASE_URL + "small.png").read() == PNG
    with pytest.raises(pdf_report.BlockedResource):
        fetcher.fetch(pdf_report.BASE_URL + "huge.png")
    with pytest.raises(pdf_report.BlockedResource):
        fetcher.fetch("data:image/png;base64," + base64.b64encode(b"\0" * 2000).decode())


@pytest.mark.parametrize(
    "markup",
    [
        '<link rel="attachment" href="img/logo.svg" title="logo">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<a rel="attachment" href="img/logo.svg" download="logo.svg">the logo</a>',
        '<a rel="nofollow attachment" href="data:text/plain,secret">data</a>',
    ],
)
def test_attachment_links_embed_nothing(render: Callable[[str], bytes], tmp_path: Path, markup: str) -> None:
    data = render(f"{markup}<p>text</p>")
    reader = read_pdf(data)
    root: Any = reader.trailer["/Root"]
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object()["/Subtype"] != "/FileAttachment"
    out = tmp_path / "out.pdf"
    out.write_bytes(data)
    listing = subprocess.run(["pdfdetach", "-list", str(out)], capture_output=True, text=True, check=True)
    assert listing.stdout.strip() == "0 embedded files"


def test_the_page_cap_is_checked_before_the_pdf_is_written(
    render: Callable[[str], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint.document import Document

    written: list[int] = []
    original = Document.write_pdf

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        written.append(len(self.pages))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Document, "write_pdf", spy)
    monkeypatch.setattr(pdf_report, "MAX_PAGES", 2)
    long_body = "".join('<p style="break-after: page">page</p>' for _ in range(3))
    with pytest.raises(pdf_report.ReportTooLong):
        render(long_body)
    assert written == []
    render("<p>one page</p>")
    assert written == [1]
