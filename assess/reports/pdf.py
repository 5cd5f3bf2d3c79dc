"""The PDF report: the same report partials as the results page, laid out by WeasyPrint with print CSS.

Safety and speed, per docs/architecture.md and the WeasyPrint notes:

- Every resource goes through the fetcher (`make_fetcher`), which serves `data:` URIs and files under the app's own
  `static/` folder only. The document's base URL is a reserved `.invalid` origin that the fetcher maps onto
  that folder; `file://`, any other host (loopback included), traversal out of the folder and redirects are
  refused, and files are size-capped. Nothing is ever embedded as an attachment.
- User text reaches the templates only as text nodes (Jinja autoescape); free text is capped again here.
- One `FontConfiguration`, one fetcher and the parsed stylesheets per process, built lazily on first use
  (so after a gunicorn fork), rebuilt if the process id changes.
- The page count is checked after layout and before the PDF is written.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import functools
import gc
import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

import tinycss2
from flask import current_app
from markupsafe import Markup

from assess.core.aggregate import MIN_GROUP
from assess.core.model import AUDIENCES, OTHER_AUDIENCE

from .charts import bar_chart, chart_description
from .context import Report
from .team import TeamReport

PAGE_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}
"""The paper sizes offered, by query value, with their CSS `size` keyword."""

MAX_PAGES = 40
"""A report longer than this is refused before the PDF is written (with every answer weak, about 22 pages)."""

MAX_RESOURCE_BYTES = 2 * 1024 * 1024
"""The largest static file or data: URI the fetcher hands to WeasyPrint."""

LABEL_CAP = 200
NOTE_CAP = 2000
NOTES_CAP = 20
"""Caps on free text at render time, above the form limits: the PDF never trusts what the store holds."""

SHORT_NOTE_LINES = 6
SHORT_NOTE_CHARS = 400
SHORTENED = " […] (shortened to fit the printed report; the whole note is on your results page)"
"""A report over MAX_PAGES is rendered again with each note cut to this, saying so (`render_pdf`)."""

STATIC_ORIGIN = "https://report-assets.invalid"
"""The document's base origin: `.invalid` never resolves (RFC 2606); the fetcher maps /static/ onto files."""

BASE_URL = f"{STATIC_ORIGIN}/static/"

PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF with PDF/UA identification: structure tree, document language, title shown in the title bar."""

REVISION = "1"
"""Bump to invalidate every cached PDF when something outside the hashed files changes the output."""

COLOURS_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "colours.css"
"""The colours' one source (custom properties on :root), shared with app.css and print.css."""


def palette(path: Path = COLOURS_CSS) -> dict[str, str]:
    """The custom properties set on :root in colours.css, read with tinycss2 (WeasyPrint's CSS parser)."""
    colours: dict[str, str] = {}
    for rule in tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() != ":root":
            continue
        for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if declaration.type == "declaration" and declaration.name.startswith("--"):
                colours[declaration.name] = tinycss2.serialize(declaration.value).strip()
    return colours


# The chart's look, inside the SVG: WeasyPrint styles inline SVG only from its own <style> element, and resolves no
# var() there, so the chart's rules name colours.css's properties and get their values put in here.
CHART_RULES = (
    ".grid{stroke:var(--chart-grid);stroke-width:1}"
    ".tick{font-size:11px;fill:var(--muted)}"
    ".bar-label{font-size:11.5px;fill:var(--ink)}"
    ".bar-value{font-size:13px;font-weight:700;fill:var(--ink)}"
    ".bar-low{fill:var(--chart-low)}.bar-mid{fill:var(--chart-mid)}.bar-high{fill:var(--chart-high)}"
    ".bar-unknown{fill:none;stroke:var(--chart-unknown);stroke-dasharray:4 3}"
    ".previous{stroke:var(--ink);stroke-width:3}"
    "text{font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif}"
)
_colours = palette()
CHART_STYLE = "<style>" + re.sub(r"var\((--[\w-]+)\)", lambda found: _colours[found.group(1)], CHART_RULES) + "</style>"


def styled_chart(chart: Markup) -> Markup:
    """A screen chart with CHART_STYLE put inside its <svg>, where WeasyPrint looks for the styles."""
    svg = str(chart)
    end = svg.index(">") + 1  # the end of the opening <svg ...> tag: its attributes hold no ">"
    return Markup(svg[:end] + CHART_STYLE + svg[end:])  # noqa: S704  # nosec B704  # the chart is escaped, the style constant


