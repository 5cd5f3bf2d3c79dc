"""The PDF's structure tree, read element by element with pikepdf, and the machine-checkable PDF/UA-1 rules (the
`pdfua` checker): what a screen reader is given, not just what the page shows."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from pdfua import validate

from tests.jobs.helpers import make_team
from tests.reports.pdfs import SLUGS


@dataclass
class Element:
    """A structure element: its role, attributes, kids and marked-content ids (MCIDs) and annotations."""

    role: str
    obj: Any
    kids: list[Element] = field(default_factory=list)
    mcids: list[int] = field(default_factory=list)
    annotations: list[Any] = field(default_factory=list)
    owner: Any = None  # the open pikepdf.Pdf, held by every element: its objects are destroyed with it

    def walk(self) -> Iterator[Element]:
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def attribute(self, name: str) -> Any:
        attributes = self.obj.get("/A")
        return attributes.get(name) if isinstance(attributes, pikepdf.Dictionary) else None


def _element(obj: Any, owner: Any) -> Element:
    element = Element(str(obj.get("/S")), obj, owner=owner)
    raw = obj.get("/K")
    for kid in raw if isinstance(raw, pikepdf.Array) else [] if raw is None else [raw]:
        if isinstance(kid, int):
            element.mcids.append(int(kid))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            element.annotations.append(kid.get("/Obj"))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            element.mcids.append(int(kid.get("/MCID")))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            element.kids.append(_element(kid, owner))
    return element


def structure(data: bytes) -> Element:
    """The PDF's structure tree, from its /Document element down."""
    pdf = pikepdf.open(io.BytesIO(data))
    tree = pdf.Root.StructTreeRoot.K
    documents = [_element(kid, pdf) for kid in (tree if isinstance(tree, pikepdf.Array) else [tree])]
    assert [d.role for d in documents] == ["/Document"]
    return documents[0]


def has_content(element: Element) -> bool:
    return bool(element.mcids) or any(has_content(kid) for kid in element.kids)


@pytest.fixture
def report_pdfs(client: FlaskClient, app: Flask, make_result: Callable[..., Any]) -> dict[str, bytes]:
    """A PDF of each questionnaire's report (with a name and a note, and a re-audit for the role audit), and the
    team report."""
    pdfs = {}
    for slug in SLUGS:
        token, _ = make_result(slug, label="Acme Corp social team", notes={})
        response = client.get(f"/r/{token}/report.pdf")
        assert response.status_code == 200
        pdfs[slug] = response.data
    admin, _ = make_team(app)
    response = client.get(f"/t/{admin}/report.pdf")
    assert response.status_code == 200
    pdfs["team"] = response.data
    return pdfs


def test_every_table_header_cell_has_a_scope(report_pdfs: dict[str, bytes]) -> None:
    for name, data in report_pdfs.items():
        headers = [e for e in structure(data).walk() if e.role == "/TH"]
        assert len(headers) > 10, name
        scopes = [str(e.attribute("/Scope")) for e in headers]
        assert set(scopes) == {"/Column", "/Row"}, (name, scopes)
        # A header in a table's head heads its column; one leading a body row heads its row.
        for table in (e for e in structure(data).walk() if e.role == "/Table"):
            for part in table.kids:
                for row in (kid for kid in part.kids if kid.role == "/TR"):
                    for cell in (kid for kid in row.kids if kid.role == "/TH"):
                        expected = "/Column" if part.role == "/THead" else "/Row"
                        assert str(cell.attribute("/Scope")) == expected, (name, part.role)


def test_pdf_ua_machine_checkable_rules_pass(report_pdfs: dict[str, bytes], tmp_path: Path) -> None:
    for name, data in report_pdfs.items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        report = validate(str(path))
        findings = [f"{f.rule_id} {f.message}" for f in report.findings]
        assert findings == [], (name, findings)
        # pdfua 0.1.3 cannot evaluate one rule on any heading whose /K is an array (its integer test asks pikepdf
        # for an attribute an Array refuses with ValueError): that rule is checked below, by hand.
        skipped = {outcome.rule_id for outcome in report.outcomes if outcome.skipped_reason}
        assert skipped <= {"UA-14-001"}, (name, skipped)
        evaluated = {outcome.rule_id for outcome in report.outcomes if not outcome.skipped_reason}
        assert {"UA-01-003", "UA-13-004", "UA-15-003", "UA-18-005"} <= evaluated
        headings = [e for e in structure(data).walk() if e.role in {f"/H{n}" for n in range(1, 7)}]
        assert headings, name
        assert all(has_content(h) for h in headings), name  # UA-14-001: no empty heading