class PdfError(RuntimeError):
    """The PDF could not be made; the message is safe to log, never shown with user data."""


class ReportTooLong(PdfError):
    """The laid-out report has more pages than MAX_PAGES."""


class BlockedResource(ValueError):
    """The fetcher refused a URL. WeasyPrint logs it and renders without the resource."""


@dataclass(frozen=True)
class PrintReport(Report):
    """The Report as the PDF shows it: charts carry their own styles, free text is capped."""

    def chart(self, part: str, title: str) -> Markup:
        """The chart in rows (labels beside the bars: the page is wide), its styles inside the SVG, where WeasyPrint
        looks for them."""
        bars = self.bars(part)
        return styled_chart(bar_chart(bars, chart_description(bars, title)))


def _printable(report: Report, shorten: bool = False) -> PrintReport:
    values = {f.name: getattr(report, f.name) for f in fields(Report)}
    values["label"] = report.label[:LABEL_CAP]
    notes = list(report.notes.items())[:NOTES_CAP]
    values["notes"] = {str(key): (_shortened if shorten else str)(str(note)[:NOTE_CAP]) for key, note in notes}
    return PrintReport(**values)


def _shortened(note: str) -> str:
    """The note's first SHORT_NOTE_LINES lines and SHORT_NOTE_CHARS characters, saying so when that cut it."""
    short = "\n".join(note.splitlines()[:SHORT_NOTE_LINES])[:SHORT_NOTE_CHARS]
    return note if short == note else short.rstrip() + SHORTENED


@functools.cache
def _fetcher_class() -> type:
    """The fetcher class, defined on first use: importing WeasyPrint takes a second or more."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class _StaticFetcher(URLFetcher):  # type: ignore[misc]
        """Serves data: URIs and files under one folder, reached through STATIC_ORIGIN/static/; refuses the rest."""

        def __init__(self, root: Path, max_bytes: int = MAX_RESOURCE_BYTES) -> None:
            super().__init__(timeout=1, allowed_protocols=("data", "https"), allow_redirects=False)
            self.root = root.resolve()
            self.max_bytes = max_bytes

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            if url[:5].lower() == "data:":
                if len(url) > self.max_bytes * 2:
                    raise BlockedResource("data: URI too large")
                content_type, body = _parse_data_uri(url)
                if len(body) > self.max_bytes:
                    raise BlockedResource("data: URI too large")
                return URLFetcherResponse(url, body, {"Content-Type": content_type})
            path = self.resolve(url)
            with path.open("rb") as stream:
                body = stream.read(self.max_bytes + 1)
            if len(body) > self.max_bytes:
                raise BlockedResource(f"static file too large: {path.name}")
            return URLFetcherResponse(url, body, {"Content-Type": _content_type(path)})

        def resolve(self, url: str) -> Path:
            """The file under the root that `url` names; BlockedResource for anything else."""
            parts = urlsplit(url)
            origin = urlsplit(STATIC_ORIGIN)
            if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
                raise BlockedResource(f"blocked URL outside the app's static files: {url[:200]}")
            if parts.query or not parts.path.startswith("/static/"):
                raise BlockedResource(f"blocked URL outside the app's static files: {url[:200]}")
            relative = unquote(parts.path.removeprefix("/static/"))
            if "\x00" in relative or "\\" in relative or any(seg in ("..", ".") for seg in relative.split("/")):
                raise BlockedResource(f"blocked path traversal: {url[:200]}")
            path = (self.root / relative).resolve()
            if not path.is_relative_to(self.root) or not path.is_file():
                raise BlockedResource(f"blocked or missing static file: {url[:200]}")
            return path

    return _StaticFetcher


def _parse_data_uri(url: str) -> tuple[str, bytes]:
    """The media type and bytes of a data: URI (RFC 2397), decoded here: no URL opener is involved."""
    header, comma, payload = url[5:].partition(",")
    if not comma:
        raise BlockedResource("malformed data: URI")
    params = [part.strip() for part in header.split(";")]
    is_base64 = params[-1].lower() == "base64"
    if is_base64:
        params.pop()
    content_type = ";".join(params) if params and params[0] else "text/plain;charset=US-ASCII"
    try:
        body = base64.b64decode(unquote(payload)) if is_base64 else unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as exc:
        raise BlockedResource("malformed data: URI") from exc
    return content_type, body


_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".css": "text/css", ".woff2": "font/woff2", ".ttf": "font/ttf"}


def _content_type(path: Path) -> str:
    return _TYPES.get(path.suffix.lower(), "application/octet-stream")


@dataclass
class _Engine:
    """What one process reuses across renders."""

    pid: int
    static: Path
    font_config: Any
    fetcher: Any
    stylesheets: dict[str, list[Any]]


_engine: _Engine | None = None
_engine_lock = threading.Lock()
_render_lock = threading.Lock()
"""One render at a time per process: two threads laying out PDFs with the shared FontConfiguration corrupted
GLib's memory here (threaded gunicorn, `flask run`). Renders are CPU-bound under the GIL, so nothing is lost."""


@atexit.register
def _release_engine() -> None:
    """Drop the FontConfiguration while the interpreter still works: its __del__ fails during final teardown."""
    global _engine
    _engine = None
    gc.collect()


def make_fetcher(static_folder: str | Path) -> Any:
    """A fresh fetcher serving only `static_folder` (for tests and tools)."""
    return _fetcher_class()(Path(static_folder))


def _get_engine(static_folder: str | Path) -> _Engine:
    global _engine
    static = Path(static_folder).resolve()
    engine = _engine
    if engine is not None and engine.pid == os.getpid() and engine.static == static:
        return engine
    with _engine_lock:
        if _engine is not None and _engine.pid == os.getpid() and _engine.static == static:
            return _engine
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        fetcher = make_fetcher(static)
        print_css = (static / "css" / "print.css").read_text(encoding="utf-8")
        base = CSS(string=print_css, base_url=BASE_URL + "css/print.css", url_fetcher=fetcher, font_config=font_config)
        stylesheets = {
            size: [
                base,
                CSS(string=f"@page {{ size: {keyword}; }}", url_fetcher=fetcher, font_config=font_config),
            ]
            for size, keyword in PAGE_SIZES.items()
        }
        _engine = _Engine(os.getpid(), static, font_config, fetcher, stylesheets)
        # Move what is alive now (the app, the catalogue, WeasyPrint's modules and caches) out of the cyclic
        # collector's reach, so the collection that follows each render (see _cyclic_gc_paused) scans what the
        # render left, not all of this again. Garbage is collected first, so nothing dead is frozen; after a fork,
        # each worker does this once, on its first PDF.
        gc.collect()
        gc.freeze()
        return _engine


def template_version(app: Any = None) -> str:
    """A short hash of everything a stored PDF depends on besides the result: templates, CSS, questionnaires,
    WeasyPrint's version and REVISION. Computed once per process."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    cached: str | None = app.extensions.get("pdf_template_version")
    if cached:
        return cached
    import weasyprint

    root = Path(app.root_path)
    digest = hashlib.sha256(f"{REVISION}|{weasyprint.__version__}".encode())
    files = sorted(
        [
            *(root / "templates" / "report").glob("*.html"),
            *(root / "static" / "css").glob("print.css"),
            *(root / "static" / "css").glob("colours.css"),
            *(root / "static" / "img").glob("*.svg"),
            *(root / "assess" / "questionnaires").glob("*.yaml"),
            *(root / "assess" / "reports").glob("*.py"),
        ]
    )
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    version = digest.hexdigest()[:16]
    app.extensions["pdf_template_version"] = version
    return version


def render_html(report: Report, page_size: str = "a4", appendix: bool = True, shorten: bool = False) -> str:
    """The PDF's HTML: templates/report/document.html with the shared report partials, in print mode; the
    appendix (the detail) follows the report unless left out; with `shorten`, each note cut short (saying so)."""
    printable = _printable(report, shorten)
    template = current_app.jinja_env.get_template("report/document.html")
    audience = AUDIENCES.get(report.questionnaire.audience, OTHER_AUDIENCE)
    return template.render(
        report=printable,
        print_mode=True,
        page_size=page_size,
        audience_name=audience.reader,
        label_name=audience.subject,
        created_iso=report.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        appendix=appendix,
    )


def render_pdf(report: Report, page_size: str = "a4", appendix: bool = True) -> bytes:
    """The report as PDF bytes, on A4 or US Letter, with or without its appendix. Needs an app context. Raises
    PdfError when it cannot."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size must be one of {', '.join(PAGE_SIZES)}")
    try:
        return write_pdf(render_html(report, page_size, appendix), page_size)
    except ReportTooLong:
        if not report.notes:
            raise
        # The notes are the only free text that grows a report: printed short, saying so, every result prints.
        return write_pdf(render_html(report, page_size, appendix, shorten=True), page_size)


def write_pdf(html: str, page_size: str = "a4", static_folder: str | Path | None = None) -> bytes:
    """Lay out `html` with the print stylesheet and the safe fetcher, check the page cap, write the PDF."""
    engine = _get_engine(static_folder or current_app.static_folder or "static")
    with _render_lock, _cyclic_gc_paused():
        return _render(html, page_size, engine)


def _render(html: str, page_size: str, engine: _Engine) -> bytes:
    """One render. Its own function so that the laid-out document is dropped when it returns, before the
    collector runs again (see _cyclic_gc_paused)."""
    from weasyprint import HTML

    document_html = HTML(string=html, base_url=BASE_URL, url_fetcher=engine.fetcher, media_type="print")
    _drop_attachments(document_html.etree_element)
    document = document_html.render(
        font_config=engine.font_config,
        stylesheets=engine.stylesheets[page_size],
        pdf_variant=PDF_VARIANT,
    )
    if len(document.pages) > MAX_PAGES:
        raise ReportTooLong(f"report has {len(document.pages)} pages, more than {MAX_PAGES}")
    document.metadata.attachments = []
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, attachments=None, finisher=_finish)
    return pdf


def _finish(document: Any, pdf: Any) -> None:
    """What WeasyPrint's tagging leaves out, added to its objects before the PDF is written (its `finisher` hook):
    each link's own words as its description, each table header cell's scope, each list item's body."""
    _describe_links(document, pdf)
    _scope_table_headers(pdf)
    _wrap_list_bodies(pdf)


def _describe_links(document: Any, pdf: Any) -> None:
    """Give each link annotation its link's own words as the alternate description PDF/UA asks for (`/Contents`).

    WeasyPrint writes the link's target there, so a screen reader listing the contents' links heard "summary-title"
    instead of "Summary". The words are the link element's text, without generated content (the leader dots and
    page number of the contents). A link with no text keeps WeasyPrint's description."""
    import pydyf

    for page in document.pages:
        for _kind, _target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            element = getattr(box, "element", None)
            if annotation is None or element is None:
                continue
            words = " ".join("".join(element.itertext()).split())
            if words:
                annotation["Contents"] = pydyf.String(words)


class _StructTree:
    """WeasyPrint's structure tree as the pydyf objects it is about to write: elements are dictionaries whose `K`
    lists references (`b"12 0 R"`) to their kids, or marked-content ids."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf

    def resolve(self, reference: Any) -> Any:
        if isinstance(reference, bytes) and reference.endswith(b" R"):
            return self.pdf.objects[int(reference.split()[0])]
        return reference

    def kids(self, element: Any) -> list[Any]:
        """The structure elements among an element's kids."""
        found = (self.resolve(kid) for kid in element.get("K", []))
        return [kid for kid in found if isinstance(kid, dict) and "S" in kid]

    def elements(self, role: str) -> Iterator[Any]:
        """Every element with this role, parents before their kids."""
        root = self.resolve(self.pdf.catalog.get("StructTreeRoot"))
        if not isinstance(root, dict):
            return
        stack = [root]
        while stack:
            element = stack.pop()
            if element.get("S") == role:
                yield element
            stack.extend(reversed(self.kids(element)))


def _scope_table_headers(pdf: Any) -> None:
    """Give every table header cell (`/TH`) the `/Scope` PDF/UA asks for, which WeasyPrint 70 does not write.

    WeasyPrint tags `<th>` as `/TH` with an `/ID` and lists those ids in each data cell's `/Headers`, but leaves
    out the scope, so a reader cannot tell a column's header from a row's (0 of 44 header cells had one). The
    scope follows HTML's own rule for a `<th>` without one, which is how every table here is written (`scope="col"`
    in the head, `scope="row"` leading a body row): a header in the table head, or in a row of headers only,
    heads its column; any other heads its row."""
    import pydyf

    tree = _StructTree(pdf)

    def rows(element: Any, in_head: bool) -> Iterator[tuple[Any, bool]]:
        for kid in tree.kids(element):
            role = kid.get("S")
            if role == "/TR":
                yield kid, in_head
            elif role in ("/THead", "/TBody", "/TFoot"):
                yield from rows(kid, role == "/THead")

    for table in tree.elements("/Table"):
        for row, in_head in rows(table, False):
            cells = [cell for cell in tree.kids(row) if cell.get("S") in ("/TH", "/TD")]
            column = in_head or all(cell["S"] == "/TH" for cell in cells)
            for cell in cells:
                if cell["S"] == "/TH":
                    attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                    attributes["Scope"] = "/Column" if column else "/Row"


def _wrap_list_bodies(pdf: Any) -> None:
    """Put everything in a list item after its label into one `/LBody`, as PDF/UA's list structure asks
    (`/LI` holds a `/Lbl` and an `/LBody`).

    WeasyPrint 70 makes the body only when the item's text sits in an anonymous block; an item made of paragraphs
    (every finding here) came out as a label followed by bare `/P` elements. Marked content stays with the elements
    it belongs to: only the paragraphs' parent changes."""
    import pydyf

    tree = _StructTree(pdf)
    for item in list(tree.elements("/LI")):
        kids = item.get("K", [])
        body = [kid for kid in kids if tree.resolve(kid) is not kid and tree.resolve(kid).get("S") != "/Lbl"]
        resolved = [tree.resolve(kid) for kid in body]
        if not body or (len(body) == 1 and resolved[0].get("S") == "/LBody"):
            continue
        if any(not isinstance(kid, dict) or "S" not in kid for kid in resolved):
            continue  # an annotation or marked content right in the item: leave the item as WeasyPrint made it
        wrapper = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(body), "P": item.reference})
        if "Pg" in item:
            wrapper["Pg"] = item["Pg"]
        pdf.add_object(wrapper)
        for kid in resolved:
            kid["P"] = wrapper.reference
        item["K"] = pydyf.Array([kid for kid in kids if kid not in body] + [wrapper.reference])


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one render, then collect what the render left in cycles.

    A render builds a few hundred thousand objects (boxes, styles, text layouts) that all live until it ends. The
    collector, run on allocation counts, scans them again and again while they grow: a sixth of the render time
    here (`benchmarks/pdf_render.py`). Paused, it runs once after the render, when the document is gone:
    everything the render made is still in the youngest generation, so that one young collection frees its
    cycles (about 29,000 objects for a report). Left to the collector's own schedule instead, they were promoted while
    the document was alive and waited for full collections: 140 MB more per process over 100 renders."""
    if not gc.isenabled():  # paused by someone else: leave it as it is
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def _drop_attachments(root: Any) -> None:
    """Remove every `rel=attachment` (on <link> and <a>), so no file can be embedded in the PDF."""
    for element in root.iter():
        rel = element.get("rel") if isinstance(element.tag, str) else None
        if rel and "attachment" in rel.lower().split():
            del element.attrib["rel"]
            if element.tag == "link":
                element.attrib.pop("href", None)


@dataclass(frozen=True)
class PrintTeamReport(TeamReport):
    """The TeamReport as the PDF shows it: the chart carries its own styles."""

    def chart(self, title: str) -> Markup:
        """The medians in rows, their styles inside the SVG, and every figure in its alternate text."""
        bars = self.bars()
        return styled_chart(bar_chart(bars, chart_description(bars, title)))


def render_team_pdf(
    report: TeamReport, page_size: str = "a4", generated: datetime | None = None, appendix: bool = True
) -> bytes:
    """A team's report as PDF bytes: templates/teams/document.html around the same team report partial, with or
    without its appendix (the detail), as for a single result."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size must be one of {', '.join(PAGE_SIZES)}")
    printable = PrintTeamReport(**{f.name: getattr(report, f.name) for f in fields(TeamReport)})
    moment = generated or datetime.now(UTC)
    html = current_app.jinja_env.get_template("teams/document.html").render(
        report=printable,
        print_mode=True,
        page_size=page_size,
        min_group=MIN_GROUP,
        appendix=appendix,
        generated=moment,
        created_iso=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return write_pdf(html, page_size)
